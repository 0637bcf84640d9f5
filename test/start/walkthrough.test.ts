// `npm run walkthrough`: the thesis's eight modules, our matchmaking, the compliance cycle and the lesson, narrated and run, on a fresh chain
// (it starts the embedded chain and deploys) and again on the used one; Enter paces it unless --yes. The lesson chapter's
// figures are recomputed here from the chain; it runs alone with --chapter, and skips in one line beside a class's lesson or an open period.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Compliance } from "../../cli/chain/compliance";
import { connect } from "../../cli/chain/connect";
import { PROJECT_ROOT } from "../../cli/chain/home";
import { Lesson, type LessonFirm } from "../../cli/chain/lesson";
import type { Market } from "../../cli/chain/market";
import { OrderBook } from "../../cli/chain/order-book";
import { TICK_WEI } from "../../cli/chain/order-book-types";
import { startEmbeddedChain, type EmbeddedChain } from "../../cli/start/embedded-chain/supervisor";
import { costText, LESSON_STORY } from "../../cli/walkthrough/lesson-chapter";
import { STEPS } from "../../cli/walkthrough/steps";
import { place, runScript, WALKTHROUGH, type Place } from "./harness";

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
  "Why trade (the lesson)",
];

/** Words as the narrator prints them, whatever its line breaks and a table's padding. */
const flat = (text: string) => text.replace(/\s+/g, " ");

/** A firm's schedule tonne by tonne, cheapest first. */
const unitCosts = (firm: LessonFirm) => firm.blocks.flatMap((block) => Array<bigint>(Number(block.tonnes)).fill(block.costPerTonne));
const sum = (values: bigint[]) => values.reduce((total, value) => total + value, 0n);

/**
 * The lesson chapter's figures for its latest round, computed here from the chain alone: the
 * schedules, what each firm paid for abatement, and the book's trades between the two firms.
 */
