// `carbon market [--limit N] [--before cursor]`: supervision, for the regulator: totals, counts, the
// first frozen accounts, the latest lot purchases (read newest first from the chain, shown oldest
// first) and the latest trades on the order book.
import type { ActivityRecord } from "../chain/activity-history";
import { Compliance } from "../chain/compliance";
import type { Market } from "../chain/market";
import type { Totals } from "../chain/market-lists";
import { tradePage } from "../chain/trade-history";
import type { TradeView } from "../render/order-book";
import { optionalString, type Flags } from "./command";
import { parsePaging } from "./paging";

export interface MarketOptions {
  /** Trades to show. */
  limit?: number;
  offset?: number;
  before?: string;
}

export interface Supervision {
  regulator: string;
  totals: Totals;
  /** Quota surrendered to the compliance cycle: retired for good. */
  surrendered: bigint;
  /** Quota held by customers and sellers, and in the book's escrow: issued minus settled minus surrendered. */
  circulating: bigint;
  /** The first FROZEN_SHOWN frozen accounts; totals.frozen counts them all. */
  frozen: string[];
  /** The lot shop's purchases, oldest first. */
  trades: ActivityRecord[];
  /** The order book's latest fills, oldest first (`carbon trades` pages through them all). */
  bookTrades: TradeView[];
  /** The cursor of older trades, for --before. */
  next?: string;
}

export const LATEST_TRADES = 5;
export const FROZEN_SHOWN = 50;

export function parse(_args: string[] = [], flags: Flags = {}): MarketOptions {
  const before = optionalString(flags, "before");
  return { ...parsePaging(flags, LATEST_TRADES), ...(before === undefined ? {} : { before }) };
}

export async function run(market: Market, options: MarketOptions = {}): Promise<Supervision> {
  const offset = options.offset ?? 0;
  const limit = options.limit ?? LATEST_TRADES;
  const [totals, surrendered, frozen, trades, fills] = await Promise.all([
    market.totals(),
    new Compliance(market).surrenderedCarbonAmount(),
    market.frozenPage(0, FROZEN_SHOWN),
    market.tradesPage({ limit: offset + limit, before: options.before }),
    tradePage(market, 0, LATEST_TRADES),
  ]);
  return {
    regulator: market.regulator,
    totals,
    surrendered,
    circulating: totals.issued - totals.settled - surrendered,
    frozen: frozen.accounts,
    trades: trades.records.slice(offset).reverse(),
    bookTrades: [...fills.trades].reverse(),
    ...(trades.next ? { next: trades.next } : {}),
  };
}
