// `carbon batch`: one process, one JSON line per command in the --json envelope; stops at the first
// failure by default, runs every line with --keep-going; the chain afterwards holds exactly what the
// lines reported.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { carbon, startMarket, type CliChain } from "./support/cli";

let cli: CliChain;
let customer: string;

before(async () => {
  cli = await startMarket();
  [, customer] = cli.accounts;
});

after(async () => {
  await cli.stop();
});

function parse(stdout: string): Array<Record<string, any>> {
  return stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

describe("carbon batch", () => {
  it("runs every line in order and prints one envelope each (blank lines and comments skipped)", async () => {
    const input = [
      "# set up a market",
      "register customer 1 --password pw",
      "register seller 2 --password 'pw two'",
      "",
      "issue 1 500",
      "add-carbon 2 B-1 40",
      "add-carbon 2 B-2 60",
      "buy 1 B-1",
      "balance 1",
      "carbons --unsold",
    ].join("\n");
    const { code, stdout, stderr } = await carbon(["batch"], cli.env, { input });
    assert.equal(code, 0, stderr);
    const lines = parse(stdout);
    assert.equal(lines.length, 8, "one line per command");
    assert.ok(lines.every((l) => l.ok === true), stdout);
    assert.equal(new Set(lines.slice(0, 6).map((l) => l.txHash)).size, 6, "six transactions");
    assert.ok(lines.slice(0, 6).every((l) => /^0x[0-9a-f]{64}$/.test(l.txHash)), "each write has its hash");
    assert.deepEqual(lines[6], { ok: true, address: customer, customerCarbon: "460", sellerCarbon: "0" }, "the read sees the writes before it");
    assert.deepEqual(lines[7].lots.map((l: any) => l.carbonId), ["B-2"]);
    assert.equal(await cli.market.customerCarbonAmount(customer), 460n, "the chain agrees");
  });

  it("stops at the first failure by default: a bad line is exit 2 and nothing after it runs", async () => {
    const file = path.join(cli.chain.home, "stop.txt");
    fs.writeFileSync(file, ["issue 1 1", "issue 1 not-a-number", "issue 1 2"].join("\n"));
    const before = await cli.market.customerCarbonAmount(customer);
    const { code, stdout } = await carbon(["batch", "--file", file], cli.env);
    const lines = parse(stdout);
    assert.equal(code, 2, "the bad line's exit code");
    assert.equal(lines.length, 2, "the failing line is reported, the rest not run");
    assert.deepEqual([lines[0].ok, lines[1].ok, lines[1].exitCode], [true, false, 2]);
    assert.match(lines[1].error, /not-a-number/);
    assert.equal(await cli.market.customerCarbonAmount(customer), before + 1n, "only the first issue happened");
  });

  it("a refusal foreseen before sending is exit 2 with its numbers, sends nothing, and stops the batch", async () => {
    const block = await cli.market.blockNumber();
    const { code, stdout } = await carbon(["batch"], cli.env, { input: "buy 1 B-1\nissue 1 3\n" });
    const lines = parse(stdout);
    assert.equal(code, 2);
    assert.deepEqual(lines, [{ ok: false, error: `lot B-1 is sold already, to ${customer}`, exitCode: 2 }]);
    assert.equal(await cli.market.blockNumber(), block, "nothing was sent");
  });

  it("a refused operation (the contract said no) is exit 1 with the thesis's message, and stops the batch", async () => {
    // Account 5 is not registered: a refusal the contract is left to say.
    const { code, stdout } = await carbon(["batch"], cli.env, { input: "issue 5 3\nissue 1 3\n" });
    const lines = parse(stdout);
    assert.equal(code, 1);
    assert.equal(lines.length, 1);
    assert.equal(lines[0].ok, false);
    assert.equal(lines[0].exitCode, 1);
    assert.equal(lines[0].error, lines[0].message, "error and message are the thesis's message");
    assert.match(lines[0].txHash, /^0x[0-9a-f]{64}$/, "a refusal was mined: it has a hash");
  });

  it("--keep-going runs every line and exits with the first failure's code", async () => {
    const before = await cli.market.customerCarbonAmount(customer);
    const input = ["issue 1 10", "frobnicate 1", "buy 1 B-1", "issue 1 20", "carbon NO-SUCH-LOT", "issue 1 30"].join("\n");
    const { code, stdout } = await carbon(["batch", "--keep-going"], cli.env, { input });
    const lines = parse(stdout);
    assert.equal(lines.length, 6, "every line reported, in order");
    assert.deepEqual(lines.map((l) => l.ok), [true, false, false, true, false, true]);
    assert.deepEqual(lines.map((l) => l.exitCode ?? 0), [0, 2, 2, 0, 1, 0], "the foreseen refusal of buy is its line's, as any other");
    assert.equal(code, 2, "the first failure's code");
    assert.equal(await cli.market.customerCarbonAmount(customer), before + 60n, "the three issues, and only they, happened");
  });

  it("refuses --password-stdin in a line, since standard input is the batch", async () => {
    const { code, stdout } = await carbon(["batch"], cli.env, { input: "register customer 5 --password-stdin\n" });
    assert.equal(code, 2);
    assert.match(parse(stdout)[0].error, /--password-stdin cannot be used in a batch/);
  });
});
