// The demo's order book: customer 2 (a surplus) offers quota at three prices, customer 1 (short of
// quota) bids at three lower prices, then bids once more at the best ask's price for less than it
// offers: one trade, and a partial fill that leaves the rest of that ask on the book. A class opens
// `carbon book` and finds bids and asks on both sides of a spread, and a first trade to chart.
//
// Like the rest of the scenario, each order is checked on the chain before it is sent: the demo
// customers' orders so far are compared with the plan, in order, so a second run sends nothing and
// an interrupted one places only the orders still missing.
import type { Market } from "../../chain/market";
import { OrderBook } from "../../chain/order-book";
import type { Order, Side } from "../../chain/order-book-types";
import { RefusedError } from "../../support/errors";
import { formatEther } from "../../input/order-book";
import type { DemoStep } from "./step";

export interface DemoOrder {
  /** The demo customer's account index (1 or 2). */
  customer: number;
  side: Side;
  quantity: bigint;
  /** Wei a unit. */
  price: bigint;
}

const TICK = 10n ** 14n; // 0.0001 ether

/** In the order they are placed; the last one crosses the book. */
export const DEMO_BOOK: readonly DemoOrder[] = [
  { customer: 2, side: "ask", quantity: 40n, price: 120n * TICK },
  { customer: 2, side: "ask", quantity: 30n, price: 125n * TICK },
  { customer: 2, side: "ask", quantity: 50n, price: 130n * TICK },
  { customer: 1, side: "bid", quantity: 50n, price: 100n * TICK },
  { customer: 1, side: "bid", quantity: 20n, price: 105n * TICK },
  { customer: 1, side: "bid", quantity: 30n, price: 110n * TICK },
  // Crosses the best ask (40 at 0.012): 25 trade at once, 15 of the ask stay on the book.
  { customer: 1, side: "bid", quantity: 25n, price: 120n * TICK },
];

/** The demo orders still missing, in order; throws if a demo customer's orders are not the plan's. */
export async function planDemoBook(market: Market, accounts: string[]): Promise<DemoStep[]> {
  const book = new OrderBook(market);
  const placed = new Map<number, Order[]>();
  for (const index of new Set(DEMO_BOOK.map((o) => o.customer))) placed.set(index, (await book.orders(accounts[index], 0, DEMO_BOOK.length)).orders);
  const seen = new Map<number, number>();
  const steps: DemoStep[] = [];
  for (const order of DEMO_BOOK) {
    const nth = seen.get(order.customer) ?? 0;
    seen.set(order.customer, nth + 1);
    const existing = placed.get(order.customer)![nth];
    const what = `${order.side} ${order.quantity} at ${formatEther(order.price)} by customer ${order.customer}`;
    if (existing) {
      if (existing.side !== order.side || existing.quantity !== order.quantity || existing.price !== order.price) {
        throw new RefusedError(
          `the demo scenario does not fit this chain: customer ${order.customer}'s order ${existing.id} is not the demo's ${what}; start from an empty chain (\`npm start -- --reset\`) and run \`npm run demo\` again`,
        );
      }
      continue;
    }
    const from = accounts[order.customer];
    steps.push({ describe: `order: ${what}`, send: () => (order.side === "bid" ? book.placeBid(order.quantity, order.price, { from }) : book.placeAsk(order.quantity, order.price, { from })) });
  }
  return steps;
}
