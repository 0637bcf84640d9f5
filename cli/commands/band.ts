// `carbon band <bps> [--reference <ether>]`: the regulator sets the daily price band to ±bps basis
// points of the reference price (1000 is ±10%; 0 lifts it), and with --reference the reference
// itself; without one the band keeps the current reference (the last busy day's most-traded price).
// A first band needs a reference. Prints the trading state after it; `carbon band` alone shows it.
import type { Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input/values";
import { parseBasisPoints, parseOrderPrice } from "../input/order-book";
import type { TradingStatus } from "../render/order-book";
import { optionalString, type Flags } from "./command";
import { regulate } from "./regulate";

export interface BandOptions {
  bps: number;
  /** Wei a unit; undefined keeps the current reference. */
  reference?: bigint;
  /** Default: the regulator. */
  from?: AccountRef;
}

export function parse([bps]: string[], flags: Flags = {}): BandOptions {
  const from = optionalString(flags, "from");
  const reference = optionalString(flags, "reference");
  return {
    bps: parseBasisPoints(bps),
    ...(reference === undefined ? {} : { reference: parseOrderPrice(reference) }),
    ...(from === undefined ? {} : { from: parseAccount(from, "--from") }),
  };
}

export function run(market: Market, options: BandOptions): Promise<TradingStatus> {
  return regulate(market, options.from, (book, from) => book.setPriceBand(options.bps, from, options.reference ?? 0n));
}
