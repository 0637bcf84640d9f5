// `carbon lesson round close`: the teacher ends the open round after its surrender deadline: the
// period is closed, every firm that reported nothing is estimated at the emissions the lesson
// recorded (so silence is enforced as C on the chain's own figure, raised by the surcharge), and
// every firm is enforced, one transaction each: B and C are frozen and their penalties recorded.
import { Compliance } from "../chain/compliance";
import type { ComplianceStatus } from "../chain/compliance-types";
import { Lesson } from "../chain/lesson";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { formatUtc } from "../input/time";
import { parseAccount, type AccountRef } from "../input/values";
import { UsageError } from "../support/errors";
import { optionalString, type Flags } from "./command";

export interface LessonRoundCloseOptions {
  from?: AccountRef;
}

export interface FirmEnforced {
  account: string;
  status: ComplianceStatus;
  penalty: bigint;
  /** The mined outcome; undefined when the contract's refusal was foreseen and nothing was sent. */
  outcome?: Outcome;
  /** Why nothing was sent for this firm (a C firm the lesson recorded no emissions for, so with no estimate). */
  refusal?: string;
}

export interface LessonRoundClosed {
  ok: boolean;
  label: string;
  periodId: number;
  closed: Outcome;
  enforced: FirmEnforced[];
}

export function parse(args: string[], flags: Flags): LessonRoundCloseOptions {
  if (args.some((arg) => arg !== undefined)) throw new UsageError("lesson round close takes no arguments: it closes the open round");
  const from = optionalString(flags, "from");
  return from === undefined ? {} : { from: parseAccount(from, "--from") };
}

export async function run(market: Market, options: LessonRoundCloseOptions): Promise<LessonRoundClosed> {
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  await market.requireRegulator(from);
  const lesson = await Lesson.attach(market);
  const compliance = new Compliance(market);
  const current = await compliance.currentPeriod();
  if (!current?.open || (await lesson.round(current.periodId)).cut === 0n) throw new UsageError("no round of the lesson is open");
  const periodId = current.periodId;
  const period = await compliance.period(periodId);
  const now = await compliance.currentTime();
  if (now <= period.surrenderDeadline) {
    throw new UsageError(`round "${period.label}" takes surrenders until ${formatUtc(period.surrenderDeadline)} on the chain's clock (now ${formatUtc(now)}): close it after that (\`carbon time advance\` on a class chain)`);
  }
  const closed = await compliance.closePeriod(periodId, from);
  if (!closed.ok) return { ok: false, label: period.label, periodId, closed, enforced: [] };
  const enforced: FirmEnforced[] = [];
  for (const account of await lesson.firmAccounts()) {
    let record = await compliance.record(account, periodId);
    if (record.enforced || record.status === "not covered") continue;
    if (record.status === "C") {
      const emissions = await lesson.emissionsOf(account, periodId);
      if (emissions > 0n) await compliance.estimateEmissions(account, periodId, emissions, "the emissions the lesson recorded for this firm", from);
    }
    const refusal = await compliance.enforcementRefusal(account, periodId);
    if (refusal) {
      enforced.push({ account, status: record.status, penalty: record.penalty, refusal });
      continue;
    }
    // Checked just above: the client need not read the same record again before sending.
    const outcome = await compliance.enforceCompliance(account, periodId, from, { precheck: false });
    record = await compliance.record(account, periodId);
    enforced.push({ account, status: record.status, penalty: record.penalty, outcome });
  }
  return { ok: enforced.every((row) => row.outcome?.ok === true), label: period.label, periodId, closed, enforced };
}
