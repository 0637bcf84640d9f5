// `carbon rename <account> <name>`: setName, sent by the account itself (only an account names itself).
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseAccountName } from "../input/account-name";
import { parseAccount, type AccountRef } from "../input/values";

export interface RenameOptions {
  account: AccountRef;
  name: string;
}

export function parse([account, name]: string[]): RenameOptions {
  return { account: parseAccount(account), name: parseAccountName(name) };
}

export async function run(market: Market, options: RenameOptions): Promise<Outcome> {
  return market.setName(await market.resolve(options.account), options.name);
}
