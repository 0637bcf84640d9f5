// `carbon band <bps>`: the regulator sets the daily price band to ±bps basis points of the previous
// day's close (1000 is ±10%; 0 lifts it). Prints the trading state after it.
import type { Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input/values";
import { parseBasisPoints } from "../input/order-book";
import type { TradingStatus } from "../render/order-book";
import { optionalString, type Flags } from "./command";
import { regulate } from "./regulate";

export interface BandOptions {
  bps: number;
  /** Default: the regulator. */
  from?: AccountRef;
}

export function parse([bps]: string[], flags: Flags = {}): BandOptions {
  const from = optionalString(flags, "from");
  return { bps: parseBasisPoints(bps), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export function run(market: Market, options: BandOptions): Promise<TradingStatus> {
  return regulate(market, options.from, (book, from) => book.setPriceBand(options.bps, from));
}
