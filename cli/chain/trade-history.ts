// The book's trades from the chain's Trade events, newest first, as `carbon trades` and `carbon chart`
// page through them: read backwards from the head to the market's deployment block in bounded
// ranges (the first small, each empty-handed one four times wider up to 10,000 blocks, halved when
// the node refuses a range as too wide), until the page is full, like the history of `records`.
import type { Market } from "./market";
import { isRangeRefusal } from "./activity-history";
import { OrderBook } from "./order-book";
import type { Trade } from "./order-book-types";

/** Blocks in the first query: a busy book's page is in the latest blocks alone. */
const FIRST_SPAN = 1_000;
const MAX_SPAN = 10_000;

export type DatedTrade = Trade & { time: number };

export interface TradePage {
  /** Newest first. */
  trades: DatedTrade[];
  /** Whether older trades remain past this page. */
  more: boolean;
}

/** Trades `offset` to `offset + limit` counted from the newest, with their blocks' times. */
export async function tradePage(market: Market, offset: number, limit: number): Promise<TradePage> {
  const book = new OrderBook(market);
  const [first, head] = await Promise.all([market.deploymentBlock(), market.blockNumber()]);
  const wanted = offset + limit + 1; // one more, to know whether there is a next page
  const found: Trade[] = [];
  let to = head;
  let span = FIRST_SPAN;
  let widest = MAX_SPAN;
  while (to >= first && found.length < wanted) {
    const from = Math.max(first, to - span + 1);
    let trades: Trade[];
    try {
      trades = await book.trades(from, to);
    } catch (error) {
      if (isRangeRefusal(error) && span > 1) {
        widest = span = Math.max(1, Math.floor(span / 2));
        continue;
      }
      throw error;
    }
    found.push(...trades.reverse());
    span = Math.min(span * 4, widest);
    to = from - 1;
  }
  const shown = found.slice(offset, offset + limit);
  return { trades: await dated(market, shown), more: found.length > offset + limit };
}

/** Trades with their blocks' times (one header per block). */
export async function dated(market: Market, trades: Trade[]): Promise<DatedTrade[]> {
  const blocks = [...new Set(trades.map((t) => t.block))];
  const times = new Map(await Promise.all(blocks.map(async (block) => [block, await market.blockTime(block)] as const)));
  return trades.map((t) => ({ ...t, time: times.get(t.block)! }));
}
