// JSON renderers: exactly one object per command, on one line. Quantities (uint256) are decimal
// strings, since a JSON number cannot hold 2^256-1; block numbers and gas are numbers; times ISO 8601.
import type { ActivityRecord, Lot, Outcome } from "../chain/market";
import type { AccountRow } from "../commands/accounts";
import type { Balance } from "../commands/balance";
import type { LoginResult } from "../commands/login";
import type { Supervision } from "../commands/market";
import type { PageInfo } from "../commands/paging";
import type { Records } from "../commands/records";

type Json = Record<string, unknown>;

export function outcome(result: Outcome): Json {
  return { ok: result.ok, message: result.message, txHash: result.txHash, block: result.block, gasUsed: result.gasUsed };
}

/** Where a page sits: offset, count, total, and the next page's cursor or offset. */
function pageJson(page: PageInfo | undefined): Json {
  // A whole list needs no page fields: they appear when there is more, or this is not the start.
  if (!page || (page.offset === 0 && !page.next)) return {};
  return { offset: page.offset, count: page.count, ...(page.total === undefined ? {} : { total: page.total }), ...(page.next ? { next: page.next.replace(/^--\S+ /, "") } : {}) };
}

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

export function login(result: LoginResult): Json {
  return { ...result };
}

export function balance(result: Balance): Json {
  return { account: result.account, customer: result.customer.toString(), seller: result.seller.toString() };
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
    account: record.account,
    counterparty: record.counterparty ?? null,
    carbonId: record.carbonId ?? null,
    amount: record.amount.toString(),
    ok: record.ok,
    message: record.message,
  };
}

export function records(result: Records): Json {
  return { account: result.account, ...pageJson(result.page), records: result.records.map(recordJson) };
}

export function market(result: Supervision): Json {
  const { totals } = result;
  return {
    regulator: result.regulator,
    issued: totals.issued.toString(),
    settled: totals.settled.toString(),
    circulating: result.circulating.toString(),
    customers: totals.customers,
    sellers: totals.sellers,
    lots: totals.lots,
    frozenCount: totals.frozen,
    frozen: result.frozen,
    trades: result.trades.map(recordJson),
    ...(result.next ? { next: result.next } : {}),
  };
}

/** The one object a failed command prints with --json (its message also goes to stderr). */
export function error(message: string, exitCode: number): Json {
  return { ok: false, error: message, exitCode };
}
