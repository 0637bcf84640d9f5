// `carbon carbons [--seller <a>] [--customer <a>] [--unsold] [--limit N] [--offset N]`: one page of
// lots, in publication order (the unsold index's order with --unsold).
import type { Market } from "../chain/market";
import type { Lot } from "../chain/market-lists";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";
import { pageInfo, parsePaging, type PageInfo, type Paging } from "./paging";

/** Lots on a page when --limit is not given: enough to see, quick to read at any size. */
export const DEFAULT_LOTS = 20;

export interface CarbonsOptions extends Partial<Paging> {
  /** Only the lots this seller published. */
  seller?: AccountRef;
  /** Only the lots this customer bought. */
  customer?: AccountRef;
  /** Only the lots still for sale. */
  unsold?: boolean;
}

/** The page's lots, as an array (what the session lists and picks from), and where the page sits. */
export type LotList = Lot[] & { page: PageInfo };

export function parse(_args: string[], flags: Flags): CarbonsOptions {
  const seller = optionalString(flags, "seller");
  const customer = optionalString(flags, "customer");
  return {
    ...(seller === undefined ? {} : { seller: parseAccount(seller, "--seller") }),
    ...(customer === undefined ? {} : { customer: parseAccount(customer, "--customer") }),
    ...(flags.unsold ? { unsold: true } : {}),
    ...parsePaging(flags, DEFAULT_LOTS),
  };
}

export async function run(market: Market, options: CarbonsOptions): Promise<LotList> {
  const seller = options.seller ? await market.resolve(options.seller, "--seller") : undefined;
  const customer = options.customer ? await market.resolve(options.customer, "--customer") : undefined;
  const paging = { offset: options.offset ?? 0, limit: options.limit ?? DEFAULT_LOTS };
  const { total, lots } = await market.lotPage({ seller, customer, unsold: options.unsold }, paging.offset, paging.limit);
  return Object.assign(lots, { page: pageInfo(paging, lots.length, total) });
}
