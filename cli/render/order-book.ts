// The order book's renderers, as text (tables, the depth ladder, CSV, the live feed's lines) and as
// JSON (prices in ether and in wei as decimal strings, quantities as decimal strings, the field names
// of render/json.ts). text.ts and json.ts re-export them under the renderer names of dispatch.ts.
import type { Outcome } from "../chain/outcome";
import type { FeedEvent } from "../chain/book-feed";
import { REFERENCE_MIN_VOLUME, type Band, type Depth, type Level, type Order, type Side, type Trade, type TradingDay } from "../chain/order-book-types";
import type { ChartResult } from "../commands/chart";
import type { PageInfo } from "../commands/paging";
import { formatBasisPoints, formatEther } from "../input/order-book";
import { palette } from "./colours";
import { formatTime, shortTime } from "./format";
import { printable } from "./sanitize";
import { table, type Column, type TextOptions } from "./table";
import { outcomeJson, outcomeText } from "./outcome";
import { pageJson } from "./page-json";
import { accountLabel } from "./account-label";

/** A fill with its block's time. */
export type TradeView = Trade & { time: number };

/** The book as `carbon book` shows it: depth by price level, and the risk limits of the day. */
export interface BookView extends Depth {
  halted: boolean;
  /** The band's width in basis points either side of the reference price; 0: none set. */
  bandBps: number;
  /** The lowest and highest price a new order may have today, when a band applies. */
  band?: { low: bigint; high: bigint };
  /** The price the band is centred on: the regulator's, or the last busy day's most-traded price. */
  referencePrice?: bigint;
  /** The last trade's price. */
  lastPrice?: bigint;
}

/** What placing an order did: the outcome, the order's ID, the fills it made at once, what rests. */
export interface Placement extends Outcome {
  side: Side;
  orderId?: bigint;
  fills: TradeView[];
  /** Left resting on the book (0: filled at once, or refused). */
  resting: bigint;
  price: bigint;
  quantity: bigint;
}

export interface OrderList {
  orders: Order[];
  page?: PageInfo;
  /** Only this account's orders (--mine). */
  owner?: string;
  /** With --mine: wei the book credited to the owner, for `carbon withdraw`. */
  withdrawable?: bigint;
}

export interface TradeList {
  /** Newest first. */
  trades: TradeView[];
  page?: PageInfo;
  /** Printed as CSV instead of a table. */
  csv?: boolean;
}

/** The day's risk limits as `carbon band` shows them: halted or not, the band and its reference, and today's volume. */
export interface BandView {
  halted: boolean;
  band: Band;
  day: TradingDay;
}

/** A regulator's band, halt or resume, and the trading state after it. */
export interface TradingStatus extends Outcome, BandView {}

/** A withdrawal: the wei paid, and what the account holds after it. */
export interface Withdrawal extends Outcome {
  account: string;
  amount: bigint;
  balance: bigint;
}

/** A sweep of one price level. */
export interface Sweep extends Outcome {
  side: Side;
  price: bigint;
  removed: number;
}

type Json = Record<string, unknown>;

const ether = (wei: bigint) => formatEther(wei);
/** A price in a table: at least the tick's 4 decimals, so a column of prices lines up on the point. */
const tablePrice = (wei: bigint) => {
  const [whole, fraction = ""] = formatEther(wei).split(".");
  return `${whole}.${fraction.padEnd(4, "0")}`;
};

// ---------------------------------------------------------------- text

export function placementText(result: Placement): string {
  const c = palette();
  const lines = [outcomeText(result)];
  if (!result.ok) return lines[0];
  for (const fill of result.fills) lines.push(`${c.ok("filled")} ${fill.quantity} at ${ether(fill.price)} ETH ${c.dim("with")} ${c.name(result.side === "bid" ? fill.seller : fill.buyer)}`);
  const id = result.orderId === undefined ? "" : ` #${result.orderId}`;
  const filled = result.fills.reduce((sum, fill) => sum + fill.quantity, 0n);
  if (result.resting > 0n) lines.push(`${c.dim(`order${id}`)} ${result.resting} of ${result.quantity} rests on the book at ${ether(result.price)} ETH`);
  else if (filled === result.quantity) lines.push(c.dim(`order${id} filled completely`));
  // Not resting and not all filled: the message said why (the match limit, the expiry).
  else lines.push(c.dim(filled === 0n ? `order${id}: nothing filled, all of it returned` : `order${id}: ${filled} of ${result.quantity} filled, the rest returned`));
  return lines.join("\n");
}

