// `carbon issue --all <amount>` and `carbon issue --file <csv>`: one transaction per customer, each
// outcome on its own line and the count after; a frozen customer skipped, a refusal on one account
// reported while the others still get theirs (exit 1), and an open period's cap checked for the whole
// batch before anything is sent (exit 2, nothing changed).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Compliance } from "../../cli/chain/compliance";
import { carbon, fingerprint, startMarket, type CliChain } from "./support/cli";

let cli: CliChain;
let accounts: string[];
let dir: string;

before(async () => {
  cli = await startMarket();
  accounts = cli.accounts;
  // Customers 1, 3 and 5 (5 frozen), seller 2.
  for (const index of [1, 3, 5]) await cli.market.newCustomer(accounts[index], `pw-${index}`);
  await cli.market.newSeller(accounts[2], "pw-2");
  await cli.market.freezeAccount(accounts[5]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "carbon-amounts-"));
});

after(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await cli.stop();
});

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

describe("carbon issue to many", () => {
  it("issues the amount to every customer, skipping the frozen one", async () => {
    const ran = await carbon(["issue", "--all", "25"], cli.env);
    assert.equal(ran.code, 0, ran.stdout + ran.stderr);
    const lines = ran.stdout.trim().split("\n");
    assert.match(lines[0], new RegExp(`^✔ ${short(accounts[1])} {2}25 {2}Successfully issued quota {2}block \\d+$`));
    assert.match(lines[1], new RegExp(`^✔ ${short(accounts[3])} {2}25 {2}Successfully issued quota`));
    assert.equal(lines[2], `- ${short(accounts[5])}  25  frozen: skipped`);
    assert.equal(lines[3], "2 of 3 succeeded, 1 skipped");
    assert.equal(await cli.market.customerCarbonAmount(accounts[1]), 25n);
    assert.equal(await cli.market.customerCarbonAmount(accounts[3]), 25n);
    assert.equal(await cli.market.customerCarbonAmount(accounts[5]), 0n, "nothing sent to the frozen customer");
  });

  it("issues each line of a CSV its amount, and reports the one the market refuses without stopping", async () => {
    const file = path.join(dir, "amounts.csv");
    // A heading, an address, an index, a seller (not a customer: refused), and a comment.
    fs.writeFileSync(file, `account,amount\n${accounts[1]},5\n# the seller is not a customer\n${accounts[2]},1\n3,7\n`);
    const ran = await carbon(["issue", "--file", file, "--json"], cli.env);
    assert.equal(ran.code, 1, "one refusal: the contract said no");
    const body = JSON.parse(ran.stdout) as { ok: boolean; rows: Array<{ account: string; amount: string; ok: boolean; message?: string }> };
    assert.equal(body.ok, false);
    assert.deepEqual(body.rows.map((row) => [row.account, row.amount, row.ok]), [[accounts[1], "5", true], [accounts[2], "1", false], [accounts[3], "7", true]]);
    assert.equal(body.rows[1].message, "This account has not been registered, and the distribution failed");
    assert.equal(await cli.market.customerCarbonAmount(accounts[1]), 30n);
    assert.equal(await cli.market.customerCarbonAmount(accounts[3]), 32n, "the line after the refusal was still issued");
  });

  it("refuses a bad CSV line and a mix of arguments before connecting", async () => {
    const file = path.join(dir, "bad.csv");
    fs.writeFileSync(file, `${accounts[1]},5\n${accounts[3]},many\n`);
    const bad = await carbon(["issue", "--file", file], cli.env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.csv line 2: amount "many" is not a whole number/);
    const mixed = await carbon(["issue", accounts[1], "--all", "5"], cli.env);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /--all and --file take no <customer> <amount>/);
    const none = await carbon(["issue"], cli.env);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /missing required argument 'customer' \(or --all <amount> for every customer, or --file <csv>\)/);
  });

  it("refuses, before sending anything, a batch that would pass an open period's cap", async () => {
    const client = new Compliance(cli.market);
    const now = await client.currentTime();
    const opened = await client.openPeriod({ label: "2026", cap: 50n, reportingDeadline: now + 3_600, surrenderDeadline: now + 7_200, penaltyRate: 0n });
    assert.equal(opened.ok, true, opened.message);
    const before = await fingerprint(cli);
    const ran = await carbon(["issue", "--all", "30"], cli.env);
    assert.equal(ran.code, 2, ran.stdout + ran.stderr);
    assert.match(ran.stderr, /issuing 60 in all would pass period "2026"'s cap: 50 of 50 left, at most 25 each for 2 accounts; nothing was sent/);
    assert.equal(await fingerprint(cli), before, "nothing was sent");
    const fits = await carbon(["issue", "--all", "25"], cli.env);
    assert.equal(fits.code, 0, fits.stdout + fits.stderr);
    assert.match(fits.stdout, /2 of 3 succeeded, 1 skipped/);
  });
});
