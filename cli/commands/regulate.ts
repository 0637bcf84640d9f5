// What the regulator's order-book commands (band, halt, resume) share: send as the regulator (or
// --from, refused before sending unless it is the regulator), then read the trading state after it.
import type { Market, Outcome } from "../chain/market";
import { OrderBook } from "../chain/order-book";
import type { AccountRef } from "../input/values";
import type { TradingStatus } from "../render/order-book";

export interface RegulateOptions {
  /** Default: the regulator. */
  from?: AccountRef;
}

export async function regulate(market: Market, fromRef: AccountRef | undefined, act: (book: OrderBook, from: string) => Promise<Outcome>): Promise<TradingStatus> {
  const from = fromRef ? await market.resolve(fromRef, "--from") : market.regulator;
  const book = new OrderBook(market);
  const outcome = await act(book, from);
  const [halted, band] = await Promise.all([book.halted(), book.band()]);
  return { ...outcome, halted, bandBps: band.bps };
}
