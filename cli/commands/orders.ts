// `carbon orders [--mine <account>] [--limit N] [--offset N]`: the open orders on the book in the
// order they would trade (bids from the best price down, then asks from the best up; oldest first at
// a price), or with --mine every order of one account, open or not, oldest first, and the ether the
// book holds for it to withdraw.
import type { Market } from "../chain/market";
import { OrderBook } from "../chain/order-book";
import type { Level, Order, Side } from "../chain/order-book-types";
import { parseAccount, type AccountRef } from "../input/values";
import type { OrderList } from "../render/order-book";
import { optionalString, type Flags } from "./command";
import { pageInfo, parsePaging, type Paging } from "./paging";

export const DEFAULT_ORDERS = 50;
/** Levels read per view call while walking a side. */
const LEVELS = 100;

export interface OrdersOptions extends Partial<Paging> {
  mine?: AccountRef;
}

export function parse(_args: string[], flags: Flags = {}): OrdersOptions {
  const mine = optionalString(flags, "mine");
  return { ...(mine === undefined ? {} : { mine: parseAccount(mine, "--mine") }), ...parsePaging(flags, DEFAULT_ORDERS) };
}

export async function run(market: Market, options: OrdersOptions = {}): Promise<OrderList> {
  const book = new OrderBook(market);
  const paging = { offset: options.offset ?? 0, limit: options.limit ?? DEFAULT_ORDERS };
  if (options.mine) {
    const owner = await market.resolve(options.mine, "--mine");
    const [{ total, orders }, now, withdrawable] = await Promise.all([book.orders(owner, paging.offset, paging.limit), market.blockTime("latest"), book.withdrawable(owner)]);
    return { owner, withdrawable, orders: orders.map((order) => lapsed(order, now)), page: pageInfo(paging, orders.length, total) };
  }
  const [bids, asks] = await Promise.all([allLevels(book, "bid"), allLevels(book, "ask")]);
  const levels = [...bids.map((level) => ({ side: "bid" as Side, level })), ...asks.map((level) => ({ side: "ask" as Side, level }))];
  const total = levels.reduce((sum, { level }) => sum + level.orders, 0);
  // Only the levels the page reaches are read order by order; the counts say where they are.
  const orders: Order[] = [];
  let skip = paging.offset;
  for (const { side, level } of levels) {
    if (orders.length >= paging.limit) break;
    if (skip >= level.orders) {
      skip -= level.orders;
      continue;
    }
    orders.push(...(await book.ordersAt(side, level.price, skip, Math.min(level.orders - skip, paging.limit - orders.length))));
    skip = 0;
  }
  const now = await market.blockTime("latest");
  return { orders: orders.map((order) => lapsed(order, now)), page: pageInfo(paging, orders.length, total) };
}

/**
 * An open order past its expiry trades no more: it is shown as expired, though it stays in the
 * book's depth until a call meets it or anybody sends `expireOrder`.
 */
function lapsed(order: Order, now: number): Order {
  return order.status === "open" && order.expiry !== undefined && order.expiry <= now ? { ...order, status: "expired" } : order;
}

/** Every level of one side, best first. */
async function allLevels(book: OrderBook, side: Side): Promise<Level[]> {
  const levels: Level[] = [];
  for (;;) {
    const page = await book.levels(side, levels.length, LEVELS);
    levels.push(...page);
    if (page.length < LEVELS) return levels;
  }
}
