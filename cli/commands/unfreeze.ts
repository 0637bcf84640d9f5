// `carbon unfreeze <account>`: the regulator lifts a freeze (unfreezeAccount).
import type { Market, Outcome } from "../chain/market";
import type { FreezeOptions } from "./freeze";

export { parse } from "./freeze";
export type UnfreezeOptions = FreezeOptions;

export async function run(market: Market, options: UnfreezeOptions): Promise<Outcome> {
  const account = await market.resolve(options.account);
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  return market.unfreezeAccount(account, from);
}
