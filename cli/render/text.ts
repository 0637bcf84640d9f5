// Text renderers: one per kind of result, each returning what goes to stdout. The interactive session
// prints the same text, so a result looks the same in a menu and on the command line. This file is
// the table of renderer names dispatch.ts looks up: the order book's, the compliance cycle's and the
// outcome's own renderers live in modules of their own, which never import this one back.
import type { ActivityRecord } from "../chain/activity-history";
import type { Lot } from "../chain/market-lists";
import type { TransactionView } from "../chain/transaction-view";
import type { AccountRow } from "../commands/accounts";
import type { Balance } from "../commands/balance";
import type { Funded } from "../commands/fund";
import type { LoginResult } from "../commands/login";
import type { Supervision } from "../commands/market";
import type { Records } from "../commands/records";
import type { RegisteredAccounts } from "../commands/registered";
import type { RegulatorView } from "../commands/regulator-show";
import { palette, type Palette } from "./colours";
import { formatEther, formatTime, OPERATION_LABELS, roleLabel, shortTime } from "./format";
import { displayId, printable } from "./sanitize";
import { table, type TextOptions } from "./table";
import { accountLabel } from "./account-label";

export { outcomeText as outcome } from "./outcome";
export { bulkText as bulk } from "./bulk";
export { auctionText as auction, auctionBidsText as auctionBids } from "./auction";
export { firmText as firm, abatedText as abated, roundOpenedText as lessonRound, roundClosedText as lessonClose, reportedText as lessonReport, resultsText as lessonResults, playedText as lessonPlay } from "./lesson";

export function accounts(rows: AccountRow[], options: TextOptions = {}): string {
  const c = palette();
  return table(
    [{ header: "#", align: "right" }, { header: "address", address: true }, { header: "role" }, { header: "carbon", align: "right" }, { header: "ether", align: "right" }],
    rows.map((row) => [String(row.index), c.name(row.address), roleLabel(row.roles), carbonCell(row), formatEther(row.ether)]),
    { ...options, heading: c.heading },
  );
}

/** The market's list of accounts: no "#" column, for a position in a registry is no account argument. */
export function registered(rows: RegisteredAccounts, options: TextOptions = {}): string {
  const c = palette();
  if (rows.length === 0 && rows.page.offset === 0) return c.dim(`No ${rows.what} yet.`);
  return table(
    [{ header: "account", address: true }, { header: "role" }, { header: "carbon", align: "right" }, { header: "ether", align: "right" }],
    rows.map((row) => [c.name(row.address), roleLabel(row.roles), carbonCell(row), formatEther(row.ether)]),
    { ...options, heading: c.heading },
  );
}

/** A customer's balance, a seller's, or both as customer/seller. */
function carbonCell(row: { roles: { customer: boolean; seller: boolean }; customerCarbon: bigint; sellerCarbon: bigint }): string {
  if (row.roles.customer && row.roles.seller) return `${row.customerCarbon}/${row.sellerCarbon}`;
  if (row.roles.customer) return row.customerCarbon.toString();
  if (row.roles.seller) return row.sellerCarbon.toString();
  return "-";
}

export function login(result: LoginResult): string {
  const c = palette();
  const regulatorNote = result.regulator ? `\n${c.dim("The regulator has no password on chain: opening its key is its login.")}` : "";
  if (result.ok) return c.ok(`✔ Logged in: ${accountLabel(result.account)} is ${[...(result.regulator ? ["the regulator"] : []), ...result.roles.map((r) => `a ${r}`)].join(" and ")}`) + regulatorNote;
  const why = !result.keyOpened
    ? `Wrong password: it does not open the key of ${result.account}`
    : result.registered.customer || result.registered.seller
      ? `Wrong password for ${result.account}`
      : `${result.account} is not registered as a customer or a seller`;
  return c.fail(`✘ ${why}`) + regulatorNote;
}

export function balance(result: Balance): string {
  const c = palette();
  return `${c.name(accountLabel(result.account))}\n${c.dim("as customer")}  ${result.customer}\n${c.dim("as seller")}    ${result.seller}`;
}

