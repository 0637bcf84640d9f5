// `carbon period open <label> --cap N --report-by <when> --surrender-by <when> --penalty-rate N`: the
// regulator opens the next compliance period. Deadlines like +30d count from the chain's clock.
import { chainTime } from "../chain/clock";
import { complianceClient } from "../chain/compliance";
import type { Market, Outcome } from "../chain/market";
import { parseCap, parsePenaltyRate, parsePeriodLabel } from "../compliance-input";
import { UsageError } from "../errors";
import { parseAccount, type AccountRef } from "../input";
import { parseDeadline, resolveDeadline, type Deadline } from "../time-input";
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
    label: parsePeriodLabel(label),
    cap: parseCap(required("cap", "--cap")),
    reportBy: parseDeadline(required("reportBy", "--report-by"), "--report-by"),
    surrenderBy: parseDeadline(required("surrenderBy", "--surrender-by"), "--surrender-by"),
    penaltyRate: parsePenaltyRate(required("penaltyRate", "--penalty-rate")),
    ...(from === undefined ? {} : { from: parseAccount(from, "--from") }),
  };
}

export async function run(market: Market, options: PeriodOpenOptions): Promise<Outcome> {
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  const { time } = await chainTime(market.rpc);
  const reportBy = resolveDeadline(options.reportBy, time);
  const surrenderBy = resolveDeadline(options.surrenderBy, time);
  // The next block is mined at `time` or later: a deadline must be after it.
  if (reportBy <= time) throw new UsageError(`--report-by is not in the future: the chain's clock reads ${new Date(time * 1000).toISOString()}`);
  if (surrenderBy < reportBy) throw new UsageError("--surrender-by is before --report-by: surrenders close after reports");
  return complianceClient(market).openPeriod(options.label, options.cap, BigInt(reportBy), BigInt(surrenderBy), options.penaltyRate, from);
}