/** The depth ladder: asks from the highest down to the best, the spread, then bids from the best down. */
/** The day's trading state in one line: open or halted, the band, the last price. */
function statusLine(book: BookView): string {
  const c = palette();
  const band = !book.bandBps
    ? c.dim("no price band")
    : book.band
      ? `${c.dim("band")} ±${formatBasisPoints(book.bandBps)} ${c.dim("of")} ${ether(book.referencePrice ?? 0n)}: ${ether(book.band.low)}–${ether(book.band.high)} ETH`
      : `${c.dim("band")} ±${formatBasisPoints(book.bandBps)} ${c.dim("(no reference price yet)")}`;
  const last = book.lastPrice === undefined ? "" : `   ${c.dim("last")} ${ether(book.lastPrice)} ETH`;
  return `${book.halted ? c.warn("⏸ trading halted") : c.ok("trading")}   ${band}${last}`;
}

/** The depth ladder: asks from the highest down to the best, the spread, then bids from the best down. */
export function bookText(book: BookView, options: TextOptions = {}): string {
  const c = palette();
  if (book.bids.length === 0 && book.asks.length === 0) return `${statusLine(book)}\n${c.dim("The book is empty: no open bids or asks.")}`;
  const row = (side: string, level: Level, colour: (t: string) => string) => [colour(side), tablePrice(level.price), level.quantity.toString(), String(level.orders)];
  const rows = [...[...book.asks].reverse().map((l) => row("ask", l, c.fail)), ...book.bids.map((l) => row("bid", l, c.ok))];
  const columns: Column[] = [{ header: "side" }, { header: "price (ETH)", align: "right" }, { header: "quantity", align: "right" }, { header: "orders", align: "right" }];
  const lines = table(columns, rows, { ...options, heading: c.heading }).split("\n");
  // The spread sits between the best ask (the last ask row) and the best bid.
  if (book.asks.length && book.bids.length) lines.splice(1 + book.asks.length, 0, c.dim(`  spread ${tablePrice(book.asks[0].price - book.bids[0].price)}`));
  return `${statusLine(book)}\n${lines.join("\n")}`;
}

export function ordersText(list: OrderList, options: TextOptions = {}): string {
  const c = palette();
  const credit = list.withdrawable ? `\n${c.warn(`${ether(list.withdrawable)} ETH to withdraw:`)} carbon withdraw ${list.owner}` : "";
  if (list.orders.length === 0) return c.dim(list.owner ? `No orders of ${list.owner}.` : "No open orders.") + credit;
  const status = (o: Order) => (o.status === "open" ? c.ok("open") : o.status === "filled" ? "filled" : c.dim(o.status));
  return table(
    [
      { header: "id", align: "right" },
      { header: "side" },
      { header: "price (ETH)", align: "right" },
      { header: "quantity", align: "right" },
      { header: "filled", align: "right" },
      { header: "status" },
      { header: "owner", address: true },
      { header: "expiry", shrink: shortTime },
    ],
    list.orders.map((o) => [String(o.id), o.side === "bid" ? c.ok("bid") : c.fail("ask"), tablePrice(o.price), o.quantity.toString(), o.filled.toString(), status(o), o.owner, o.expiry === undefined ? c.dim("none") : formatTime(o.expiry)]),
    { ...options, heading: c.heading },
  ) + credit;
}

export function tradesText(list: TradeList, options: TextOptions = {}): string {
  if (list.csv) return tradesCsv(list.trades);
  const c = palette();
  if (list.trades.length === 0) return c.dim("No trades yet.");
  return table(
    [
      { header: "time", shrink: shortTime },
      { header: "block", align: "right" },
      { header: "price (ETH)", align: "right" },
      { header: "quantity", align: "right" },
      { header: "buyer", address: true },
      { header: "seller", address: true },
    ],
    list.trades.map((t) => [formatTime(t.time), String(t.block), tablePrice(t.price), t.quantity.toString(), t.buyer, t.seller]),
    { ...options, heading: c.heading },
  );
}

export const TRADES_CSV_HEADER = "time,block,txHash,buyer,seller,price,priceWei,quantity,bidId,askId";

