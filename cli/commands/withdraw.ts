// `carbon withdraw <customer>`: the customer takes the ether the book credited to it (its filled
// asks' proceeds, the escrow of its bids removed by other people's calls). The book never sends ether
// to anybody but the caller, so no receiving code can re-enter or block it; this is how it arrives.
import type { Market } from "../chain/market";
import { OrderBook } from "../chain/order-book";
import { parseAccount, type AccountRef } from "../input/values";
import type { Withdrawal } from "../render/order-book";
import type { Flags } from "./command";

export interface WithdrawOptions {
  customer: AccountRef;
}

export function parse([customer]: string[], _flags: Flags = {}): WithdrawOptions {
  return { customer: parseAccount(customer, "customer") };
}

export async function run(market: Market, options: WithdrawOptions): Promise<Withdrawal> {
  const account = await market.resolve(options.customer, "customer");
  const outcome = await new OrderBook(market).withdraw(account);
  return { ...outcome, account, balance: await market.etherBalance(account) };
}
