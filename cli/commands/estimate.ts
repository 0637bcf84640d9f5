// `carbon estimate <customer> <tonnes> --reason <text> [--period <label>]`: the regulator estimates,
// conservatively and saying why, the emissions of a customer that reported none (after the reporting
// deadline): a C account is enforced on the estimate raised by 10 %, so that silence never pays.
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseReason } from "../chain/compliance-inputs";
import { parseEstimate } from "../input/compliance";
import { UsageError } from "../support/errors";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";
import { inPeriod } from "./compliance-period";

export interface EstimateOptions {
  customer: AccountRef;
  tonnes: bigint;
  reason: string;
  /** The period's label; default: the latest period. */
  period?: string;
  /** Default: the regulator. */
  from?: AccountRef;
}

export function parse([customer, tonnes]: string[], flags: Flags): EstimateOptions {
  const reason = optionalString(flags, "reason");
  if (reason === undefined) throw new UsageError("--reason is required: an estimate says how it was made");
  const amount = parseEstimate(tonnes);
  const period = optionalString(flags, "period");
  const from = optionalString(flags, "from");
  return {
    customer: parseAccount(customer, "customer"),
    tonnes: amount,
    reason: parseReason(reason),
    ...(period === undefined ? {} : { period }),
    ...(from === undefined ? {} : { from: parseAccount(from, "--from") }),
  };
}

export async function run(market: Market, options: EstimateOptions): Promise<Outcome> {
  const customer = await market.resolve(options.customer, "customer");
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  const { client, period } = await inPeriod(market, options.period);
  return client.estimateEmissions(customer, period.periodId, options.tonnes, options.reason, from);
}
