// `carbon add-carbon <seller> <carbonId> <price>`: a seller publishes a lot (addCarbon).
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseAccount, parseAmount, parseCarbonId, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";

export interface AddCarbonOptions {
  seller: AccountRef;
  carbonId: string;
  price: bigint;
  /** Default: the seller. */
  from?: AccountRef;
}

export function parse([seller, carbonId, price]: string[], flags: Flags): AddCarbonOptions {
  const from = optionalString(flags, "from");
  return {
    seller: parseAccount(seller, "seller"),
    carbonId: parseCarbonId(carbonId),
    price: parseAmount(price, "price"),
    ...(from === undefined ? {} : { from: parseAccount(from, "--from") }),
  };
}

export async function run(market: Market, options: AddCarbonOptions): Promise<Outcome> {
  const seller = await market.resolve(options.seller, "seller");
  const from = options.from ? await market.resolve(options.from, "--from") : seller;
  return market.addCarbon(seller, options.carbonId, options.price, from);
}
