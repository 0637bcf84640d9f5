// `carbon period close [label]`: the regulator closes a period once its surrender deadline has passed;
// its statuses are final, and `carbon enforce` freezes and fines its B and C accounts.
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";
import { inPeriod } from "./compliance-period";

export interface PeriodCloseOptions {
  /** Default: the latest period. */
  period?: string;
  /** Default: the regulator. */
  from?: AccountRef;
}

/** Shared with enforce, whose options are the same. */
export function parse([period]: string[], flags: Flags): PeriodCloseOptions {
  const from = optionalString(flags, "from");
  return { ...(period === undefined ? {} : { period }), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: PeriodCloseOptions = {}): Promise<Outcome> {
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  const { client, period } = await inPeriod(market, options.period);
  return client.closePeriod(period.periodId, from);
}
