// The lesson's cost: the gas of `abate` for the 1st and the last of FIRMS firms (the same tonnes from
// the same block of their schedules, after a third firm has started the round's totals, so that
// only their place among the firms differs), and of a firm's
// report and verification, and the wall time of a round of FIRMS automatic firms (`carbon lesson
// play`: every firm abates, trades, reports and surrenders), on the LevelDB chain `npm start` runs.
// Then a second round that sells half its cap at auction: the gas of sealing and revealing for the
// 1st and the last firm (the same bid at a level another firm opened first), of clearing per price
// level and of settling, and the wall time of the firms' three turns (seal, reveal, clear and settle
// then trade). CARBON_LESSON_FIRMS changes the 40.
import { Auction } from "../cli/chain/auction";
import { formatEther } from "../cli/chain/order-book-prices";
import { advanceTime } from "../cli/chain/clock";
import { HttpRpc } from "../cli/chain/rpc";
import { Lesson } from "../cli/chain/lesson";
import * as roundClose from "../cli/commands/lesson-round-close";
import { playRound } from "../cli/lesson/automatic-firms";
import * as roundOpen from "../cli/commands/lesson-round-open";
import * as setup from "../cli/commands/lesson-setup";
import { benchMarket, table } from "./support";

const FIRMS = Number(process.env.CARBON_LESSON_FIRMS ?? 40);

async function main(): Promise<void> {
  const bench = await benchMarket();
  try {
    const { market } = bench;
    const started = Date.now();
    const added = await setup.run(market, setup.parse([], { automatic: String(FIRMS), seed: "3" }));
    if (!added.ok) throw new Error(`setup failed: ${JSON.stringify(added.rows.filter((row) => !row.outcome?.ok))}`);
    const setupSeconds = (Date.now() - started) / 1000;
    const opened = await roundOpen.run(market, roundOpen.parse([], { cut: "30%", reportBy: "+1d", surrenderBy: "+2d" }));
    if (!opened.ok) throw new Error("the round did not open");

    const lesson = await Lesson.attach(market);
    const firms = await lesson.firms();
    const [first, last] = [firms[0], firms[firms.length - 1]];
    // The round's first abatement also starts its totals (a zero slot made non-zero): a third firm pays
    // that, so that the two measured differ only in their place among the firms.
    await lesson.abate(1n, firms[1].account);
    const firstAbate = await lesson.abate(1n, first.account);
    const lastAbate = await lesson.abate(1n, last.account);

    const before = await market.blockNumber();
    const playStarted = Date.now();
    const played = await playRound(market, 1);
    const playSeconds = (Date.now() - playStarted) / 1000;
    const transactions = played.firms.reduce((sum, firm) => sum + firm.steps.length, 0);
    const steps = played.firms.flatMap((firm) => firm.steps);
    const gasOf = (event: string) => steps.filter((step) => step.event === event).map((step) => step.gasUsed);
    const mean = (values: number[]) => (values.length === 0 ? 0 : Math.round(values.reduce((a, b) => a + b, 0) / values.length));

    console.log(`${FIRMS} automatic firms; setup (keys, ether, registration, firms) ${setupSeconds.toFixed(1)} s`);
    console.log(
      table(
        ["call", "gas", "note"],
        [
          ["abate 1 t, firm 1", firstAbate.gasUsed, "the first firm"],
          [`abate 1 t, firm ${FIRMS}`, lastAbate.gasUsed, `ratio ${(lastAbate.gasUsed / firstAbate.gasUsed).toFixed(3)}`],
          ["abate (mean in the round)", mean(gasOf("Abate")), `${gasOf("Abate").length} calls, 1 to 3 blocks each`],
          ["verify (mean)", mean(gasOf("Verify")), "the lesson accepts and approves"],
        ],
      ),
    );
    console.log(
      table(
        ["a round of automatic firms", "value"],
        [
          ["wall time, s", playSeconds.toFixed(1)],
          ["transactions", transactions],
          ["blocks", (await market.blockNumber()) - before],
          ["ms a transaction", ((playSeconds * 1000) / transactions).toFixed(0)],
        ],
      ),
    );
    await auctionRound(bench, firms.map((firm) => firm.account));
  } finally {
    await bench.stop();
  }
}

async function auctionRound(bench: Awaited<ReturnType<typeof benchMarket>>, firms: string[]): Promise<void> {
  const { market } = bench;
  const rpc = new HttpRpc(bench.where.url);
  const advance = (seconds: number) => advanceTime(rpc, seconds);
  await advance(2 * 86_400 + 60);
  await roundClose.run(market, {});
  const opened = await roundOpen.run(market, roundOpen.parse([], { cut: "30%", free: "50%", bidsBy: "+1h", revealBy: "+2h", reportBy: "+1d", surrenderBy: "+2d" }));
  if (!opened.ok || !opened.auction?.outcome.ok) throw new Error("the auction round did not open");
  const auction = await Auction.attach(market);
  const state = (await auction.latest())!;
  const bid = [{ quantity: 1n, price: state.reservePrice }];
  // A third firm opens the price level (and the auction's counters): the two measured differ only in their place.
  const [opener, first, last] = [firms[1], firms[0], firms[firms.length - 1]];
  await auction.seal(bid, opener);
  const firstSeal = await auction.seal(bid, first);
  const lastSeal = await auction.seal(bid, last);
  const turns: number[] = [];
  const turn = async () => {
    const started = Date.now();
    const played = await playRound(market, 2);
    turns.push((Date.now() - started) / 1000);
    return played;
  };
  const sealed = await turn();
  await advance(3_601);
  await auction.reveal(opener);
  const firstReveal = await auction.reveal(first);
  const lastReveal = await auction.reveal(last);
  await turn();
  await advance(3_601);
  const cleared = await turn();
  const steps = cleared.auction?.steps.map((step) => step.outcome) ?? [];
  const clearing = steps.filter((step) => step.event === "ClearAuction");
  const settling = steps.filter((step) => step.event === "SettleBidder").map((step) => step.gasUsed);
  const levels = (await auction.levels(state.id)).length;
  const mean = (values: number[]) => (values.length === 0 ? 0 : Math.round(values.reduce((a, b) => a + b, 0) / values.length));
  console.log(`A round with an auction of ${state.supply} units: ${sealed.auction?.bids.size ?? 0} automatic firms bid, ${levels} price levels, cleared at ${formatEther(cleared.auction?.clearingPrice ?? 0n)} ETH a unit (expected ${formatEther(cleared.expectedPrice)})`);
  console.log(
    table(
      ["call", "gas", "note"],
      [
        ["seal, firm 1", firstSeal.gasUsed, "a first seal"],
        [`seal, firm ${firms.length}`, lastSeal.gasUsed, `ratio ${(lastSeal.gasUsed / firstSeal.gasUsed).toFixed(3)}`],
        ["reveal 1 bid, firm 1", firstReveal.gasUsed, "at a level already open"],
        [`reveal 1 bid, firm ${firms.length}`, lastReveal.gasUsed, `ratio ${(lastReveal.gasUsed / firstReveal.gasUsed).toFixed(3)}`],
        ["clear", clearing.reduce((sum, step) => sum + step.gasUsed, 0), `${levels} price levels walked in ${clearing.length} call(s)`],
        ["settle (mean)", mean(settling), `${settling.length} bidders`],
      ],
    ),
  );
  console.log(table(["the firms' turns", "wall time, s"], [["seal", turns[0].toFixed(1)], ["reveal", turns[1].toFixed(1)], ["clear, settle, trade, report", turns[2].toFixed(1)]]));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
