// JSON renderers: exactly one object per command, on one line, always with `ok`. Each renderer gives
// a result's fields and `envelope` adds `ok` (and, for a refusal, `error` and `exitCode`); `error`
// is the object of every failed command. The same thing has the same name everywhere: `address`,
// `carbonId`, `price`, `seller`, `buyer`, `amount`, `txHash`, `block`, `gasUsed`, `time`. Quantities
// (uint256) are decimal strings, since a JSON number cannot hold 2^256-1; block numbers and gas are
// numbers; times ISO 8601. Like text.ts, this file names every renderer for dispatch.ts; the subject
// modules it names (order-book.ts, compliance.ts, outcome.ts) never import it back.
import type { ActivityRecord } from "../chain/activity-history";
import type { Lot } from "../chain/market-lists";
import type { TransactionView } from "../chain/transaction-view";
import type { AccountRow } from "../commands/accounts";
import type { Balance } from "../commands/balance";
import type { Funded } from "../commands/fund";
import type { LoginResult } from "../commands/login";
import type { Supervision } from "../commands/market";
import type { PageInfo } from "../commands/paging";
import type { Records } from "../commands/records";
import type { RegisteredAccounts } from "../commands/registered";
import type { RegulatorView } from "../commands/regulator-show";
import { EXIT } from "../support/errors";
import { pageJson } from "./page-json";

type Json = Record<string, unknown>;

/**
 * The one object a command prints: `{ ok: true, ...fields }`, or for a refusal by the contract (an
 * isSuccess=false outcome, a failed login) `{ ok: false, error: <its message>, exitCode: 1, ...fields }`.
 */
export function envelope(fields: Json, refused = false): Json {
  if (!refused) return { ok: true, ...fields };
  const message = typeof fields.message === "string" ? fields.message : typeof fields.error === "string" ? fields.error : "refused";
  return { ok: false, error: message, exitCode: EXIT.refused, ...fields };
}

/** The one object a failed command prints with --json (and nothing on stderr). */
export function error(message: string, exitCode: number, fields: Json = {}): Json {
  return { ok: false, error: message, exitCode, ...fields };
}

export { outcomeJson as outcome } from "./outcome";
export { bulkJson as bulk } from "./bulk";
export { auctionJson as auction, auctionBidsJson as auctionBids } from "./auction";
export { firmJson as firm, abatedJson as abated, roundOpenedJson as lessonRound, roundClosedJson as lessonClose, reportedJson as lessonReport, resultsJson as lessonResults, playedJson as lessonPlay } from "./lesson";

export function accounts(rows: AccountRow[] & { page?: PageInfo }): Json {
  return {
    ...pageJson(rows.page),
    accounts: rows.map((row) => ({
      index: row.index,
      address: row.address,
      ...row.roles,
      customerCarbon: row.customerCarbon.toString(),
      sellerCarbon: row.sellerCarbon.toString(),
      wei: row.ether.toString(),
    })),
  };
}

export function registered(rows: RegisteredAccounts): Json {
  return {
    list: rows.what,
    total: rows.page.total,
    ...pageJson(rows.page),
    accounts: rows.map((row) => ({
      address: row.address,
      ...row.roles,
      customerCarbon: row.customerCarbon.toString(),
      sellerCarbon: row.sellerCarbon.toString(),
      wei: row.ether.toString(),
    })),
  };
}

export function login(result: LoginResult): Json {
  const fields: Json = { address: result.account, roles: result.roles, registered: result.registered, regulator: result.regulator, key: result.key, ...(result.wallet ? { wallet: result.wallet } : {}) };
  if (!result.ok) {
    fields.message = !result.keyOpened
      ? `the password does not open the key of ${result.account}`
      : result.registered.customer || result.registered.seller
        ? `wrong password for ${result.account}`
        : `${result.account} is not registered as a customer or a seller`;
  }
  return fields;
}

export function balance(result: Balance): Json {
  return { address: result.account, customerCarbon: result.customer.toString(), sellerCarbon: result.seller.toString() };
}

