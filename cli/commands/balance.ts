// `carbon balance <account>`: the account's carbon as a customer and as a seller.
import type { Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input/values";

export interface BalanceOptions {
  account: AccountRef;
}

export interface Balance {
  account: string;
  customer: bigint;
  seller: bigint;
}

export function parse([account]: string[]): BalanceOptions {
  return { account: parseAccount(account) };
}

export async function run(market: Market, options: BalanceOptions): Promise<Balance> {
  const account = await market.resolve(options.account);
  const [customer, seller] = await Promise.all([market.customerCarbonAmount(account), market.sellerCarbonAmount(account)]);
  return { account, customer, seller };
}
