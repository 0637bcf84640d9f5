// `carbon settle <seller> <amount>`: a seller settles proceeds with the authority (settleCarbon).
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseAccount, parseAmount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";

export interface SettleOptions {
  seller: AccountRef;
  amount: bigint;
  /** Default: the seller. */
  from?: AccountRef;
}

export function parse([seller, amount]: string[], flags: Flags): SettleOptions {
  const from = optionalString(flags, "from");
  return { seller: parseAccount(seller, "seller"), amount: parseAmount(amount), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: SettleOptions): Promise<Outcome> {
  const seller = await market.resolve(options.seller, "seller");
  const from = options.from ? await market.resolve(options.from, "--from") : seller;
  return market.settleCarbon(seller, options.amount, from);
}
