// What `carbon bid` and `carbon ask` share: `<customer> <quantity> <price> [--expires 1d]
// [--max-matches N]`, the price in ether a unit (exact, whole ticks), sent by the customer. The result
// says what the order did at once: its fills, and what rests on the book.
import type { Market } from "../chain/market";
import { OrderBook } from "../chain/order-book";
import { DEFAULT_MATCHES, MAX_MATCHES, type Side } from "../chain/order-book-types";
import { dated } from "../chain/trade-history";
import { UsageError } from "../support/errors";
import { parseAccount, parseAmount, type AccountRef } from "../input/values";
import { parseDuration, parseOrderPrice, parseWhole } from "../input/order-book";
import type { Placement } from "../render/order-book";
import { optionalString, type CommandModule, type Flags } from "./command";

export interface PlaceOrderOptions {
  customer: AccountRef;
  quantity: bigint;
  /** Wei a unit. */
  price: bigint;
  /** Seconds from the chain's latest block; undefined: good till cancelled. */
  expiresIn?: number;
  maxMatches?: number;
  /** Default: the customer. */
  from?: AccountRef;
}

export function placeOrder(side: Side): CommandModule<PlaceOrderOptions, Placement> {
  return {
    parse([customer, quantity, price]: string[], flags: Flags): PlaceOrderOptions {
      const expires = optionalString(flags, "expires");
      const maxMatches = optionalString(flags, "maxMatches");
      const from = optionalString(flags, "from");
      return {
        customer: parseAccount(customer, "customer"),
        quantity: parseAmount(quantity, "quantity"),
        price: parseOrderPrice(price),
        ...(expires === undefined ? {} : { expiresIn: parseDuration(expires) }),
        ...(maxMatches === undefined ? {} : { maxMatches: parseWhole(maxMatches, "--max-matches", 0, MAX_MATCHES) }),
        ...(from === undefined ? {} : { from: parseAccount(from, "--from") }),
      };
    },
    run: (market, options) => place(market, side, options),
  };
}

export async function place(market: Market, side: Side, options: PlaceOrderOptions): Promise<Placement> {
  const customer = await market.resolve(options.customer, "customer");
  const from = options.from ? await market.resolve(options.from, "--from") : customer;
  if (from !== customer) throw new UsageError(`${from} cannot place orders for ${customer}: only the customer itself can`);
  const book = new OrderBook(market);
  // Expiry counts from the chain's time, which a dev chain may have moved ahead of the clock.
  const expiry = options.expiresIn === undefined ? undefined : (await market.blockTime("latest")) + options.expiresIn;
  const request = { from: customer, ...(expiry === undefined ? {} : { expiry }), maxMatches: options.maxMatches ?? DEFAULT_MATCHES };
  const outcome = side === "bid" ? await book.placeBid(options.quantity, options.price, request) : await book.placeAsk(options.quantity, options.price, request);
  const base = { ...outcome, side, price: options.price, quantity: options.quantity, fills: [], resting: 0n };
  if (!outcome.ok || outcome.orderId === undefined) return base;
  // The fills are the Trade events of the order's transaction (its block's, filtered by hash).
  const [trades, order] = await Promise.all([book.trades(outcome.block, outcome.block), book.order(outcome.orderId)]);
  const fills = trades.filter((t) => t.txHash === outcome.txHash);
  return { ...base, fills: await dated(market, fills), resting: order?.status === "open" ? order.remaining : 0n };
}
