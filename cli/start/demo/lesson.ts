// The demo's lesson in progress (`npm run demo -- --lesson`): `carbon lesson setup` gives every
// customer of the scenario a firm and adds automatic firms beside them, `carbon lesson round open`
// opens the first round, and `carbon lesson play` has the automatic firms play it once. So the
// projector has a book, trades and a compliance table to show, `carbon lesson results` has a round
// to set against theory, and Ana and Ben are firms still to play ("My firm in the lesson"). The
// round stays open for the class to take on: `carbon time advance 15d`, `carbon lesson round close`.
//
// It takes the place of the scenario's compliance period (one period is open at a time, and a round
// is one) and of its resting order book (scenario.ts says why). Like the rest of the scenario it reads the chain before it sends: a second run sends
// nothing, an interrupted one finishes what is missing, and a period that is not the lesson's round
// stops it before any transaction.
import { Compliance } from "../../chain/compliance";
import { Lesson } from "../../chain/lesson";
import type { Market } from "../../chain/market";
import * as lessonSetup from "../../commands/lesson-setup";
import * as roundOpen from "../../commands/lesson-round-open";
import { playRound } from "../../lesson/automatic-firms";
import { automaticAddresses } from "../../lesson/automatic-keys";
import { RefusedError } from "../../support/errors";

/** What the teacher would type: `carbon lesson setup --seed 7 --automatic 6`, `carbon lesson round open --cut 30%`, `carbon lesson play`. */
export const DEMO_LESSON = { seed: 7, automatic: 6, cut: "30%" } as const;

/** What is left of the lesson to seed, read from the chain before the scenario sends anything. */
export interface LessonLeft {
  setup: boolean;
  open: boolean;
  play: boolean;
}

/**
 * What the lesson still needs, `customers` being the scenario's; `conflict` is the scenario's way
 * out when the chain contradicts it (a period open that is not the lesson's round).
 */
export async function lessonLeft(market: Market, customers: string[], conflict: (what: string) => Error): Promise<LessonLeft> {
  const lesson = await Lesson.attach(market);
  const compliance = new Compliance(market);
  const current = await compliance.currentPeriod();
  if (current?.open) {
    if ((await lesson.round(current.periodId)).cut === 0n) {
      throw conflict(`period ${(await compliance.period(current.periodId)).label} is open, and the lesson's round would be a period of its own (the demo without --lesson opens one)`);
    }
    return { setup: false, open: false, play: !(await automaticFirmsPlayed(lesson, current.periodId)) };
  }
  // A round the class already closed: the lesson is theirs now.
  if ((await lesson.rounds()).length > 0) return { setup: false, open: false, play: false };
  const firms = new Set(await lesson.firmAccounts());
  return { setup: (await automaticFirms(lesson)).length < DEMO_LESSON.automatic || customers.some((account) => !firms.has(account)), open: true, play: true };
}

/** Seeds what `left` says is missing, a line to `log` for each part. */
export async function seedDemoLesson(market: Market, left: LessonLeft, log: (line: string) => void): Promise<void> {
  const lesson = await Lesson.attach(market);
  if (left.setup) {
    const missing = DEMO_LESSON.automatic - (await automaticFirms(lesson)).length;
    const options = lessonSetup.parse([], { seed: String(DEMO_LESSON.seed), automatic: String(Math.max(0, missing)) });
    const setup = await lessonSetup.run(market, options);
    const refused = setup.rows.find((row) => !row.outcome?.ok);
    if (refused) throw new RefusedError(`the lesson's firm ${refused.account}: ${refused.error ?? refused.outcome?.message ?? "refused"}`);
    log(`  ✔ ${`${setup.rows.length} firms, ${Math.max(0, missing)} automatic (seed ${DEMO_LESSON.seed})`.padEnd(44)} lesson setup`);
  }
  if (left.open) {
    const opened = await roundOpen.run(market, roundOpen.parse([], { cut: DEMO_LESSON.cut }));
    if (!opened.ok) throw new RefusedError(`the lesson's round did not open: ${opened.opened.message}`);
    log(`  ✔ ${`${opened.label} opened: cut ${opened.cut} t, cap ${opened.cap}`.padEnd(44)} lesson round open`);
  }
  if (left.play) {
    const play = await playRound(market, DEMO_LESSON.seed);
    const traded = play.firms.reduce((sum, firm) => sum + firm.bought, 0n);
    const sent = play.firms.reduce((sum, firm) => sum + firm.steps.length, 0);
    log(`  ${play.ok ? "✔" : "✘"} ${`${play.label} played: ${traded} units traded`.padEnd(44)} lesson play (${play.firms.length} firms, ${sent} transactions)`);
  }
}

async function automaticFirms(lesson: Lesson): Promise<string[]> {
  const mine = automaticAddresses();
  return (await lesson.firmAccounts()).filter((account) => mine.has(account));
}

/** Whether any automatic firm has played round `periodId` through (its report verified): a play is never repeated. */
async function automaticFirmsPlayed(lesson: Lesson, periodId: number): Promise<boolean> {
  for (const account of await automaticFirms(lesson)) if ((await lesson.firmRound(account, periodId)).verified) return true;
  return false;
}
