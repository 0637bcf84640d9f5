// `carbon trades [--csv] [--limit N] [--offset N]`: the book's fills from the chain's Trade events,
// newest first, read backwards in bounded block ranges from the head to the market's deployment.
// --csv prints them as CSV with a header row (for a spreadsheet); --json as one object.
import type { Market } from "../chain/market";
import { tradePage } from "../chain/trade-history";
import type { TradeList } from "../render/order-book";
import type { Flags } from "./command";
import { parsePaging, type Paging } from "./paging";

export const DEFAULT_TRADES = 50;

export interface TradesOptions extends Partial<Paging> {
  csv?: boolean;
}

export function parse(_args: string[] = [], flags: Flags = {}): TradesOptions {
  return { ...parsePaging(flags, DEFAULT_TRADES), ...(flags.csv ? { csv: true } : {}) };
}

export async function run(market: Market, options: TradesOptions = {}): Promise<TradeList> {
  const offset = options.offset ?? 0;
  const { trades, more } = await tradePage(market, offset, options.limit ?? DEFAULT_TRADES);
  return { trades, page: { offset, count: trades.length, ...(more ? { next: `--offset ${offset + trades.length}` } : {}) }, ...(options.csv ? { csv: true } : {}) };
}
