// `carbon buy <customer> <carbonId>`: a customer buys a lot (buyCarbon).
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseAccount, parseCarbonId, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";

export interface BuyOptions {
  customer: AccountRef;
  carbonId: string;
  /** Default: the customer. */
  from?: AccountRef;
}

export function parse([customer, carbonId]: string[], flags: Flags): BuyOptions {
  const from = optionalString(flags, "from");
  return { customer: parseAccount(customer, "customer"), carbonId: parseCarbonId(carbonId), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: BuyOptions): Promise<Outcome> {
  const customer = await market.resolve(options.customer, "customer");
  const from = options.from ? await market.resolve(options.from, "--from") : customer;
  return market.buyCarbon(customer, options.carbonId, from);
}
