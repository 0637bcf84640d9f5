// `carbon carbons [--seller <a>] [--customer <a>] [--unsold]`: lots, in publication order.
import type { Lot, Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input";
import { optionalString, type Flags } from "./command";

export interface CarbonsOptions {
  /** Only the lots this seller published. */
  seller?: AccountRef;
  /** Only the lots this customer bought. */
  customer?: AccountRef;
  /** Only the lots still for sale. */
  unsold?: boolean;
}

export function parse(_args: string[], flags: Flags): CarbonsOptions {
  const seller = optionalString(flags, "seller");
  const customer = optionalString(flags, "customer");
  return {
    ...(seller === undefined ? {} : { seller: parseAccount(seller, "--seller") }),
    ...(customer === undefined ? {} : { customer: parseAccount(customer, "--customer") }),
    ...(flags.unsold ? { unsold: true } : {}),
  };
}

export async function run(market: Market, options: CarbonsOptions): Promise<Lot[]> {
  const seller = options.seller ? await market.resolve(options.seller, "--seller") : undefined;
  const customer = options.customer ? await market.resolve(options.customer, "--customer") : undefined;
  // The registries list a seller's or a customer's lots directly; both at once is their intersection.
  let lots = await market.lots(seller ? { seller } : customer ? { customer } : {});
  if (seller && customer) lots = lots.filter((lot) => lot.buyer === customer);
  if (options.unsold) lots = lots.filter((lot) => lot.buyer === undefined);
  return lots;
}
