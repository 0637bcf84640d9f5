// `carbon lesson report <firm>`: a firm reports its round's emissions as the chain recorded them
// (its baseline less what it abated), appoints the lesson as its verifier, and asks the lesson to
// verify: the thesis's report-and-verify steps, each a transaction, with a figure nobody can bend.
// Steps already done are skipped, so a second run after an interruption finishes the rest.
import { Compliance } from "../chain/compliance";
import { evidenceHash } from "../chain/compliance-inputs";
import { Lesson } from "../chain/lesson";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseAccount, type AccountRef } from "../input/values";
import { UsageError } from "../support/errors";
import type { Flags } from "./command";

export interface LessonReportOptions {
  firm: AccountRef;
}

export interface LessonReported {
  ok: boolean;
  firm: string;
  label: string;
  emissions: bigint;
  /** The steps sent, in order (report, appoint, verify); those already done are left out. */
  steps: Outcome[];
  message: string;
}

export function parse([firm]: string[], _flags: Flags): LessonReportOptions {
  if (firm === undefined) throw new UsageError("give the firm that reports, e.g. carbon lesson report ana");
  return { firm: parseAccount(firm, "firm") };
}

export async function run(market: Market, options: LessonReportOptions): Promise<LessonReported> {
  const firm = await market.resolve(options.firm, "firm");
  const lesson = await Lesson.attach(market);
  return reportFirm(market, lesson, firm);
}

/** The three steps for one firm in the open round (the automatic firms use it too). */
export async function reportFirm(market: Market, lesson: Lesson, firm: string): Promise<LessonReported> {
  const compliance = new Compliance(market);
  const round = await lesson.openRound();
  const emissions = await lesson.emissionsOf(firm, round.periodId);
  const steps: Outcome[] = [];
  const done = (message: string): LessonReported => ({ ok: steps.every((step) => step.ok), firm, label: round.label, emissions, steps, message });
  let record = await compliance.record(firm, round.periodId);
  if (record.reportState === "verified" || record.reportState === "corrected") return done(`already verified: ${record.verified} t`);
  if (record.reportState !== "submitted" || record.reported !== emissions) {
    const evidence = evidenceHash(`lesson ${lesson.address} period ${round.periodId} firm ${firm} emissions ${emissions}`);
    steps.push(await compliance.reportEmissions(firm, round.periodId, emissions, evidence));
    if (!steps[steps.length - 1].ok) return done(steps[steps.length - 1].message);
  }
  record = await compliance.record(firm, round.periodId);
  if (record.verifier !== lesson.address) {
    steps.push(await compliance.appointVerifier(firm, round.periodId, lesson.address));
    if (!steps[steps.length - 1].ok) return done(steps[steps.length - 1].message);
  }
  steps.push(await lesson.verify(firm, round.periodId, firm));
  return done(steps[steps.length - 1].message);
}
