// What the regulator's order-book commands (band, halt, resume) share: send as the regulator (or
// --from, refused before sending unless it is the regulator), then read the trading state after it.
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { OrderBook } from "../chain/order-book";
import type { AccountRef } from "../input/values";
import type { BandView, TradingStatus } from "../render/order-book";

export interface RegulateOptions {
  /** Default: the regulator. */
  from?: AccountRef;
}

export async function regulate(market: Market, fromRef: AccountRef | undefined, act: (book: OrderBook, from: string) => Promise<Outcome>): Promise<TradingStatus> {
  const from = fromRef ? await market.resolve(fromRef, "--from") : market.regulator;
  const book = new OrderBook(market);
  const outcome = await act(book, from);
  return { ...outcome, ...(await tradingState(book)) };
}

/** Halted or not, today's band and reference, and today's volume: what `carbon band` shows. */
export async function tradingState(book: OrderBook): Promise<BandView> {
  const [halted, band, day] = await Promise.all([book.halted(), book.band(), book.tradingDay()]);
  return { halted, band, day };
}