/** Trades as CSV (RFC 4180), a header row first; times in ISO 8601 (UTC), prices in ether and in wei. */
export function tradesCsv(trades: TradeView[]): string {
  const rows = trades.map((t) =>
    [new Date(t.time * 1000).toISOString(), t.block, t.txHash, t.buyer, t.seller, ether(t.price), t.price, t.quantity, t.bidId ?? "", t.askId ?? ""].map((v) => csvField(String(v))).join(","),
  );
  return [TRADES_CSV_HEADER, ...rows].join("\n");
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** `carbon chart`: the drawing, fitted to the terminal (80 columns when piped). */
export function chartText(result: ChartResult, options: TextOptions = {}): string {
  const { chart } = require("./chart") as typeof import("./chart");
  const width = options.width ?? (process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80);
  return chart(result.trades, { width, ...(result.height ? { height: result.height } : {}) });
}

export function tradingStatusText(result: TradingStatus): string {
  if (!result.ok) return outcomeText(result);
  return `${outcomeText(result)}\n${bandText(result)}`;
}

/** Trading open or halted; the band, its reference and where it comes from; what today makes of tomorrow's. */
export function bandText(view: BandView): string {
  const c = palette();
  const { band, day } = view;
  const state = view.halted ? c.warn("trading is halted") : c.ok("trading is open");
  const width = !band.bps
    ? "no price band"
    : band.active
      ? `band ±${formatBasisPoints(band.bps)} of ${ether(band.referencePrice)} ETH: orders from ${ether(band.low)} to ${ether(band.high)} ETH a unit`
      : `band ±${formatBasisPoints(band.bps)}, no reference price yet`;
  const reference = band.referencePrice ? `${c.dim("reference")} ${ether(band.referencePrice)} ETH` : `${c.dim("reference")} none yet`;
  const today = day.volume === 0n
    ? c.dim("nothing traded today")
    : `${c.dim("today")} ${day.volume} units traded, most at ${ether(day.leadingPrice)} ETH (${day.leadingVolume} units)`;
  const rule = c.dim(`A day that trades ${REFERENCE_MIN_VOLUME} units or more makes its most-traded price the next day's reference.`);
  return `${state}, ${width}\n${reference}   ${today}\n${rule}`;
}

export function withdrawalText(result: Withdrawal): string {
  const c = palette();
  const paid = result.ok ? `\n${c.ok("✔")} ${ether(result.amount)} ETH paid to ${c.name(result.account)}: it holds ${ether(result.balance)} ETH` : "";
  return `${outcomeText(result)}${paid}`;
}

export function sweepText(result: Sweep): string {
  const c = palette();
  const what = `${result.removed} ${result.removed === 1 ? "order" : "orders"} removed from the ${result.side}s at ${ether(result.price)} ETH`;
  return `${outcomeText(result)}\n${c.dim(what)}`;
}

export function feedLine(event: FeedEvent): string {
  const c = palette();
  const head = c.dim(`${formatTime(event.time).slice(11)} #${event.block}`);
  switch (event.kind) {
    case "order": {
      const o = event.order;
      const side = o.side === "bid" ? c.ok("bid ") : c.fail("ask ");
      const filled = o.filled === 0n ? "" : c.dim(` (${o.filled === o.quantity ? "all" : o.filled} filled at once)`);
      const expiry = o.expiry === undefined ? "" : c.dim(` until ${formatTime(o.expiry)}`);
      return `${head} ${side} #${o.id} ${o.quantity} at ${ether(o.price)} ETH ${c.dim("by")} ${accountLabel(o.owner, { short: true })}${filled}${expiry}`;
    }
    case "cancel":
      return `${head} ${c.dim(event.reason === "expired" ? "expired" : "cancel")} #${event.id} ${c.dim("of")} ${accountLabel(event.owner, { short: true })}`;
    case "trade": {
      const t = event.trade;
      return `${head} ${c.heading("TRADE")} ${t.quantity} at ${ether(t.price)} ETH ${accountLabel(t.seller, { short: true })} → ${accountLabel(t.buyer, { short: true })}`;
    }
    case "market":
      return `${head} ${c.warn(printable(event.message))}`;
  }
}

// ---------------------------------------------------------------- JSON

function tradeJson(t: TradeView): Json {
  return {
    time: new Date(t.time * 1000).toISOString(),
    block: t.block,
    txHash: t.txHash,
    buyer: t.buyer,
    seller: t.seller,
    price: ether(t.price),
    priceWei: t.price.toString(),
    quantity: t.quantity.toString(),
    ...(t.bidId === undefined ? {} : { bidId: t.bidId.toString() }),
    ...(t.askId === undefined ? {} : { askId: t.askId.toString() }),
  };
}

function orderJson(o: Order): Json {
  return {
    id: o.id.toString(),
    side: o.side,
    address: o.owner,
    price: ether(o.price),
    priceWei: o.price.toString(),
    quantity: o.quantity.toString(),
    filled: o.filled.toString(),
    remaining: o.remaining.toString(),
    expiry: o.expiry === undefined ? null : new Date(o.expiry * 1000).toISOString(),
    status: o.status,
  };
}

function levelJson(l: Level): Json {
  return { price: ether(l.price), priceWei: l.price.toString(), quantity: l.quantity.toString(), orders: l.orders };
}

export function placementJson(result: Placement): Json {
  return {
    ...outcomeJson(result),
    side: result.side,
    orderId: result.orderId === undefined ? null : result.orderId.toString(),
    price: ether(result.price),
    priceWei: result.price.toString(),
    quantity: result.quantity.toString(),
    resting: result.resting.toString(),
    fills: result.fills.map(tradeJson),
  };
}

export function bookJson(book: BookView): Json {
  return {
    halted: book.halted,
    bandBps: book.bandBps,
    band: book.band ? { low: ether(book.band.low), high: ether(book.band.high) } : null,
    referencePrice: book.referencePrice === undefined ? null : ether(book.referencePrice),
    lastPrice: book.lastPrice === undefined ? null : ether(book.lastPrice),
    bids: book.bids.map(levelJson),
    asks: book.asks.map(levelJson),
  };
}

export function ordersJson(list: OrderList): Json {
  const credit = list.withdrawable === undefined ? {} : { withdrawable: ether(list.withdrawable), withdrawableWei: list.withdrawable.toString() };
  return { ...(list.owner ? { address: list.owner } : {}), ...credit, ...pageJson(list.page), orders: list.orders.map(orderJson) };
}

export function tradesJson(list: TradeList): Json {
  return { ...pageJson(list.page), trades: list.trades.map(tradeJson) };
}

/** The chart's series: one point per trade, oldest first. */
export function chartJson(result: ChartResult): Json {
  return { points: result.trades.map((t) => ({ time: new Date(t.time * 1000).toISOString(), block: t.block, price: ether(t.price), priceWei: t.price.toString(), quantity: t.quantity.toString() })) };
}

export function tradingStatusJson(result: TradingStatus): Json {
  return { ...outcomeJson(result), ...bandJson(result) };
}

export function bandJson(view: BandView): Json {
  const { band, day } = view;
  return {
    halted: view.halted,
    bandBps: band.bps,
    band: band.active ? { low: ether(band.low), high: ether(band.high) } : null,
    referencePrice: band.referencePrice ? ether(band.referencePrice) : null,
    today: { day: day.day, volume: day.volume.toString(), leadingPrice: day.leadingPrice ? ether(day.leadingPrice) : null, leadingVolume: day.leadingVolume.toString() },
  };
}

export function withdrawalJson(result: Withdrawal): Json {
  return { ...outcomeJson(result), address: result.account, amount: ether(result.amount), amountWei: result.amount.toString(), balanceWei: result.balance.toString() };
}

export function sweepJson(result: Sweep): Json {
  return { ...outcomeJson(result), side: result.side, price: ether(result.price), removed: result.removed };
}

/** One JSON line per event of `carbon watch --json`. */
export function feedJson(event: FeedEvent): Json {
  const base = { kind: event.kind, block: event.block, time: new Date(event.time * 1000).toISOString() };
  switch (event.kind) {
    case "order": {
      const o = event.order;
      return { ...base, id: o.id.toString(), side: o.side, address: o.owner, price: ether(o.price), priceWei: o.price.toString(), quantity: o.quantity.toString(), filled: o.filled.toString() };
    }
    case "cancel":
      return { ...base, id: event.id.toString(), address: event.owner, reason: event.reason };
    case "trade":
      return { ...base, ...tradeJson(event.trade) };
    case "market":
      return { ...base, message: event.message };
  }
}
