// The lesson in the session: a student's "My firm" (its schedule, emissions and what is left to
// cover), "Abate" (with the chain's quote before anything is paid) and "Report", and the teacher's
// setup, rounds, the automatic firms' turn and the results. Each entry runs the same command
// function as `carbon lesson …` (cli/commands/lesson-*.ts).
import { Lesson } from "../chain/lesson";
import { formatEther } from "../chain/order-book-prices";
import * as abate from "../commands/lesson-abate";
import * as firm from "../commands/lesson-firm";
import * as play from "../commands/lesson-play";
import * as report from "../commands/lesson-report";
import * as results from "../commands/lesson-results";
import * as roundClose from "../commands/lesson-round-close";
import * as roundOpen from "../commands/lesson-round-open";
import * as setup from "../commands/lesson-setup";
import { parseAmount, parsePercent } from "../input/values";
import { accountLabel } from "../render/account-label";
import { bulkLine, bulkSummary } from "../render/bulk";
import { palette } from "../render/colours";
import * as text from "../render/text";
import { UsageError } from "../support/errors";
import { bidderTurn, regulatorDesk } from "./auction";
import { agree, input, menu } from "./prompt";
import { say } from "./say";
import { menuLoop, perform, type Action, type Session } from "./session";

export async function lessonCustomerMenu(session: Session): Promise<void> {
  const { market, account } = session;
  const me = { address: account };
  await menuLoop(
    () => `${palette().heading("My firm")} ${palette().name(accountLabel(account))}`,
    () =>
      menu<Action>("What would you like to do?", [
        { name: "My firm: schedule, emissions, what is left to cover", value: () => perform(() => firm.run(market, { firm: me }), (view) => text.firm(view)) },
        { name: "Abate", value: () => abateTonnes(session) },
        { name: "Report my emissions (the lesson verifies them)", value: () => perform(() => report.run(market, { firm: me }), text.lessonReport) },
        { name: "The auction: bid, reveal, settle", value: () => bidderTurn(session) },
        { name: "The lesson's results", value: () => perform(() => results.run(market, { csv: false }), (view) => text.lessonResults(view)) },
        { name: "Back", value: null },
      ]),
  );
}

/** The value, or undefined with the refusal said on screen. */
async function orSay<T>(pending: Promise<T>): Promise<T | undefined> {
  try {
    return await pending;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    say(palette().fail(`✘ ${error.message}`));
    return undefined;
  }
}

/** Tonnes, then the chain's quote for them, then a yes: ether leaves the firm only after it. */
async function abateTonnes({ market, account }: Session): Promise<void> {
  const lesson = await orSay(Lesson.attach(market));
  if (!lesson) return;
  const found = await lesson.firm(account);
  if (!found) return say(palette().fail("✘ You have no firm in the lesson: the teacher gives firms with `carbon lesson setup`."));
  const round = await orSay(lesson.openRound());
  if (!round) return;
  const state = await lesson.firmRound(account, round.periodId);
  const left = found.abatable - state.abated;
  if (left === 0n) return say(`Your schedule is spent for ${round.label}: you abated all ${found.abatable} t.`);
  const tonnes = await input(`Tonnes to abate (${left} t left in your schedule, cheapest blocks first)`, (t) => {
    const value = parseAmount(t, "tonnes");
    if (value > left) throw new UsageError(`your schedule has ${left} t left`);
    return value;
  });
  if (tonnes === undefined) return;
  const amount = parseAmount(tonnes, "tonnes");
  const cost = await lesson.abatementCost(account, round.periodId, amount);
  if (!(await agree(`Abate ${amount} t for ${formatEther(cost)} ETH? Your emissions fall to ${state.emissions - amount} t.`, false))) return;
  await perform(() => abate.run(market, { firm: { address: account }, tonnes: amount }), text.abated);
}

export async function lessonRegulatorMenu(session: Session): Promise<void> {
  const { market } = session;
  await menuLoop(
    () => palette().heading("The lesson"),
    () =>
      menu<Action>("What would you like to do?", [
        { name: "Give every customer a firm", value: () => setUp(session) },
        { name: "Open the next round", value: () => openRound(session) },
        { name: "The automatic firms play the round", value: () => perform(() => play.run(market, { seed: 1 }), (p) => text.lessonPlay(p)) },
        { name: "The auction: clear and settle", value: () => regulatorDesk(session) },
        { name: "Close the round and enforce it", value: () => closeRound(session) },
        { name: "Results", value: () => perform(() => results.run(market, { csv: false }), (view) => text.lessonResults(view)) },
        { name: "Back", value: null },
      ]),
  );
}

async function setUp({ market }: Session): Promise<void> {
  const seed = await input("The draw's seed (the same seed gives the same firms)", (t) => setup.parse([], { seed: t }).spec.seed);
  if (seed === undefined) return;
  const automatic = await input("Automatic firms to add (0 for none)", (t) => setup.parse([], { automatic: t }).automatic);
  if (automatic === undefined) return;
  const options = setup.parse([], { seed, automatic });
  await perform(() => setup.run(market, options, (row) => say(bulkLine(row))), bulkSummary);
}

async function openRound({ market }: Session): Promise<void> {
  const cut = await input("Cut, as a share of the class's baseline (e.g. 30%)", (t) => parsePercent(t, "the cut"));
  if (cut === undefined) return;
  const days = await input("Days until reports close (surrenders close a day later)", (t) => {
    if (!/^\d+$/.test(t.trim()) || Number(t) < 1) throw new UsageError("a whole number of days, 1 or more");
    return Number(t);
  });
  if (days === undefined) return;
  const answer = await input("Share of the cap sold at auction (0% for none: all of it issued free)", (t) => parsePercent(t, "the auction's share"));
  if (answer === undefined) return;
  const auctioned = parsePercent(answer, "the auction's share");
  // Sealed bids for the first quarter of the round, reveals for the next: firms still abate after.
  const hours = Number(days) * 24;
  const auction = auctioned === 0n ? {} : { bidsBy: `+${hours / 4}h`, revealBy: `+${hours / 2}h` };
  const freeBps = 10_000n - auctioned;
  const free = freeBps % 100n === 0n ? `${freeBps / 100n}%` : `${freeBps / 100n}.${String(freeBps % 100n).padStart(2, "0")}%`;
  const options = roundOpen.parse([], { cut, free, ...auction, reportBy: `+${Number(days)}d`, surrenderBy: `+${Number(days) + 1}d` });
  const split = auctioned === 0n ? "all of the cap issued free" : `${free} of the cap free, the rest at auction (bids sealed ${hours / 4} h, then revealed ${hours / 4} h)`;
  if (!(await agree(`Open a round cutting ${cut} of the class's baseline, ${split}?`, false))) return;
  await perform(() => roundOpen.run(market, options), text.lessonRound);
}

async function closeRound({ market }: Session): Promise<void> {
  if (!(await agree("Close the open round and enforce it on every firm (B and C are frozen)?", false))) return;
  await perform(() => roundClose.run(market, {}), text.lessonClose);
}
