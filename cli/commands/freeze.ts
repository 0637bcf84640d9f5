// `carbon freeze <account>`: the regulator freezes an account (freezeAccount).
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";

export interface FreezeOptions {
  account: AccountRef;
  /** Default: the regulator. */
  from?: AccountRef;
}

/** Shared with unfreeze, whose options are the same. */
export function parse([account]: string[], flags: Flags): FreezeOptions {
  const from = optionalString(flags, "from");
  return { account: parseAccount(account), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: FreezeOptions): Promise<Outcome> {
  const account = await market.resolve(options.account);
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  return market.freezeAccount(account, from);
}
