// The compliance cycle in the interactive session, in a pseudo-terminal of 80×24, each role from its
// own menu: the regulator opens a period and accredits a verifier, the customer appoints it and
// reports with an evidence file, the verifier (the top menu's new role) accepts and approves, the
// customer surrenders and reads its obligation: status A; the regulator moves the clock, closes and
// enforces (nothing to: A). Then the verifier signs in with its key
// held in a wallet. One chain.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Compliance } from "../../cli/chain/compliance";
import { DEV_MNEMONIC } from "../../cli/chain/ganache";
import { keccak256Hex } from "../../cli/input/evidence";
import { carbon, startMarket, type CliChain } from "./support/cli";
import { Terminal } from "./support/terminal";

let cli: CliChain;
let customer: string;
let verifier: string;
let evidenceFile: string;

before(async () => {
  cli = await startMarket();
  customer = cli.accounts[1];
  verifier = cli.accounts[6];
  await cli.market.newCustomer(customer, "pw-1");
  evidenceFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "evidence-")), "report.txt");
  fs.writeFileSync(evidenceFile, "500 tonnes, measured\n");
});

after(async () => {
  fs.rmSync(path.dirname(evidenceFile), { recursive: true, force: true });
  await cli.stop();
});

async function signInCustomer(term: Terminal): Promise<void> {
  await term.choose(2);
  await term.waitFor("Which customer?");
  await term.choose(1);
  await term.waitFor("Password");
  await term.line("pw-1");
  await term.waitFor(/✔ Logged in[\s\S]*8\. Log out/);
}

