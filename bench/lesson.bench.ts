// The lesson's cost: the gas of `abate` for the 1st and the last of FIRMS firms (the same tonnes from
// the same block of their schedules, after a third firm has started the round's totals, so that
// only their place among the firms differs), and of a firm's
// report and verification, and the wall time of a round of FIRMS automatic firms (`carbon lesson
// play`: every firm abates, trades, reports and surrenders), on the LevelDB chain `npm start` runs.
// CARBON_LESSON_FIRMS changes the 40.
import { Lesson } from "../cli/chain/lesson";
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
  } finally {
    await bench.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
