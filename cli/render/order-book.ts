// The order book's renderers, as text (tables, the depth ladder, CSV, the live feed's lines) and as
// JSON (prices in ether and in wei as decimal strings, quantities as decimal strings, the field names
// of render/json.ts). text.ts and json.ts re-export them under the renderer names of dispatch.ts.
import type { Outcome } from "../chain/market";
import type { PageInfo } from "../commands/paging";
import { formatBasisPoints, formatDuration, formatEther } from "../order-input";
import { palette } from "./colours";
import { formatTime, shortAddress } from "./format";
import { printable } from "./sanitize";
import { table, type Column } from "./table";
import { outcome as outcomeText, type TextOptions } from "./text";

export type Side = "bid" | "ask";

export interface OrderView {
  id: bigint;
  side: Side;
  owner: string;
  /** Wei per unit. */
  price: bigint;
  /** As placed. */
  quantity: bigint;
  /** Still open: quantity less what was filled (0 once filled or closed). */
  remaining: bigint;
  /** Unix seconds after which the order no longer trades. */
  expires: number;
  status: "open" | "filled" | "cancelled" | "expired";
}

/** One price level of one side: the quantity resting there and in how many orders. */
export interface Level {
  price: bigint;
  quantity: bigint;
  orders: number;
}

export interface BookView {
  /** Best (highest) first. */
  bids: Level[];
  /** Best (lowest) first. */
  asks: Level[];
  halted: boolean;
  /** The daily band in basis points either side of the reference price; 0 when there is none. */
  bandBps: number;
  /** The price the band is taken around (the previous day's close), when there is one. */
  referencePrice?: bigint;
}

export interface TradeView {
  /** Unix seconds of the block. */
  time: number;
  block: number;
  txHash: string;
  logIndex: number;
  buyer: string;
  seller: string;
  price: bigint;
  quantity: bigint;
  bidId?: bigint;
  askId?: bigint;
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
  orders: OrderView[];
  page?: PageInfo;
  /** Only this account's orders (--mine). */
  owner?: string;
}

export interface TradeList {
  /** Newest first. */
  trades: TradeView[];
  page?: PageInfo;
  /** Printed as CSV instead of a table. */
  csv?: boolean;
}

export interface TradingStatus extends Outcome {
  halted: boolean;
  bandBps: number;
}

type Json = Record<string, unknown>;

const ether = (wei: bigint) => formatEther(wei);

// ---------------------------------------------------------------- text

export function placementText(result: Placement): string {
  const c = palette();
  const lines = [outcomeText(result)];
  if (!result.ok) return lines[0];
  for (const fill of result.fills) lines.push(`${c.ok("filled")} ${fill.quantity} at ${ether(fill.price)} ETH ${c.dim("with")} ${c.name(result.side === "bid" ? fill.seller : fill.buyer)}`);
  const id = result.orderId === undefined ? "" : ` #${result.orderId}`;
  if (result.resting > 0n) lines.push(`${c.dim(`order${id}`)} ${result.resting} of ${result.quantity} rests on the book at ${ether(result.price)} ETH`);
  else if (result.fills.length) lines.push(c.dim(`order${id} filled completely`));
  return lines.join("\n");
}

/** The depth ladder: asks from the highest down to the best, the spread, then bids from the best down. */
export function bookText(book: BookView, options: TextOptions = {}): string {
  const c = palette();
  const status = [
    book.halted ? c.warn("⏸ trading is halted by the regulator") : c.ok("trading"),
    book.bandBps ? `${c.dim("band")} ±${formatBasisPoints(book.bandBps)}${book.referencePrice ? ` ${c.dim("around")} ${ether(book.referencePrice)} ETH` : ""}` : c.dim("no price band"),
  ].join("   ");
  if (book.bids.length === 0 && book.asks.length === 0) return `${status}\n${c.dim("The book is empty: no open bids or asks.")}`;
  const row = (side: string, level: Level, colour: (t: string) => string) => [colour(side), ether(level.price), level.quantity.toString(), String(level.orders)];
  const rows = [...[...book.asks].reverse().map((l) => row("ask", l, c.fail)), ...book.bids.map((l) => row("bid", l, c.ok))];
  const columns: Column[] = [{ header: "side" }, { header: "price (ETH)", align: "right" }, { header: "quantity", align: "right" }, { header: "orders", align: "right" }];
  const lines = table(columns, rows, { ...options, heading: c.heading }).split("\n");
  // The spread sits between the best ask (the last ask row) and the best bid.
  if (book.asks.length && book.bids.length) lines.splice(1 + book.asks.length, 0, c.dim(`  spread ${ether(book.asks[0].price - book.bids[0].price)}`));
  return `${status}\n${lines.join("\n")}`;
}

export function ordersText(list: OrderList, options: TextOptions = {}): string {
  const c = palette();
  if (list.orders.length === 0) return c.dim(list.owner ? `No open orders of ${list.owner}.` : "No open orders.");
  return table(
    [
      { header: "id", align: "right" },
      { header: "side" },
      { header: "price (ETH)", align: "right" },
      { header: "open", align: "right" },
      { header: "of", align: "right" },
      { header: "owner", address: true },
      { header: "expires", shrink: (t) => t.replace(/^\d{4}-(\d\d-\d\d \d\d:\d\d):\d\d$/, "$1") },
    ],
    list.orders.map((o) => [String(o.id), o.side === "bid" ? c.ok("bid") : c.fail("ask"), ether(o.price), o.remaining.toString(), o.quantity.toString(), o.owner, formatTime(o.expires)]),
    { ...options, heading: c.heading },
  );
}

