// `carbon period open <label> --cap N --report-by <when> --surrender-by <when> --penalty-rate N`: the
// regulator opens the next compliance period. Deadlines like +30d count from the chain's clock.
import { Compliance } from "../chain/compliance";
import { parseLabel } from "../chain/compliance-inputs";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseCap, parsePenaltyRate } from "../input/compliance";
import { UsageError } from "../support/errors";
import { parseAccount, type AccountRef } from "../input/values";
import { formatUtc, parseDeadline, resolveDeadline, type Deadline } from "../input/time";
import { optionalString, type Flags } from "./command";

export interface PeriodOpenOptions {
  label: string;
  cap: bigint;
  reportBy: Deadline;
  surrenderBy: Deadline;
  penaltyRate: bigint;
  /** Default: the regulator. */
  from?: AccountRef;
}

export function parse([label]: string[], flags: Flags): PeriodOpenOptions {
  const required = (name: string, flag: string) => {
    const value = optionalString(flags, name);
    if (value === undefined) throw new UsageError(`${flag} is required`);
    return value;
  };
  const from = optionalString(flags, "from");
  return {
    label: parseLabel(label),
    cap: parseCap(required("cap", "--cap")),
    reportBy: parseDeadline(required("reportBy", "--report-by"), "--report-by"),
    surrenderBy: parseDeadline(required("surrenderBy", "--surrender-by"), "--surrender-by"),
    penaltyRate: parsePenaltyRate(required("penaltyRate", "--penalty-rate")),
    ...(from === undefined ? {} : { from: parseAccount(from, "--from") }),
  };
}

export async function run(market: Market, options: PeriodOpenOptions): Promise<Outcome> {
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  const client = new Compliance(market);
  const now = await client.currentTime();
  const reportingDeadline = resolveDeadline(options.reportBy, now);
  const surrenderDeadline = resolveDeadline(options.surrenderBy, now);
  if (reportingDeadline <= now) throw new UsageError(`--report-by ${formatUtc(reportingDeadline)} is not after the chain's clock, ${formatUtc(now)}; give a later date, or +30d`);
  if (surrenderDeadline < reportingDeadline) throw new UsageError(`--surrender-by ${formatUtc(surrenderDeadline)} is before --report-by ${formatUtc(reportingDeadline)}`);
  return client.openPeriod({ label: options.label, cap: options.cap, reportingDeadline, surrenderDeadline, penaltyRate: options.penaltyRate }, from);
}
