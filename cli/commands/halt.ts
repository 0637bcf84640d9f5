// `carbon halt`: the regulator halts trading (no order can be placed; cancelling still works).
import type { Market } from "../chain/market";
import { parseAccount } from "../input/values";
import type { TradingStatus } from "../render/order-book";
import { optionalString, type Flags } from "./command";
import { regulate, type RegulateOptions } from "./regulate";

export function parse(_args: string[] = [], flags: Flags = {}): RegulateOptions {
  const from = optionalString(flags, "from");
  return from === undefined ? {} : { from: parseAccount(from, "--from") };
}

export function run(market: Market, options: RegulateOptions = {}): Promise<TradingStatus> {
  return regulate(market, options.from, (book, from) => book.haltTrading(from));
}