async function chapterFigures(market: Market) {
  const lesson = await Lesson.attach(market);
  const firms = await lesson.firms();
  assert.equal(firms.length, 2, "the lesson holds the chapter's two firms and no others");
  const round = (await lesson.rounds()).at(-1)!;
  const total = sum(firms.map((firm) => firm.baseline));
  const uniform = firms.map((firm) => sum(unitCosts(firm).slice(0, Number((firm.baseline * round.cut) / total))));
  const least = sum(firms.flatMap(unitCosts).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, Number(round.cut)));
  const paid = await Promise.all(firms.map(async (firm) => (await lesson.firmRound(firm.account, round.periodId)).paid));
  const from = Math.min(...(await lesson.abatements()).filter((event) => event.periodId === round.periodId).map((event) => event.block));
  const accounts = firms.map((firm) => firm.account);
  const trades = (await new OrderBook(market).trades(from)).filter((trade) => accounts.includes(trade.buyer.toLowerCase()) && accounts.includes(trade.seller.toLowerCase()));
  const traded = (account: string, side: "buyer" | "seller") => sum(trades.filter((trade) => trade[side].toLowerCase() === account).map((trade) => trade.price * trade.quantity));
  const net = firms.map((firm, i) => paid[i] + traded(firm.account, "buyer") - traded(firm.account, "seller"));
  return { lesson, firms, round, uniform, least, paid, trades, net };
}

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
  /** Started by the test after the first run, which starts and stops its own: the later runs use it, and the test reads it. */
  let chain: EmbeddedChain | undefined;
  let market: Market | undefined;
  let firstRun = "";

  before(async () => {
    where = await place();
  });

  after(async () => {
    market?.close();
    await chain?.stop();
    where?.remove();
  });

  it("follows the thesis's modules in order", () => {
    assert.deepEqual(
      STEPS.map((step) => step.module),
      MODULES,
    );
  });

  it("with --yes, runs on a fresh chain: starts it, deploys, narrates each step with its transaction and gas, and stops the chain", async () => {
    const ran = await runScript(WALKTHROUGH, ["--yes"], where.env);
    firstRun = ran.stdout;
    assert.equal(ran.code, 0, `the walkthrough failed:\n${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stderr, /Embedded chain ready at/);
    assert.match(ran.stderr, /Market deployed: Carbon at 0x[0-9a-fA-F]{40}/);
    assert.match(ran.stderr, /Embedded chain stopped; its state is kept in/);
    assertAllSteps(ran.stdout);
    for (const message of ["Registration succeeded", "Successfully registered", "Logged in:", "Wrong password for", "Successfully issued quota", "Successfully created quota", "Buy successfully", "Settlement succeeded", "Account frozen", "This account is frozen", "Account unfrozen",
      "Period opened", "The cap of this period would be exceeded", "Verifier accredited", "Verifier appointed", "Appointment accepted", "Emissions reported", "Report approved", "Quota surrendered", "The chain's clock moved 61 days forward", "Period closed", "Short: the account is frozen and a penalty recorded", "Quota surrendered, the shortfall is cleared"]) {
      assert.ok(ran.stdout.includes(message), `the walkthrough should show "${message}"`);
    }
    assert.equal(
      (ran.stdout.match(/ {2}tx 0x[0-9a-f]{64}\n {2}block \d+ {2}gas used [\d,]+ {2}cost 0\.\d+ ETH/g) ?? []).length,
      39,
      "39 transactions shown in full (10, the matchmaking chapter's 6, the compliance chapter's 13 and the lesson chapter's 10), each with its hash, block, gas and cost",
    );
    assert.equal((ran.stdout.match(/^✔ [^\n]+ {2}block \d+ {2}gas used [\d,]+$/gm) ?? []).length, 15, "and the lesson chapter's 15 of the compliance cycle, a line each");
    assert.match(ran.stdout, /✔ Walkthrough complete: 54 transactions, [\d,]+ gas in all\./);
    for (const message of ["Firm added", "Round marked", "Emissions abated", "Order filled", "Compliant"]) {
      assert.ok(ran.stdout.includes(message), `the lesson chapter should show "${message}"`);
    }
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

  it("tells the lesson chapter's figures as the chain has them: trading meets the cut for less than the uniform standard, at the least cost", async () => {
    process.env.CARBON_HOME = where.home;
    chain = await startEmbeddedChain({ host: "127.0.0.1", port: where.port, dbPath: path.join(where.home, "chain") });
    market = await connect({ rpc: where.url });
    const { lesson, firms, round, uniform, least, paid, trades, net } = await chapterFigures(market);
    assert.deepEqual(firms.map((firm) => firm.baseline), [LESSON_STORY.baseline, LESSON_STORY.baseline]);
    assert.equal(round.cut, (2n * LESSON_STORY.baseline * LESSON_STORY.cutBps) / 10_000n, "a cut of 40 % of the two baselines");
    assert.equal(trades.length, 1, "one trade between the firms, A selling to B");
    assert.equal(trades[0].seller.toLowerCase(), firms[0].account);
    assert.equal(await lesson.spent(), sum(paid), "the lesson holds what the firms paid");
    const compliance = new Compliance(market);
    for (const firm of firms) assert.equal((await compliance.record(firm.account, round.periodId)).status, "A", "each firm covered its emissions");
    // What economics says the chapter shows: the same cut for less, at the least cost, and both firms better off.
    assert.ok(sum(paid) < sum(uniform), "trading costs less than the uniform standard");
    assert.equal(sum(paid), least, "the firms' abatement is the cheapest the cut allows");
    net.forEach((cost, i) => assert.ok(cost < uniform[i], `firm ${"AB"[i]} pays less, net of the trade, than cutting alone`));

    const told = flat(firstRun);
    const row = (label: string, values: bigint[]) => `${label} ${values.map(costText).join(" ")}`;
    assert.ok(told.includes(row("cutting alone (uniform standard)", [...uniform, sum(uniform)])), `the uniform standard's row in:\n${firstRun}`);
    assert.ok(told.includes(row("abatement paid", [...paid, sum(paid)])), "what each firm paid to abate");
    assert.ok(told.includes(row("with trading", [...net, sum(net)])), "what each paid net of the trade");
    assert.ok(told.includes(row("least cost of the cut", [least])), "the least cost");
    const saved = sum(uniform) - sum(paid);
    assert.ok(
      told.includes(`The same cut of ${round.cut} t cost ${costText(sum(paid))} ETH with trading instead of ${costText(sum(uniform))} ETH alone: ${costText(saved)} ETH (${((Number(saved) / Number(sum(uniform))) * 100).toFixed(1)} %) less, exactly the least cost`),
      "the narrator's verdict",
    );
    assert.ok(told.includes(`the ${trades[0].quantity} t traded at ${costText(trades[0].price)} ETH`), "the trade's quantity and price");
    assert.equal(trades[0].price % TICK_WEI, 0n);
  });

  it("runs again on the used chain: the registrations are refused as the contract says, and the rest goes on", async () => {
    const ran = await runScript(WALKTHROUGH, ["--yes"], where.env);
    assert.equal(ran.code, 0, `the second walkthrough failed:\n${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stderr, /Market found: Carbon at/, "the market deployed by the first run is found");
    assertAllSteps(ran.stdout);
    assert.equal((ran.stdout.match(/✘ This account is already registered/g) ?? []).length, 2);
    assert.match(ran.stdout, /an earlier walkthrough registered it/);
    assert.match(ran.stdout, /Buy successfully/, "a new lot is published and bought");
    assert.match(ran.stdout, /as customer {2}610/, "the customer's balance carries over: 300 - 40 sold on the book + 400 issued in the period - 350 surrendered, then + 500 - 200");
    assert.match(ran.stdout, /is accredited already, by an earlier run/, "the verifier is not accredited twice");
    assert.match(flat(ran.stdout), /are the lesson's already: an earlier walkthrough added them/, "the lesson chapter plays its own firms again");
    assert.match(ran.stdout, /✔ Walkthrough complete: 47 transactions/);
    const { round, paid, uniform } = await chapterFigures(market!);
    assert.ok(flat(ran.stdout).includes(`abatement paid ${[...paid, sum(paid)].map(costText).join(" ")}`) && sum(paid) < sum(uniform), `a second round, ${round.periodId}, as cheap as the first`);
  });

  it("waits for Enter between steps without --yes", async () => {
    const child = spawn(process.execPath, [WALKTHROUGH], { cwd: PROJECT_ROOT, env: where.env, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
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
      await waitFor("  tx 0x"); // registered now, or refused on this used chain: either is a mined transaction
      child.stdin.write("\n");
      await waitFor("Press Enter for the next step");
      assert.ok(output.includes("→ newSeller(") && !output.includes(`Step 2 of ${MODULES.length}`), "one step at a time");
      // End of input: the rest runs straight through.
      child.stdin.end();
      assert.equal(await closed, 0, `the walkthrough failed:\n${output}`);
      assert.ok(output.includes("Walkthrough complete"), "it finishes once input ends");
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("--chapter lesson runs the lesson chapter alone, on its own firms", async () => {
    const ran = await runScript(WALKTHROUGH, ["--yes", "--chapter", "lesson"], where.env);
    assert.equal(ran.code, 0, `the chapter failed:\n${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stdout, /Step 1 of 1 {2}Why trade \(the lesson\)\n/);
    assert.doesNotMatch(ran.stdout, /Registration|Matchmaking|customer {3}0x/, "no other step, and no cast it does not play");
    assert.match(ran.stdout, /✔ Walkthrough complete: 20 transactions/);
  });

  it("skips the lesson chapter in one line, sending nothing, beside an open period or a lesson it did not make", async () => {
    const skipped = async (reason: RegExp) => {
      const before = await market!.blockNumber();
      const ran = await runScript(WALKTHROUGH, ["--yes", "--chapter", "lesson"], where.env);
      assert.equal(ran.code, 0, `the walkthrough failed:\n${ran.stdout}\n${ran.stderr}`);
      assert.match(flat(ran.stdout), reason);
      assert.match(ran.stdout, /✔ Walkthrough complete: 0 transactions/);
      assert.equal(await market!.blockNumber(), before, "nothing was sent");
    };
    const compliance = new Compliance(market!);
    const now = await compliance.currentTime();
    assert.ok((await compliance.openPeriod({ label: "CLASS-2027", cap: 1000n, reportingDeadline: now + 86_400, surrenderDeadline: now + 2 * 86_400, penaltyRate: 1n })).ok);
    await skipped(/\(This chapter is skipped: period CLASS-2027 is open on this chain, and one period is open at a time: close it first \(`carbon period close`\)\.\)/);
    // A class's firm, on an account the walkthrough does not play: the lesson is no longer the walkthrough's alone.
    const accounts = await market!.accounts();
    assert.ok((await market!.newCustomer(accounts[1], "class-password")).ok);
    assert.ok((await (await Lesson.attach(market!)).addFirm(accounts[1], 100n, [{ tonnes: 10n, costPerTonne: 10n * TICK_WEI }])).ok);
    await skipped(/\(This chapter is skipped: this chain's lesson has firms the walkthrough did not add \(a class's, or the demo's\): two more would join its rounds and enlarge every cut, and a firm cannot be removed\.\)/);
  });
});
