// The order book in the session: a customer sees the book, places bids and asks, lists and cancels
// its orders, withdraws the ether the book credited to it; the regulator sees the book, the band and
// its reference, sets the band, halts and resumes trading. Each
// action collects the options of the scripted command and calls the same `run`, and shows the same
// text; the customer's and the regulator's menus each have one entry that opens these.
import { accountLabel } from "../render/account-label";
import * as ask from "../commands/ask";
import * as band from "../commands/band";
import * as bandShow from "../commands/band-show";
import * as bid from "../commands/bid";
import * as bookCommand from "../commands/book";
import * as cancel from "../commands/cancel";
import * as chart from "../commands/chart";
import * as halt from "../commands/halt";
import * as orders from "../commands/orders";
import * as resume from "../commands/resume";
import * as trades from "../commands/trades";
import * as withdraw from "../commands/withdraw";
import { OrderBook } from "../chain/order-book";
import type { Order, Side } from "../chain/order-book-types";
import { parseAmount } from "../input/values";
import { formatEther, parseBasisPoints, parseDuration, parseOrderPrice } from "../input/order-book";
import { palette } from "../render/colours";
import { UsageError } from "../support/errors";
import { formatEther as roundEther, formatTime } from "../render/format";
import * as text from "../render/text";
import { input, menu, select, type Choice } from "./prompt";
import { menuLoop, perform, say, type Action, type Session } from "./session";

/** The customer's order-book menu, until Back. */
export async function customerOrderBook(session: Session): Promise<void> {
  const { market, account } = session;
  await menuLoop(
    () => `${palette().heading("Order book")} ${palette().name(accountLabel(account))}`,
    () =>
      menu<Action>("What would you like to do?", [
        { name: "The book", value: () => showBook(session) },
        { name: "Bid for quota (buy)", value: () => placeOrder(session, "bid") },
        { name: "Offer quota (sell)", value: () => placeOrder(session, "ask") },
        { name: "My orders", value: () => perform(() => orders.run(market, { mine: { address: account } }), (list) => text.orders(list)) },
        { name: "Cancel one of my orders", value: () => cancelOrder(session) },
        { name: "Withdraw ether from the book", value: () => withdrawCredit(session) },
        { name: "Price band", value: () => perform(() => bandShow.run(market), text.band) },
        { name: "Latest trades", value: () => perform(() => trades.run(market, { limit: 20 }), (list) => text.trades(list)) },
        { name: "Price chart", value: () => perform(() => chart.run(market), (result) => text.chart(result)) },
        { name: "Back", value: null },
      ]),
  );
}

/** The regulator's order-book menu, until Back. */
export async function regulatorOrderBook(session: Session): Promise<void> {
  const { market } = session;
  await menuLoop(
    () => `${palette().heading("Order book: risk control")} ${palette().name(session.account)}`,
    () =>
      menu<Action>("What would you like to do?", [
        { name: "The book", value: () => showBook(session) },
        { name: "Price band and reference", value: () => perform(() => bandShow.run(market), text.band) },
        { name: "Set the daily price band", value: () => setBand(session) },
        { name: "Halt trading", value: () => perform(() => halt.run(market), text.tradingStatus) },
        { name: "Resume trading", value: () => perform(() => resume.run(market), text.tradingStatus) },
        { name: "Latest trades", value: () => perform(() => trades.run(market, { limit: 20 }), (list) => text.trades(list)) },
        { name: "Back", value: null },
      ]),
  );
}

function showBook({ market }: Session): Promise<unknown> {
  return perform(() => bookCommand.run(market), (view) => text.book(view));
}

