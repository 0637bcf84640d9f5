// Lots a page at a time, for the session's lot lists. The one place the session reads lots in pages:
// the client's Market.lotPage(filter, offset, limit) → { total, lots } is being added on another
// branch; until it is in main this adapter pages the full list, and switching is the one line marked.
import type { Lot, Market } from "../chain/market";
import * as carbons from "../commands/carbons";

export interface LotFilter {
  seller?: string;
  customer?: string;
  unsold?: boolean;
}

export interface LotPage {
  /** Lots matching the filter, in all. */
  total: number;
  lots: Lot[];
}

export async function lotPage(market: Market, filter: LotFilter, offset: number, limit: number): Promise<LotPage> {
  // Once Market.lotPage is merged: return market.lotPage(filter, offset, limit);
  const all = await carbons.run(market, { ...(filter.seller ? { seller: { address: filter.seller } } : {}), ...(filter.customer ? { customer: { address: filter.customer } } : {}), ...(filter.unsold ? { unsold: true } : {}) });
  return { total: all.length, lots: all.slice(offset, offset + limit) };
}
