// `carbon halt`: the regulator halts trading (no order can be placed; cancelling still works). Also
// what `band` and `resume` share: send as the regulator, then read the trading state after it.
import type { Market, Outcome } from "../chain/market";
import { OrderBook } from "../chain/order-book";
import { parseAccount, type AccountRef } from "../input";
import type { TradingStatus } from "../render/order-book";
import { optionalString, type Flags } from "./command";

export interface RegulateOptions {
  /** Default: the regulator. */
  from?: AccountRef;
}

export function parse(_args: string[] = [], flags: Flags = {}): RegulateOptions {
  const from = optionalString(flags, "from");
  return from === undefined ? {} : { from: parseAccount(from, "--from") };
}

export function run(market: Market, options: RegulateOptions = {}): Promise<TradingStatus> {
  return regulate(market, options.from, (book, from) => book.haltTrading(from));
}

export async function regulate(market: Market, fromRef: AccountRef | undefined, act: (book: OrderBook, from: string) => Promise<Outcome>): Promise<TradingStatus> {
  const from = fromRef ? await market.resolve(fromRef, "--from") : market.regulator;
  const book = new OrderBook(market);
  const outcome = await act(book, from);
  const [halted, band] = await Promise.all([book.halted(), book.band()]);
  return { ...outcome, halted, bandBps: band.bps };
}
