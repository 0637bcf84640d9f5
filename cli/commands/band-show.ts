// `carbon band` without a width: halted or not, the band and its reference, and today's volume, which
// makes tomorrow's reference. Anybody may look.
import type { Market } from "../chain/market";
import { OrderBook } from "../chain/order-book";
import type { BandView } from "../render/order-book";
import type { Flags } from "./command";
import { tradingState } from "./regulate";

export function parse(_args: string[] = [], _flags: Flags = {}): Record<string, never> {
  return {};
}

export function run(market: Market): Promise<BandView> {
  return tradingState(new OrderBook(market));
}