function lotJson(value: Lot): Json {
  return { carbonId: value.carbonId, price: value.price.toString(), seller: value.seller, buyer: value.buyer ?? null };
}

export function lots(list: Lot[] & { page?: PageInfo }): Json {
  return { ...pageJson(list.page), lots: list.map(lotJson) };
}

export function lot(value: Lot): Json {
  return lotJson(value);
}

function recordJson(record: ActivityRecord): Json {
  return {
    time: new Date(record.time * 1000).toISOString(),
    block: record.block,
    txHash: record.txHash,
    operation: record.operation,
    address: record.account,
    counterparty: record.counterparty ?? null,
    carbonId: record.carbonId ?? null,
    ...(record.orderId === undefined ? {} : { orderId: record.orderId.toString() }),
    ...(record.price === undefined ? {} : { priceWei: record.price.toString() }),
    ...(record.newName === undefined ? {} : { newName: record.newName }),
    amount: record.amount.toString(),
    isSuccess: record.ok,
    message: record.message,
  };
}

export function records(result: Records): Json {
  return { address: result.account, ...pageJson(result.page), records: result.records.map(recordJson) };
}

export function market(result: Supervision): Json {
  const { totals } = result;
  return {
    regulator: result.regulator,
    issued: totals.issued.toString(),
    settled: totals.settled.toString(),
    surrendered: result.surrendered.toString(),
    circulating: result.circulating.toString(),
    customers: totals.customers,
    sellers: totals.sellers,
    lots: totals.lots,
    frozenCount: totals.frozen,
    frozen: result.frozen,
    trades: result.trades.map(recordJson),
    bookTrades: orderBook().tradesJson({ trades: result.bookTrades }).trades,
    ...(result.next ? { next: result.next } : {}),
  };
}

export function transaction(view: TransactionView): Json {
  return {
    txHash: view.txHash,
    status: view.status,
    message: view.message,
    block: view.block ?? null,
    time: view.time === undefined ? null : new Date(view.time * 1000).toISOString(),
    from: view.from,
    to: view.to,
    method: view.method ?? null,
    arguments: view.arguments ?? null,
    gasUsed: view.gasUsed ?? null,
    gasPrice: view.gasPrice.toString(),
    cost: view.cost === undefined ? null : view.cost.toString(),
    events: view.events.map((event) => ({ name: event.name, address: event.address, args: event.args })),
  };
}

// The order book (render/order-book.ts), loaded only when one of its commands prints: every other command starts without it.
type Book = typeof import("./order-book");
const orderBook = (): Book => require("./order-book") as Book;
export const placement: Book["placementJson"] = (...args) => orderBook().placementJson(...args);
export const book: Book["bookJson"] = (...args) => orderBook().bookJson(...args);
export const orders: Book["ordersJson"] = (...args) => orderBook().ordersJson(...args);
export const trades: Book["tradesJson"] = (...args) => orderBook().tradesJson(...args);
export const chart: Book["chartJson"] = (...args) => orderBook().chartJson(...args);
export const tradingStatus: Book["tradingStatusJson"] = (...args) => orderBook().tradingStatusJson(...args);
export const band: Book["bandJson"] = (...args) => orderBook().bandJson(...args);
export const withdrawal: Book["withdrawalJson"] = (...args) => orderBook().withdrawalJson(...args);
export const sweep: Book["sweepJson"] = (...args) => orderBook().sweepJson(...args);
export { periodJson as period, complianceJson as compliance, enforcementJson as enforcement, clockJson as clock, obligationJson as obligation, verifiersJson as verifiers } from "./compliance";

export function regulator(result: RegulatorView): Json {
  return { regulator: result.regulator, pending: result.pending ?? null };
}

export function funded(result: Funded): Json {
  return { account: result.account, wei: result.wei.toString(), source: result.source, balanceWei: result.balance.toString(), txHash: result.txHash };
}
