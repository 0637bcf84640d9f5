// Lots a page at a time, for the session's lot lists: the one place the session reads lots in pages,
// through Market.lotPage (only the page's lots are read from the chain).
import type { Market } from "../chain/market";
import type { LotFilter, LotPage } from "../chain/market-lists";

export type { LotFilter, LotPage };

export function lotPage(market: Market, filter: LotFilter, offset: number, limit: number): Promise<LotPage> {
  return market.lotPage(filter, offset, limit);
}
