// `carbon cancel <customer> <orderId>`: the owner cancels its open order; its escrow comes back.
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { OrderBook } from "../chain/order-book";
import { parseAccount, type AccountRef } from "../input/values";
import { parseWhole } from "../input/order-book";
import type { Flags } from "./command";

export interface CancelOptions {
  customer: AccountRef;
  orderId: bigint;
}

export function parse([customer, orderId]: string[], _flags: Flags = {}): CancelOptions {
  return { customer: parseAccount(customer, "customer"), orderId: BigInt(parseWhole(orderId, "order ID", 1, Number.MAX_SAFE_INTEGER)) };
}

export async function run(market: Market, options: CancelOptions): Promise<Outcome> {
  const customer = await market.resolve(options.customer, "customer");
  return new OrderBook(market).cancelOrder(options.orderId, customer);
}
