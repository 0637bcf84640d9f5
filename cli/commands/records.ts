// `carbon records <account>`: the account's history from the chain's Activity events, oldest first.
import type { ActivityRecord, Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input";

export interface RecordsOptions {
  account: AccountRef;
}

export interface Records {
  account: string;
  records: ActivityRecord[];
}

export function parse([account]: string[]): RecordsOptions {
  return { account: parseAccount(account) };
}

export async function run(market: Market, options: RecordsOptions): Promise<Records> {
  const account = await market.resolve(options.account);
  return { account, records: await market.activity(account) };
}
