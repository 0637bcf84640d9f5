// The teacher's pick-lists on a served class chain are the market's: three students register under
// their names from homes of their own through another loopback address (their keys are not the
// node's), and the regulator's session, in a pseudo-terminal of 80×24, issues quota to a student found
// by typing part of its name, issues to every customer at once, accredits a student as a verifier,
// freezes a student and unfreezes it from the list of frozen accounts, and reads the period's
// compliance table by name, freezing and unfreezing from it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connect } from "../../cli/chain/connect";
import type { Market } from "../../cli/chain/market";
import { Compliance } from "../../cli/chain/compliance";
import { carbon } from "../cli/support/cli";
import { Terminal } from "../cli/support/terminal";
import { makeParticipants, removeParticipants, type Participant } from "../support/classroom";
import { startRemoteProxy, type RemoteProxy } from "../support/remote-proxy";
import { startClassChain, type ClassChain } from "./harness";

let served: ClassChain;
let proxy: RemoteProxy;
let market: Market;
let students: Participant[] = [];
let teacherEnv: NodeJS.ProcessEnv;

async function asStudent(s: Participant, args: string[]): Promise<void> {
  const ran = await carbon([...args, "--password-stdin"], s.env, { input: `${s.password}\n`, timeoutMs: 120_000 });
  assert.equal(ran.code, 0, `carbon ${args.join(" ")}\n${ran.stdout}${ran.stderr}`);
}

before(async () => {
  served = await startClassChain();
  proxy = await startRemoteProxy({ host: "127.0.0.2", port: served.where.port });
  // Students 0 and 2 are customers, 1 a seller (makeParticipants alternates).
  students = makeParticipants(3, proxy.url, process.env);
  for (const [i, s] of students.entries()) {
    const created = await carbon(["wallet", "create", "--name", `student${s.index}`, "--password-stdin", "--json"], s.env, { input: `${s.password}\n`, timeoutMs: 120_000 });
    assert.equal(created.code, 0, created.stdout + created.stderr);
    s.address = String(JSON.parse(created.stdout).address);
    await asStudent(s, ["register", s.role, s.address, "--name", NAMES[i]]);
  }
  // A period is open, so what the session issues counts toward it and its table lists the customers.
  const opened = await carbon(["period", "open", "2026", "--cap", "1000", "--report-by", "+30d", "--surrender-by", "+60d", "--penalty-rate", "5"], served.where.env, { timeoutMs: 120_000 });
  assert.equal(opened.code, 0, opened.stdout + opened.stderr);
  teacherEnv = { ...served.where.env };
  delete teacherEnv.CARBON_PASSWORD;
  process.env.CARBON_HOME = served.where.home;
  market = await connect({ rpc: served.url });
  const nodeKeys = await market.accounts();
  for (const s of students) assert.ok(!nodeKeys.includes(s.address), "a student's key is not the node's");
});

after(async () => {
  market?.close();
  await proxy?.close();
  removeParticipants(students);
  await served?.stop();
});

const UP = "\u001b[A";
const NAMES = ["Ana", "Ben", "Eva"];


