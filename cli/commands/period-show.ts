// `carbon period show [label]`: a period, its cap and allocation, and its deadlines on the chain's clock.
import type { Market } from "../chain/market";
import { inPeriod, periodView, type PeriodView } from "./compliance-period";

export interface PeriodShowOptions {
  /** Default: the latest period. */
  period?: string;
}

export function parse([period]: string[]): PeriodShowOptions {
  return period === undefined ? {} : { period };
}

export async function run(market: Market, options: PeriodShowOptions = {}): Promise<PeriodView> {
  const { client, period } = await inPeriod(market, options.period);
  return periodView(client, period);
}
