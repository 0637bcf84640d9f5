// `carbon resume`: the regulator resumes trading after a halt.
import type { Market } from "../chain/market";
import type { TradingStatus } from "../render/order-book";
import { regulate, type RegulateOptions } from "./regulate";

export { parse } from "./halt";

export function run(market: Market, options: RegulateOptions = {}): Promise<TradingStatus> {
  return regulate(market, options.from, (book, from) => book.resumeTrading(from));
}