/** Quantity, then price (with the escrow it takes), then how long it rests; Esc goes back a step. */
async function placeOrder({ market, account }: Session, side: Side): Promise<void> {
  const c = palette();
  const [held, ether] = await Promise.all([side === "ask" ? market.customerCarbonAmount(account) : undefined, side === "bid" ? market.etherBalance(account) : undefined]);
  // An ask of more than one holds is refused in the field, as the book would refuse it.
  const quantityOf = (t: string) => {
    const units = parseAmount(t, "quantity");
    if (held !== undefined && units > held) throw new UsageError(`you hold ${held} quota`);
    return units;
  };
  for (;;) {
    const quantity = await input(side === "bid" ? "Quantity to buy (units, at least 10)" : `Quantity to sell (you hold ${held})`, quantityOf);
    if (quantity === undefined) return;
    const units = parseAmount(quantity, "quantity");
    const price = await input(`${side === "bid" ? "Highest" : "Lowest"} price, in ether a unit (e.g. 0.01)`, parseOrderPrice, (t) => valueHint(side, units, t, ether));
    if (price === undefined) continue;
    const expires = await input("Rests for (e.g. 1d, 12h; empty: until cancelled)", (t) => parseDuration(t, "duration"), undefined, { optional: true });
    if (expires === undefined) continue;
    const options = {
      customer: { address: account },
      quantity: units,
      price: parseOrderPrice(price),
      ...(expires === "" ? {} : { expiresIn: parseDuration(expires, "duration") }),
    };
    say(c.dim(`${side === "bid" ? "Bidding for" : "Offering"} ${units} at ${formatEther(options.price)} ETH a unit…`));
    await perform(() => (side === "bid" ? bid : ask).run(market, options), text.placement);
    return;
  }
}

/**
 * What the order is worth as it is typed: the escrow of a bid beside the ether the bidder holds (gas
 * is paid on top, and is not escrow), the proceeds of an ask; nothing while the price is not one.
 */
function valueHint(side: Side, units: bigint, text: string, ether?: bigint): string {
  try {
    const value = formatEther(units * parseOrderPrice(text));
    if (side === "ask") return `${value} ETH in all`;
    return ether === undefined ? `escrow ${value} ETH` : `escrow ${value} ETH of the ${roundEther(ether)} ETH you hold; gas on top`;
  } catch {
    return "";
  }
}

async function cancelOrder({ market, account }: Session): Promise<void> {
  const open = await openOrders(new OrderBook(market), account);
  if (open.length === 0) return say(palette().dim("You have no open orders."));
  const choices: Array<Choice<bigint | null>> = open.map((order) => ({ name: orderLine(order), value: order.id }));
  choices.push({ name: "Back", value: null });
  const id = await select("Cancel which order?", choices);
  if (id === null) return;
  await perform(() => cancel.run(market, { customer: { address: account }, orderId: id }), text.outcome);
}

/** The account's open orders, newest first (its orders are read a page at a time). */
async function openOrders(book: OrderBook, account: string): Promise<Order[]> {
  const found: Order[] = [];
  for (let offset = 0; ; offset += 100) {
    const { total, orders: page } = await book.orders(account, offset, 100);
    found.push(...page.filter((order) => order.status === "open"));
    if (offset + 100 >= total) return found.reverse();
  }
}

function orderLine(order: Order): string {
  const until = order.expiry === undefined ? "until cancelled" : `until ${formatTime(order.expiry)}`;
  return `#${order.id}  ${order.side}  ${order.remaining} of ${order.quantity} at ${formatEther(order.price)} ETH  ${palette().dim(until)}`;
}

/** The ether credited to the account (its asks' proceeds, its bids' escrow others removed), paid out. */
async function withdrawCredit({ market, account }: Session): Promise<void> {
  const credit = await new OrderBook(market).withdrawable(account);
  if (credit === 0n) return say(palette().dim("The book holds no ether for you to withdraw."));
  say(palette().dim(`Withdrawing ${formatEther(credit)} ETH…`));
  await perform(() => withdraw.run(market, { customer: { address: account } }), text.withdrawal);
}

/** The width, then the reference (empty keeps the current one, which a first band does not have). */
async function setBand({ market }: Session): Promise<void> {
  const book = new OrderBook(market);
  for (;;) {
    const bps = await input("Band, in basis points either side of the reference price (1000 is ±10%; 0: none)", parseBasisPoints, (t) => `±${parseBasisPoints(t) / 100}%`);
    if (bps === undefined) return;
    const width = parseBasisPoints(bps);
    const current = width === 0 ? 0n : await book.referencePrice();
    let reference: bigint | undefined;
    if (width !== 0) {
      const prompt = current ? `Reference price, ether a unit (empty: keep ${formatEther(current)})` : "Reference price, ether a unit (e.g. 0.012)";
      const typed = await input(prompt, parseOrderPrice, undefined, { optional: current !== 0n });
      if (typed === undefined) continue;
      if (typed !== "") reference = parseOrderPrice(typed);
    }
    await perform(() => band.run(market, { bps: width, ...(reference === undefined ? {} : { reference }) }), text.tradingStatus);
    return;
  }
}
