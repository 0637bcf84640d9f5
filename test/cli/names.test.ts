// Names from the command line: `register --name`, `rename`, and every account argument that takes a
// name (any letter case) as it takes an address or an index; the real binary, exact output and exit codes.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { carbon, startMarket, type CliChain } from "./support/cli";

let cli: CliChain;
let ana: string;
let bea: string;

before(async () => {
  cli = await startMarket();
  [, ana, bea] = cli.accounts;
  assert.equal((await carbon(["register", "customer", "1", "--name", "Ana", "--password", "pw"], cli.env)).code, 0, "Ana registers");
  assert.equal((await carbon(["register", "seller", "2", "--password", "pw"], cli.env)).code, 0, "account 2 registers without a name");
});

after(async () => {
  await cli.stop();
});

describe("names on the command line", () => {
  it("takes a name in any letter case wherever an account is asked for", async () => {
    const ran = await carbon(["balance", "aNA"], cli.env);
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, `Ana ${ana}\nas customer  0\nas seller    0\n`);
  });

  it("refuses a name nobody has, in one line, with exit 2", async () => {
    const ran = await carbon(["issue", "zoe", "5"], cli.env);
    assert.equal(ran.code, 2);
    assert.equal(ran.stdout, "");
    assert.equal(ran.stderr, 'error: no account is named "zoe": no name in the market and no wallet of yours (see `carbon registered` and `carbon wallet list`)\n');
  });

  it("refuses a taken name, whatever its case, before sending (exit 2)", async () => {
    const before = await cli.market.blockNumber();
    const ran = await carbon(["rename", "2", "ANA"], cli.env);
    assert.equal(ran.code, 2);
    assert.equal(ran.stdout, "");
    assert.equal(ran.stderr, `error: the name "ANA" is taken: Ana ${ana} has it; choose another\n`);
    assert.equal(await cli.market.blockNumber(), before, "nothing was sent");
  });

  it("refuses a name that reads as an index before sending (exit 2)", async () => {
    const ran = await carbon(["rename", "2", "42"], cli.env);
    assert.equal(ran.code, 2);
    assert.equal(ran.stderr, "error: a name cannot be only digits (42 reads as an account index)\n");
  });

  it("renames an account, and shows the name beside the address in tables and JSON", async () => {
    const renamed = await carbon(["rename", "2", "Bea"], cli.env);
    assert.equal(renamed.code, 0, renamed.stderr);
    assert.match(renamed.stdout, /^✔ Name changed\n/);

    const table = await carbon(["accounts", "--limit", "3"], cli.env);
    const rows = table.stdout.split("\n");
    assert.match(rows[2], new RegExp(`^1 +Ana ${ana} +customer `), "Ana's row");
    assert.match(rows[3], new RegExp(`^2 +Bea ${bea} +seller `), "Bea's row");

    const json = JSON.parse((await carbon(["balance", "bea", "--json"], cli.env)).stdout) as Record<string, unknown>;
    assert.deepEqual(json, { ok: true, address: bea, name: "Bea", customerCarbon: "0", sellerCarbon: "0" });

    const same = await carbon(["rename", "2", "Bea"], cli.env);
    assert.equal(same.code, 2, "the name it has already: nothing to send");
    assert.equal(same.stderr, `error: Bea ${bea} is called Bea already\n`);
  });

  it("lists the market's own accounts by name, whole or one list, without the node's keys", async () => {
    const all = await carbon(["registered"], cli.env);
    assert.equal(all.code, 0, all.stderr);
    const rows = all.stdout.trimEnd().split("\n");
    assert.match(rows[0], /^account +role +carbon +ether$/);
    assert.match(rows[1], new RegExp(`^Ana ${ana} +customer +0 +\\d`), "Ana first, from the customers' registry");
    assert.match(rows[2], new RegExp(`^Bea ${bea} +seller +0 +\\d`), "then Bea, from the sellers'");
    assert.equal(rows.length, 3, "only the two registered: no node key that never registered");

    const sellers = JSON.parse((await carbon(["registered", "sellers", "--json"], cli.env)).stdout) as { list: string; total: number; accounts: Array<Record<string, unknown>> };
    assert.equal(sellers.list, "sellers");
    assert.equal(sellers.total, 1);
    assert.deepEqual(sellers.accounts.map((row) => [row.address, row.name, row.seller, row.customer]), [[bea, "Bea", true, false]]);

    const frozen = await carbon(["registered", "frozen"], cli.env);
    assert.equal(frozen.stdout, "No frozen accounts yet.\n");
    const wrong = await carbon(["registered", "students"], cli.env);
    assert.equal(wrong.code, 2);
    assert.equal(wrong.stderr, 'error: "students" is not a list of the market\'s: say customers, sellers, verifiers or frozen (or nothing, for every registered account)\n');
  });

  it("keeps a rename in the account's records, with the name it gave", async () => {
    const shown = await carbon(["records", "Bea"], cli.env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /rename +- +- +to Bea: Name changed/, shown.stdout);
    const json = JSON.parse((await carbon(["records", "Bea", "--json"], cli.env)).stdout) as { records: Array<Record<string, unknown>> };
    const renames = json.records.filter((record) => record.operation === "SetName");
    assert.deepEqual(renames.map((record) => [record.newName, record.isSuccess, record.message]), [["Bea", true, "Name changed"]]);
  });
});