export function lots(list: Lot[], options: TextOptions = {}): string {
  const c = palette();
  if (list.length === 0) return c.dim("No lots.");
  return table(
    [{ header: "carbon ID" }, { header: "price", align: "right" }, { header: "seller", address: true }, { header: "buyer", address: true }],
    list.map((lot) => [c.name(displayId(lot.carbonId)), lot.price.toString(), lot.seller, lot.buyer ?? c.ok("for sale")]),
    { ...options, heading: c.heading },
  );
}

export function lot(result: Lot): string {
  const c = palette();
  return [
    `${c.dim("carbon ID")}  ${c.name(displayId(result.carbonId))}`,
    `${c.dim("price")}      ${result.price} quota`,
    `${c.dim("seller")}     ${accountLabel(result.seller)}`,
    `${c.dim("buyer")}      ${result.buyer ? accountLabel(result.buyer) : c.ok("none: for sale")}`,
  ].join("\n");
}

export function records(result: Records, options: TextOptions = {}): string {
  const c = palette();
  if (result.records.length === 0) return c.dim(`No records for ${result.account}.`);
  return `${c.heading("History of")} ${c.name(accountLabel(result.account))}\n` + historyTable(result.records, c, options);
}

function historyTable(list: ActivityRecord[], c: Palette, options: TextOptions): string {
  return table(
    [
      { header: "time", shrink: shortTime },
      { header: "block", align: "right" },
      { header: "operation" },
      { header: "counterparty", address: true },
      { header: "amount", align: "right" },
      { header: "message", wrap: true },
    ],
    list.map((record) => [
      formatTime(record.time),
      String(record.block),
      OPERATION_LABELS[record.operation] ?? record.operation,
      record.counterparty ?? "-",
      recordAmount(record),
      recordSubject(record) + (record.ok ? c.ok(printable(record.message)) : c.fail(printable(record.message))),
    ]),
    { ...options, heading: c.heading },
  );
}

/** Units of quota, but a withdrawal's wei as ether. */
function recordAmount(record: ActivityRecord): string {
  if (record.amount === 0n) return "-";
  return record.operation === "Withdraw" ? `${formatEther(record.amount)} ETH` : record.amount.toString();
}

/** What a record is about, before its message: a lot's ID, an order's number ("#7"), a swept price, a new name. */
function recordSubject(record: ActivityRecord): string {
  const subject = record.orderId !== undefined ? `#${record.orderId}` : record.price !== undefined ? `at ${formatEther(record.price)} ETH` : record.newName !== undefined ? `to ${displayId(record.newName)}` : record.carbonId ? displayId(record.carbonId) : "";
  return subject && record.message ? `${subject}: ` : subject;
}

export function market(result: Supervision, options: TextOptions = {}): string {
  const c = palette();
  const { totals } = result;
  const lines = [
    `${c.dim("regulator")}    ${c.name(result.regulator)}`,
    `${c.dim("issued")}       ${totals.issued}`,
    `${c.dim("settled")}      ${totals.settled}`,
    `${c.dim("surrendered")}  ${result.surrendered}`,
    `${c.dim("circulating")}  ${result.circulating}`,
    `${c.dim("customers")}    ${totals.customers}   ${c.dim("sellers")} ${totals.sellers}   ${c.dim("lots")} ${totals.lots}   ${c.dim("frozen")} ${totals.frozen}`,
  ];
  if (result.frozen.length) lines.push("", c.heading("Frozen accounts"), ...result.frozen.map((a) => c.name(a)));
  lines.push("", c.heading("Latest lot purchases"));
  if (result.trades.length === 0) lines.push(c.dim("None yet."));
  else {
    lines.push(
      table(
        [{ header: "time", shrink: shortTime }, { header: "block", align: "right" }, { header: "carbon ID" }, { header: "price", align: "right" }, { header: "buyer", address: true }, { header: "seller", address: true }],
        result.trades.map((t) => [formatTime(t.time), String(t.block), c.name(displayId(t.carbonId ?? "")), t.amount.toString(), t.account, t.counterparty ?? "-"]),
        { ...options, heading: c.heading },
      ),
    );
  }
  lines.push("", c.heading("Latest trades on the book"), orderBook().tradesText({ trades: result.bookTrades }, options));
  return lines.join("\n");
}

