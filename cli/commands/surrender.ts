// `carbon surrender <customer> <amount>`: a customer surrenders quota. It leaves the balance for good:
// first it pays any shortfall owed from an enforced period (a late surrender, after which the
// regulator can unfreeze), the rest counts toward the open period's obligation.
import { Compliance } from "../chain/compliance";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseSurrender } from "../input/compliance";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";

export interface SurrenderOptions {
  customer: AccountRef;
  amount: bigint;
  /** Default: the customer. */
  from?: AccountRef;
}

export function parse([customer, amount]: string[], flags: Flags): SurrenderOptions {
  const from = optionalString(flags, "from");
  return { customer: parseAccount(customer, "customer"), amount: parseSurrender(amount), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: SurrenderOptions): Promise<Outcome> {
  const customer = await market.resolve(options.customer, "customer");
  const from = options.from ? await market.resolve(options.from, "--from") : customer;
  return new Compliance(market).surrenderCarbon(customer, options.amount, from);
}
