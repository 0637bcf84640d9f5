// `carbon chart [--limit N] [--height N]`: the price and volume of the latest trades over time, drawn
// in the terminal (render/chart.ts, by asciichart), from the chain's Trade events.
import type { Market } from "../chain/market";
import { tradePage, type DatedTrade } from "../chain/trade-history";
import { parseWhole } from "../input/order-book";
import { optionalString, type Flags } from "./command";

export const DEFAULT_CHART_TRADES = 500;

export interface ChartOptions {
  /** The latest trades to draw. */
  limit?: number;
  /** Rows of the price chart. */
  height?: number;
}

export interface ChartResult {
  /** Oldest first. */
  trades: DatedTrade[];
  height?: number;
}

export function parse(_args: string[] = [], flags: Flags = {}): ChartOptions {
  const limit = optionalString(flags, "limit");
  const height = optionalString(flags, "height");
  return {
    ...(limit === undefined ? {} : { limit: parseWhole(limit, "--limit", 1, 10_000) }),
    ...(height === undefined ? {} : { height: parseWhole(height, "--height", 2, 50) }),
  };
}

export async function run(market: Market, options: ChartOptions = {}): Promise<ChartResult> {
  const { trades } = await tradePage(market, 0, options.limit ?? DEFAULT_CHART_TRADES);
  return { trades: trades.reverse(), ...(options.height ? { height: options.height } : {}) };
}
