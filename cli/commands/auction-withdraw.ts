// `carbon auction withdraw <account>`: the account takes the ether the auction credited to it: a
// refund settled by someone else, or, for the regulator, the auction's revenue. The auction pays
// nobody but its caller, so no receiving code can re-enter or block it.
import { Auction } from "../chain/auction";
import type { Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input/values";
import type { Withdrawal } from "../render/order-book";
import { UsageError } from "../support/errors";
import type { Flags } from "./command";

export interface AuctionWithdrawOptions {
  account: AccountRef;
}

export function parse([account, ...rest]: string[], _flags: Flags): AuctionWithdrawOptions {
  if (account === undefined || rest.length > 0) throw new UsageError("give the account to withdraw for, e.g. carbon auction withdraw ana");
  return { account: parseAccount(account, "account") };
}

export async function run(market: Market, options: AuctionWithdrawOptions): Promise<Withdrawal> {
  const account = await market.resolve(options.account, "account");
  const withdrawn = await (await Auction.attach(market)).withdraw(account);
  return { ...withdrawn, account, balance: await market.etherBalance(account) };
}
