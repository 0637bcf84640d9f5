// `npm run walkthrough`: the thesis's eight modules, our matchmaking and the compliance cycle, narrated and run, on a fresh chain (it starts
// the embedded chain and deploys) and again on the used one; Enter paces it unless --yes.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../cli/chain/home";
import { STEPS } from "../../cli/walkthrough/steps";
import { place, runScript, WALKTHROUGH, type Place, type Ran } from "./harness";

const MODULES = [
  "Registration",
  "Login",
  "Quota allocation",
  "Release of carbon information",
  "Purchase",
  "Settlement",
  "Record and balance query",
  "Supervision",
  "Matchmaking",
  "Compliance cycle",
];

/** Every step's heading, in the thesis's order. */
function assertAllSteps(stdout: string): void {
  let from = 0;
  MODULES.forEach((module, i) => {
    const at = stdout.indexOf(`Step ${i + 1} of ${MODULES.length}  ${module}`, from);
    assert.ok(at >= from, `step ${i + 1} (${module}) should follow the previous one`);
    from = at;
  });
}

describe("npm run walkthrough", () => {
  let where: Place;
  /** The chain's second walkthrough, paced and then let run: what the used-chain test checks. */
  let second: Ran | undefined;

  before(async () => {
    where = await place();
  });

  after(() => where?.remove());

  it("follows the thesis's modules in order", () => {
    assert.deepEqual(
      STEPS.map((step) => step.module),
      MODULES,
    );
  });

  it("with --yes, runs on a fresh chain: starts it, deploys, narrates each step with its transaction and gas, and stops the chain", async () => {
    const ran = await runScript(WALKTHROUGH, ["--yes"], where.env);
    assert.equal(ran.code, 0, `the walkthrough failed:\n${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stderr, /Embedded chain ready at/);
    assert.match(ran.stderr, /Market deployed: Carbon at 0x[0-9a-fA-F]{40}/);
    assert.match(ran.stderr, /Embedded chain stopped; its state is kept in/);
    assertAllSteps(ran.stdout);
    for (const message of ["Registration succeeded", "Successfully registered", "Logged in:", "Wrong password for", "Successfully issued quota", "Successfully created quota", "Buy successfully", "Settlement succeeded", "Account frozen", "This account is frozen", "Account unfrozen",
      "Period opened", "The cap of this period would be exceeded", "Verifier accredited", "Verifier appointed", "Appointment accepted", "Emissions reported", "Report approved", "Quota surrendered", "The chain's clock moved 61 days forward", "Period closed", "Short: the account is frozen and a penalty recorded", "Quota surrendered, the shortfall is cleared"]) {
      assert.ok(ran.stdout.includes(message), `the walkthrough should show "${message}"`);
    }
    assert.equal((ran.stdout.match(/ {2}tx 0x[0-9a-f]{64}\n {2}block \d+ {2}gas used [\d,]+ {2}cost 0\.\d+ ETH/g) ?? []).length, 29, "29 transactions (10, the matchmaking chapter's 6 and the compliance chapter's 13), each with its hash, block, gas and cost");
    assert.match(ran.stdout, /✔ Walkthrough complete: 29 transactions, [\d,]+ gas in all\./);
    assert.match(ran.stdout, /→ withdraw\(\) {2}by the customer: the 0\.481 ETH its offers earned[^\n]*\n✔ Ether withdrawn\n/, "the maker takes its credited proceeds");
    // Matchmaking: the book before and after the crossing bid, which fills the cheaper offer and part of the dearer.
    assert.match(ran.stdout, /The book before[^\n]*\n[^\n]*\nside  price \(ETH\)  quantity  orders\nask        0\.0121        20       1\nask        0\.0120        30       1\n/);
    assert.match(ran.stdout, /→ placeBid\(40, 0\.0121 ETH\)[^\n]*\n✔ Order filled\n {2}event Trade [\s\S]{0,120}?price=0\.012\s+ETH\s+quantity=30/);
    assert.match(ran.stdout, /The book after[^\n]*\ntrading   no price band   last 0\.0121 ETH\nside  price \(ETH\)  quantity  orders\nask        0\.0121        10       1\n/);
    assert.match(ran.stdout, /✔ Order cancelled/);
    // Each transaction's decoded events: the thesis's outcome event and Activity.
    assert.match(ran.stdout, /✔ Buy successfully\n {2}event BuyCarbon sender=0x[0-9a-f]{4}…[0-9a-f]{4} isSuccess=true\n? *message="Buy successfully"\n {2}event Activity /);
    assert.match(ran.stdout, /event Activity account=0x[0-9a-f]{4}…[0-9a-f]{4} counterparty=0x[0-9a-f]{4}…[0-9a-f]{4}\s+operation=BuyCarbon\s+carbonId=WT-[0-9A-Z]+\s+amount=200\s+isSuccess=true/);
    // The frozen purchase is of a lot for sale, and its ✘ is explained as a mined, paid transaction.
    const frozen = /→ buyCarbon\(0x[0-9a-f]{4}…[0-9a-f]{4}, "(WT-[0-9A-Z]+-2)"\) {2}\(frozen\)\n✘ This account is frozen/.exec(ran.stdout);
    assert.ok(frozen, "the frozen customer tries to buy the second lot");
    assert.match(ran.stdout, new RegExp(`→ addCarbon\\(0x[0-9a-f]{4}…[0-9a-f]{4}, "${frozen[1]}", 100\\)\n✔ Successfully created quota`), "which was published just before, so it is for sale");
    assert.match(ran.stdout, /✘ is the contract's answer, not a failed transaction: it was mined in\s+block\s+\d+\s+and its gas was paid/);
    assert.match(ran.stdout, /2 of them ended in ✘: mined and paid like the others/, "the frozen purchase and the issue past the cap");
    // The compliance chapter's table: B before enforcement, then frozen with the penalty (50 short × 10).
    assert.match(ran.stdout, /Compliance WT-[0-9A-Z]+ \(closed: statuses are final\)\naccount +allocated +verified +surrendered +status +penalty +frozen\n0x[0-9a-f]{4}…[0-9a-f]{4} +400 +350 +300 +B +0\n/);
    assert.match(ran.stdout, /0x[0-9a-f]{4}…[0-9a-f]{4} +400 +350 +300 +B +500 +frozen\n/);
    assert.match(ran.stdout, /as customer {2}300\nas seller {4}0/, "the customer's balance: 500 issued, 200 paid");
  });

  // The chain's second walkthrough is paced by Enter until its input ends, and then runs straight
  // through, as --yes does: that one run shows the pacing and, in the next test, what a used chain
  // answers, instead of a walkthrough for each.
  it("waits for Enter between steps without --yes", async () => {
    const child = spawn(process.execPath, [WALKTHROUGH], { cwd: PROJECT_ROOT, env: where.env, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => ((output += chunk), (stdout += chunk)));
    child.stderr.on("data", (chunk) => ((output += chunk), (stderr += chunk)));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 60_000;
      while (!output.includes(text)) {
        if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await waitFor("Press Enter for the first step");
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.ok(!output.includes(`Step 1 of ${MODULES.length}`), "the first step waits for Enter");
      child.stdin.write("\n");
      // The call is shown, then the walkthrough waits so the class can predict its result.
      await waitFor("Press Enter for the result (what will the contract answer?)");
      assert.ok(output.includes(`Step 1 of ${MODULES.length}`) && output.includes("→ newCustomer("), "the first call is announced");
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.ok(!output.includes("  tx 0x"), "its result waits for Enter");
      child.stdin.write("\n");
      await waitFor("  tx 0x"); // refused on this used chain: still a mined transaction
      child.stdin.write("\n");
      await waitFor("Press Enter for the next step");
      assert.ok(output.includes("→ newSeller(") && !output.includes(`Step 2 of ${MODULES.length}`), "one step at a time");
      // End of input: the rest runs straight through.
      child.stdin.end();
      const code = await closed;
      second = { code, signal: null, stdout, stderr };
      assert.equal(code, 0, `the walkthrough failed:\n${output}`);
      assert.ok(output.includes("Walkthrough complete"), "it finishes once input ends");
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("runs again on the used chain: the registrations are refused as the contract says, and the rest goes on", () => {
    // The paced run above was this chain's second.
    assert.ok(second, "the paced walkthrough ran");
    const ran = second;
    assert.equal(ran.code, 0, `the second walkthrough failed:\n${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stderr, /Market found: Carbon at/, "the market deployed by the first run is found");
    assertAllSteps(ran.stdout);
    assert.equal((ran.stdout.match(/✘ This account is already registered/g) ?? []).length, 2);
    assert.match(ran.stdout, /an earlier walkthrough registered it/);
    assert.match(ran.stdout, /Buy successfully/, "a new lot is published and bought");
    assert.match(ran.stdout, /as customer {2}610/, "the customer's balance carries over: 300 - 40 sold on the book + 400 issued in the period - 350 surrendered, then + 500 - 200");
    assert.match(ran.stdout, /is accredited already, by an earlier run/, "the verifier is not accredited twice");
    assert.match(ran.stdout, /✔ Walkthrough complete: 27 transactions/);
  });
});