export function tradesText(list: TradeList, options: TextOptions = {}): string {
  if (list.csv) return tradesCsv(list.trades);
  const c = palette();
  if (list.trades.length === 0) return c.dim("No trades yet.");
  return table(
    [
      { header: "time", shrink: (t) => t.replace(/^\d{4}-(\d\d-\d\d \d\d:\d\d):\d\d$/, "$1") },
      { header: "block", align: "right" },
      { header: "price (ETH)", align: "right" },
      { header: "quantity", align: "right" },
      { header: "buyer", address: true },
      { header: "seller", address: true },
    ],
    list.trades.map((t) => [formatTime(t.time), String(t.block), ether(t.price), t.quantity.toString(), t.buyer, t.seller]),
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

export function tradingStatusText(result: TradingStatus): string {
  const c = palette();
  if (!result.ok) return outcomeText(result);
  const state = result.halted ? c.warn("trading is halted") : c.ok("trading is open");
  const band = result.bandBps ? `band ±${formatBasisPoints(result.bandBps)}` : "no price band";
  return `${outcomeText(result)}\n${state}, ${band}`;
}

/** A line of `carbon watch`: one event of the book, as it arrives. */
export type FeedEvent =
  | { kind: "order"; block: number; time: number; order: Pick<OrderView, "id" | "side" | "owner" | "price" | "quantity"> & { expires?: number } }
  | { kind: "cancel"; block: number; time: number; id: bigint; owner: string; reason: "cancelled" | "expired" }
  | { kind: "trade"; block: number; time: number; trade: TradeView }
  | { kind: "market"; block: number; time: number; message: string; ok: boolean };

export function feedLine(event: FeedEvent): string {
  const c = palette();
  const head = c.dim(`${formatTime(event.time).slice(11)} #${event.block}`);
  switch (event.kind) {
    case "order": {
      const o = event.order;
      const side = o.side === "bid" ? c.ok("bid ") : c.fail("ask ");
      const expiry = o.expires ? c.dim(` for ${formatDuration(Math.max(1, o.expires - event.time))}`) : "";
      return `${head} ${side} #${o.id} ${o.quantity} at ${ether(o.price)} ETH ${c.dim("by")} ${shortAddress(o.owner)}${expiry}`;
    }
    case "cancel":
      return `${head} ${c.dim(event.reason === "expired" ? "expired" : "cancel")} #${event.id} ${c.dim("of")} ${shortAddress(event.owner)}`;
    case "trade": {
      const t = event.trade;
      return `${head} ${c.heading("TRADE")} ${t.quantity} at ${ether(t.price)} ETH ${shortAddress(t.seller)} → ${shortAddress(t.buyer)}`;
    }
    case "market":
      return `${head} ${event.ok ? c.warn(printable(event.message)) : c.fail(`✘ ${printable(event.message)}`)}`;
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

function orderJson(o: OrderView): Json {
  return {
    id: o.id.toString(),
    side: o.side,
    address: o.owner,
    price: ether(o.price),
    priceWei: o.price.toString(),
    quantity: o.quantity.toString(),
    remaining: o.remaining.toString(),
    expires: new Date(o.expires * 1000).toISOString(),
    status: o.status,
  };
}

function levelJson(l: Level): Json {
  return { price: ether(l.price), priceWei: l.price.toString(), quantity: l.quantity.toString(), orders: l.orders };
}

/** Where a page sits, as render/json.ts words it. */
function pageJson(page: PageInfo | undefined): Json {
  if (!page || (page.offset === 0 && !page.next)) return {};
  return { offset: page.offset, count: page.count, ...(page.total === undefined ? {} : { total: page.total }), ...(page.next ? { next: page.next.replace(/^--\S+ /, "") } : {}) };
}

function outcomeJson(result: Outcome): Json {
  return { message: result.message, event: result.event, txHash: result.txHash, block: result.block, gasUsed: result.gasUsed };
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
    referencePrice: book.referencePrice === undefined ? null : ether(book.referencePrice),
    bids: book.bids.map(levelJson),
    asks: book.asks.map(levelJson),
  };
}

export function ordersJson(list: OrderList): Json {
  return { ...(list.owner ? { address: list.owner } : {}), ...pageJson(list.page), orders: list.orders.map(orderJson) };
}

export function tradesJson(list: TradeList): Json {
  return { ...pageJson(list.page), trades: list.trades.map(tradeJson) };
}

export function tradingStatusJson(result: TradingStatus): Json {
  return { ...outcomeJson(result), halted: result.halted, bandBps: result.bandBps };
}

/** One JSON line per event of `carbon watch --json`. */
export function feedJson(event: FeedEvent): Json {
  const base = { kind: event.kind, block: event.block, time: new Date(event.time * 1000).toISOString() };
  switch (event.kind) {
    case "order": {
      const o = event.order;
      return { ...base, id: o.id.toString(), side: o.side, address: o.owner, price: ether(o.price), priceWei: o.price.toString(), quantity: o.quantity.toString() };
    }
    case "cancel":
      return { ...base, id: event.id.toString(), address: event.owner, reason: event.reason };
    case "trade":
      return { ...base, ...tradeJson(event.trade) };
    case "market":
      return { ...base, message: event.message, isSuccess: event.ok };
  }
}
