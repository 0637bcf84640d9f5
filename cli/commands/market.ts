// `carbon market`: supervision, for the regulator: totals, counts, frozen accounts, the latest trades.
import type { ActivityRecord, Market, Totals } from "../chain/market";

export type MarketOptions = Record<string, never>;

export interface Supervision {
  regulator: string;
  totals: Totals;
  /** Quota held by customers and sellers together: issued minus settled. */
  circulating: bigint;
  frozen: string[];
  trades: ActivityRecord[];
}

export const LATEST_TRADES = 5;

export function parse(): MarketOptions {
  return {};
}

export async function run(market: Market): Promise<Supervision> {
  const [totals, frozen, trades] = await Promise.all([market.totals(), market.frozenAccounts(), market.trades(LATEST_TRADES)]);
  return { regulator: market.regulator, totals, circulating: totals.issued - totals.settled, frozen, trades };
}
