// `carbon book [--levels N]`: the book's depth by price level, best first on each side, with the
// day's trading state (halted or not, the price band, the last price).
import type { Market } from "../chain/market";
import { OrderBook } from "../chain/order-book";
import { parseWhole } from "../input/order-book";
import type { BookView } from "../render/order-book";
import { optionalString, type Flags } from "./command";

export const DEFAULT_LEVELS = 10;

export interface BookOptions {
  /** Price levels shown of each side. */
  levels?: number;
}

export function parse(_args: string[] = [], flags: Flags = {}): BookOptions {
  const levels = optionalString(flags, "levels");
  return levels === undefined ? {} : { levels: parseWhole(levels, "--levels", 1, 1_000) };
}

export async function run(market: Market, options: BookOptions = {}): Promise<BookView> {
  const book = new OrderBook(market);
  const [depth, halted, band, last] = await Promise.all([book.depth(options.levels ?? DEFAULT_LEVELS), book.halted(), book.band(), book.lastPrice()]);
  return {
    ...depth,
    halted,
    bandBps: band.bps,
    ...(band.active ? { band: { low: band.low, high: band.high } } : {}),
    ...(band.referencePrice ? { referencePrice: band.referencePrice } : {}),
    ...(last ? { lastPrice: last.price } : {}),
  };
}
