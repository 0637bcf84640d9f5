// `carbon unfreeze <account>`: the regulator lifts a freeze (unfreezeAccount). The chain leaves the
// regulator free to unfreeze an account that still owes quota from an enforced period (a frozen account
// can receive no quota, so one holding too little could never pay otherwise); the command says so.
import { Compliance } from "../chain/compliance";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import type { FreezeOptions } from "./freeze";

export { parse } from "./freeze";
export type UnfreezeOptions = FreezeOptions;

export async function run(market: Market, options: UnfreezeOptions): Promise<Outcome> {
  const account = await market.resolve(options.account);
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  const outcome = await market.unfreezeAccount(account, from);
  if (!outcome.ok) return outcome;
  const { outstanding } = await new Compliance(market).standing(account);
  return outstanding === 0n ? outcome : { ...outcome, warning: `${account} still owes ${outstanding} quota from an enforced period: its status stays short until it surrenders that` };
}