describe("the teacher's pick-lists on a class chain", { timeout: 5 * 60_000 }, () => {
  it("issue, accredit, freeze and unfreeze students picked from the market's lists", async () => {
    const [ana, ben, eva] = students;
    const term = new Terminal([], teacherEnv);
    try {
      await term.waitFor(/Sign in as[\s\S]*1\. Regulator/, 60_000);
      await term.choose(1);
      await term.waitFor(/1\. Issue quota to a customer[\s\S]*13\. Log out/);

      // The customers' registry, not the node's keys: both customer students, and no seller.
      await term.choose(1);
      let screen = await term.waitFor(/Issue to which customer\?[\s\S]*Back/);
      assert.match(screen, /customers 1–2 of 2/);
      assert.ok(screen.includes(ana.address) && screen.includes(eva.address), `both customers listed:\n${screen}`);
      assert.ok(!screen.includes(ben.address), "the seller is not a customer");
      assert.match(screen, /Every customer, the same amount each ›[\s\S]*Paste an address…/);
      assert.ok(screen.includes(`Ana ${ana.address}`) && screen.includes(`Eva ${eva.address}`), `listed by name:\n${screen}`);
      await term.type("ev");
      screen = await term.waitFor("filter: ev");
      assert.ok(!screen.slice(screen.lastIndexOf("Issue to which customer?")).includes(ana.address), "the filter leaves the other customer out");
      await term.type("\r");
      await term.waitFor(`Issue to which customer? Eva ${eva.address}`);
      await term.waitFor(/Amount for Eva 0x[0-9a-f]{40}\s+\(holds\s+0;\s+period\s+2026:\s+1000\s+of\s+1000\s+left\)/);
      await term.line("40");
      await term.waitFor("✔ Successfully issued quota");

      // Every customer at once: one line per student, then the count.
      await term.choose(1);
      await term.waitFor("Every customer, the same amount each ›");
      for (let i = 0; i < 8 && !/❯ Every customer/.test(term.recent); i++) await term.type(UP);
      await term.type("\r");
      await term.waitFor("Amount for each of the 2 customers");
      await term.line("10");
      await term.waitFor("10 to each of the 2 customers (frozen ones are skipped): issue?");
      await term.choose(1);
      screen = await term.waitFor("2 of 2 succeeded", 60_000);
      assert.match(screen, /✔ Ana 0x[0-9a-f]{4}…[0-9a-f]{4} {2}10 {2}Successfully issued quota[\s\S]*✔ Eva 0x[0-9a-f]{4}…[0-9a-f]{4} {2}10 {2}Successfully issued quota/);
      assert.equal(await market.customerCarbonAmount(ana.address), 10n);
      assert.equal(await market.customerCarbonAmount(eva.address), 50n);

      // The seller student becomes a verifier: marked in the registered accounts, then accredited.
      await term.choose(9);
      await term.waitFor(/Compliance cycle \(regulator\)[\s\S]*12\. Back/);
      await term.choose(4);
      screen = await term.waitFor(/Accredit which accounts\?[\s\S]*Back/);
      assert.ok(screen.includes(ben.address), `the seller student is listed:\n${screen}`);
      await term.type("ben");
      await term.waitFor("filter: ben");
      await term.type("\r");
      await term.waitFor(`◉     Ben ${ben.address}`);
      for (let i = 0; i < 12 && !/❯ Accredit the 1 marked/.test(term.recent); i++) await term.type(UP);
      await term.type("\r");
      await term.waitFor(/✔ Ben 0x[0-9a-f]{4}…[0-9a-f]{4} {2}Verifier accredited[\s\S]*1 of 1 succeeded/, 60_000);
      assert.equal(await new Compliance(market).isVerifier(ben.address), true, "accredited on chain");
      await term.choose(12);

      // Freeze a student from the registered accounts, then unfreeze it from the frozen ones.
      await term.waitFor("6. Freeze an account");
      await term.choose(6);
      await term.waitFor("Freeze which account?");
      await term.type("ana");
      await term.waitFor("filter: ana");
      await term.type("\r");
      await term.waitFor("? Freeze ");
      await term.line("y");
      await term.waitFor("✔ Account frozen", 60_000);
      assert.equal(await market.isFrozen(ana.address), true);
      await term.choose(7);
      screen = await term.waitFor(/Unfreeze which account\?[\s\S]*Back/);
      assert.match(screen, /frozen accounts 1–1 of 1/);
      assert.ok(screen.includes(ana.address), `the frozen student is listed:\n${screen}`);
      await term.type("\r");
      await term.waitFor("✔ Account unfrozen", 60_000);
      assert.equal(await market.isFrozen(ana.address), false);

      // The period's table by name; freezing from it asks, then the list shows the mark.
      await term.waitFor("9. Compliance cycle");
      await term.choose(9);
      await term.waitFor("12. Back");
      await term.choose(2);
      screen = await term.waitFor(/Compliance 2026[\s\S]*12\. Back/);
      assert.match(screen, /Ana 0x[0-9a-f]{4}…[0-9a-f]{4} +10 +- +0 +-/, `Ana's row, by name:\n${screen}`);
      assert.match(screen, /Eva 0x[0-9a-f]{4}…[0-9a-f]{4} +50 +- +0 +-/, `Eva's row, by name:\n${screen}`);
      await term.choose(9);
      screen = await term.waitFor(/Freeze or unfreeze whom\? \(period 2026\)[\s\S]*Back/);
      assert.ok(screen.includes(`Eva ${eva.address}  status -`), `the table's customers by name:\n${screen}`);
      await term.type("\u001b[B".repeat(1) + "\r");
      await term.waitFor(/Freeze Eva 0x[0-9a-f]{40}\?/);
      await term.line("y");
      await term.waitFor(/✔ Account frozen[\s\S]*Freeze or unfreeze whom\?[\s\S]*status - · frozen/, 60_000);
      assert.equal(await market.isFrozen(eva.address), true, "frozen from the table");
    } finally {
      term.kill();
    }
  });
});