describe("the compliance cycle in the session", () => {
  it("runs a period from opening to a compliant customer, each role from its own menu", async () => {
    const term = new Terminal([], cli.env);
    try {
      await term.waitFor(/Sign in as[\s\S]*3\. Seller[^\n]*\n[\s\S]*4\. Verifier {2}\(the node's key[\s\S]*8\. Quit/);

      // No verifier yet: the role says so and stays at the top menu.
      await term.choose(4);
      await term.waitFor(/No verifier is accredited yet[\s\S]*Sign in as/);

      // The regulator opens the period, field by field, and accredits account 6.
      await term.choose(1);
      await term.waitFor("9. Compliance cycle");
      await term.choose(9);
      await term.waitFor(/Compliance cycle \(regulator\)[\s\S]*12\. Back/);
      await term.choose(3);
      await term.waitFor("Label");
      await term.line("2026");
      await term.waitFor("Cap");
      await term.line("1000");
      await term.waitFor("Reporting deadline");
      await term.line("yesterday");
      await term.waitFor('the reporting deadline "yesterday" is not a date');
      await term.type("\u007f".repeat(9));
      await term.line("+30d");
      await term.waitFor("Surrender deadline");
      await term.line("+60d");
      await term.waitFor("Penalty per tonne short");
      await term.line("5");
      await term.waitFor("✔ Period opened");
      await term.choose(4);
      await term.waitFor("Accredit which accounts?");
      await term.choose(6);
      await term.waitFor(/◉ {2}6 {2}0x/);
      for (let i = 0; i < 12 && !/❯ Accredit the 1 marked/.test(term.recent); i++) await term.type("\u001b[A");
      await term.waitFor("❯ Accredit the 1 marked ›");
      await term.type("\r");
      await term.waitFor(/✔ 0x[0-9a-f]{4}…[0-9a-f]{4} {2}Verifier accredited[\s\S]*1 of 1 succeeded/);
      await term.choose(12);
      await term.waitFor("1. Issue quota to a customer");
      await term.choose(1);
      await term.waitFor("Issue to which customer?");
      await term.choose(1);
      await term.waitFor(/Amount for 0x[0-9a-f]{40} \(holds 0; period 2026:\s+1000 of 1000 left\)/);
      // Over the cap is refused in the field: nothing is sent, and the right amount still goes.
      await term.line("1001");
      await term.waitFor("period 2026 has 1000 of its cap of 1000 left");
      await term.type("\u007f".repeat(4));
      await term.line("600");
      await term.waitFor("✔ Successfully issued quota");
      await term.choose(13);

      // The customer appoints the verifier and reports, with the evidence file.
      await term.waitFor("Sign in as");
      await signInCustomer(term);
      await term.choose(7);
      await term.waitFor(/Compliance 0x[0-9a-f]{40}[\s\S]*6\. Back/);
      await term.choose(2);
      await term.waitFor("Appoint which verifier?");
      await term.choose(6);
      await term.waitFor("✔ Verifier appointed");
      await term.choose(3);
      await term.waitFor("Emissions this period, in tonnes");
      await term.line("500");
      await term.waitFor("Evidence");
      await term.line(evidenceFile);
      await term.waitFor("✔ Emissions reported");
      await term.choose(6);
      await term.waitFor("8. Log out");
      await term.choose(8);

      // The verifier signs in from the top menu, accepts (the second key) and approves.
      await term.waitFor("Sign in as");
      await term.choose(4);
      await term.waitFor("Which verifier?");
      await term.choose(6);
      await term.waitFor(/✔ Signed in: 0x[0-9a-f]{40} is an accredited verifier[\s\S]*6\. Log out/);
      await term.choose(1);
      await term.waitFor(`${customer}  appointed you: accept first`);
      await term.choose(2);
      await term.waitFor("Accept which customer's appointment?");
      await term.choose(1);
      await term.waitFor("✔ Appointment accepted");
      await term.choose(3);
      await term.waitFor(/Whose report\?[\s\S]*reported 500 t: to verify/);
      await term.choose(1);
      await term.waitFor("Your decision");
      await term.choose(1);
      await term.waitFor("✔ Report approved");
      await term.choose(6);

      // The customer surrenders what it emitted and reads its obligation.
      await term.waitFor("Sign in as");
      await signInCustomer(term);
      await term.choose(7);
      await term.waitFor("6. Back");
      await term.choose(4);
      await term.waitFor("Amount to surrender (you hold 600, verified emissions 500, surrendered 0)");
      await term.line("500");
      await term.waitFor("✔ Quota surrendered");
      await term.choose(1);
      await term.waitFor(/status {6}A\n[\s\S]*verifier {4}0x[0-9a-f]{40} \(accepted\)\nverified {4}500\nsurrendered 500/);
      await term.choose(6);
      await term.waitFor("8. Log out");
      await term.choose(8);

      // The regulator moves the clock past the deadlines, closes, enforces (nothing: the customer is A).
      await term.waitFor("Sign in as");
      await term.choose(1);
      await term.waitFor("9. Compliance cycle");
      await term.choose(9);
      await term.waitFor("12. Back");
      await term.choose(11);
      await term.waitFor("Move the clock forward by");
      await term.line("61d");
      await term.waitFor("✔ The chain's clock moved 61 days forward");
      await term.choose(7);
      await term.waitFor("Close the period? Its statuses become final");
      await term.line("n");
      await term.waitFor("12. Back");
      await term.choose(7);
      await term.waitFor("Close the period? Its statuses become final");
      await term.line("y");
      await term.waitFor("✔ Period closed");
      await term.choose(8);
      await term.waitFor("Enforce now?");
      await term.line("y");
      await term.waitFor("Nothing to enforce in 2026");
      await term.choose(2);
      await term.waitFor(/Compliance 2026 \(closed: statuses are final\)\naccount[^\n]*\n0x[0-9a-f]{4}…[0-9a-f]{4} +600 +500 +500 +A +0/);

      // From the table: the customer is listed with its status; freezing asks, then it shows frozen
      // and choosing it again unfreezes it.
      await term.choose(9);
      await term.waitFor(new RegExp(`Freeze or unfreeze whom\\? \\(period 2026\\)[\\s\\S]*1  ${customer}  status A\\n`));
      await term.choose(1);
      await term.waitFor(new RegExp(`Freeze ${customer}\\? It can buy, publish, settle\\s+and trade nothing`));
      await term.line("y");
      await term.waitFor(/✔ Account frozen[\s\S]*Freeze or unfreeze whom\?[\s\S]*status A · frozen/);
      assert.equal(await cli.market.isFrozen(customer), true, "frozen from the table");
      await term.choose(1);
      await term.waitFor(`Unfreeze ${customer}? It can trade again.`);
      await term.line("y");
      await term.waitFor(/✔ Account unfrozen[\s\S]*Freeze or unfreeze whom\?/);
      assert.equal(await cli.market.isFrozen(customer), false, "unfrozen from the table");
      await term.type("\u001b");
      await term.waitFor("12. Back");
      await term.choose(12);
      await term.waitFor("13. Log out");
      await term.choose(13);
      await term.waitFor("Sign in as");
      await term.choose(8);
      assert.equal(await term.exited, 0, "Quit exits 0");
    } finally {
      term.kill();
    }

    const record = await new Compliance(cli.market).record(customer, 0);
    assert.deepEqual([record.status, record.verifier, record.verified, record.surrendered], ["A", verifier, 500n, 500n], "the chain holds what the session did");
    assert.equal(record.evidence, keccak256Hex(fs.readFileSync(evidenceFile)), "the evidence file's keccak256");
  });

  it("lets a verifier whose key is in a wallet sign in with it: the key is its login", async () => {
    const imported = await carbon(["wallet", "import", "--mnemonic-index", "6", "--name", "auditor", "--password", "audit"], { ...cli.env, CARBON_MNEMONIC: DEV_MNEMONIC });
    assert.equal(imported.code, 0, imported.stderr);
    const term = new Terminal([], cli.env);
    try {
      await term.waitFor("8. Quit");
      await term.choose(6);
      await term.waitFor(/Which key\?[\s\S]*auditor/);
      await term.type("\r");
      await term.waitFor("Password");
      await term.line("audit");
      await term.waitFor(`✔ Logged in: ${verifier} is an accredited verifier`);
      await term.waitFor(/Verifier 0x[0-9a-f]{40}[\s\S]*6\. Log out/);
      await term.choose(1);
      await term.waitFor(`${customer}  verified 500`);
      await term.choose(6);
      await term.waitFor("Sign in as");
      await term.choose(8);
      assert.equal(await term.exited, 0, "Quit exits 0");
    } finally {
      term.kill();
    }
  });
});