export function transaction(view: TransactionView): string {
  const c = palette();
  const { exactEther } = require("../chain/transaction-view") as typeof import("../chain/transaction-view");
  const label = (name: string) => c.dim(name.padEnd(10));
  const status =
    view.status === "pending" ? c.warn("⧗ pending: sent, not yet mined") : view.status === "reverted" ? c.fail("✘ reverted") : view.ok ? c.ok("✔ success") : c.fail(`✘ mined, outcome isSuccess=false`);
  const lines = [`${label("tx")}${view.txHash}`, `${label("status")}${status}`];
  if (view.block !== undefined) lines.push(`${label("block")}${view.block}${view.time === undefined ? "" : `  ${c.dim(formatTime(view.time))}`}`);
  lines.push(`${label("from")}${c.name(view.from)}`, `${label("to")}${view.to ? c.name(view.to) : c.dim("(contract creation)")}`);
  if (view.method) {
    const args = Object.entries(view.arguments ?? {}).map(([name, value]) => `${name.replace(/^_/, "")}=${/carbonID/i.test(name) ? displayId(value) : printable(value)}`);
    lines.push(`${label("method")}${view.method}(${args.join(", ")})`);
  }
  if (view.gasUsed !== undefined) lines.push(`${label("gas used")}${view.gasUsed}  ${c.dim("at")} ${view.gasPrice} wei`);
  if (view.cost !== undefined) lines.push(`${label("cost")}${exactEther(view.cost)} ETH`);
  if (view.events.length) {
    lines.push("", c.heading("Events"));
    for (const event of view.events) lines.push(`${c.name(event.name)}  ${eventFields(event.args)}`);
  }
  if (view.status === "success" && !view.ok) lines.push("", c.dim("A ✘ outcome is still a mined transaction: it is in the block and its gas was paid; the market's state did not change."));
  return lines.join("\n");
}

function eventFields(args: Record<string, string | boolean>): string {
  return Object.entries(args)
    .map(([name, value]) => `${name}=${typeof value === "boolean" ? value : /carbonId/i.test(name) ? displayId(value) : name === "message" ? `"${printable(value)}"` : printable(value)}`)
    .join("  ");
}

// The order book (render/order-book.ts), loaded only when one of its commands prints: every other command starts without it.
type Book = typeof import("./order-book");
const orderBook = (): Book => require("./order-book") as Book;
export const placement: Book["placementText"] = (...args) => orderBook().placementText(...args);
export const book: Book["bookText"] = (...args) => orderBook().bookText(...args);
export const orders: Book["ordersText"] = (...args) => orderBook().ordersText(...args);
export const trades: Book["tradesText"] = (...args) => orderBook().tradesText(...args);
export const chart: Book["chartText"] = (...args) => orderBook().chartText(...args);
export const tradingStatus: Book["tradingStatusText"] = (...args) => orderBook().tradingStatusText(...args);
export const band: Book["bandText"] = (...args) => orderBook().bandText(...args);
export const withdrawal: Book["withdrawalText"] = (...args) => orderBook().withdrawalText(...args);
export const sweep: Book["sweepText"] = (...args) => orderBook().sweepText(...args);
export { periodText as period, complianceText as compliance, enforcementText as enforcement, clockText as clock, obligationText as obligation, verifiersText as verifiers } from "./compliance";

export function regulator(result: RegulatorView): string {
  const c = palette();
  const pending = result.pending ? `${c.dim("proposed")}    ${c.name(result.pending)}  ${c.dim("(it accepts with `carbon regulator accept`)")}` : `${c.dim("proposed")}    ${c.dim("none")}`;
  return `${c.dim("regulator")}   ${c.name(result.regulator)}\n${pending}`;
}

export function funded(result: Funded): string {
  const c = palette();
  const source = result.source === "faucet" ? "the class chain's faucet" : c.name(result.source);
  return `${c.ok("✔")} Sent ${formatEther(result.wei)} ETH to ${c.name(result.account)} from ${source}: it holds ${formatEther(result.balance)} ETH\n${c.dim("tx")} ${result.txHash}`;
}
