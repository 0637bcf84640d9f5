// `carbon registered [customers|sellers|verifiers|frozen]`: the market's own lists of accounts, read
// from its registries a page at a time (chain/account-sources.ts), with each account's name, role,
// carbon and ether. `carbon accounts` lists the keys a node holds; on a class chain the students'
// keys are their own, so this is where anybody finds who is in the market.
import { customerSource, frozenSource, registeredSource, sellerSource, verifierSource, type AccountSource } from "../chain/account-sources";
import type { Market } from "../chain/market";
import { accountHoldings, type AccountRow } from "./accounts";
import { UsageError } from "../support/errors";
import type { Flags } from "./command";
import { parsePaging, type PageInfo, type Paging } from "./paging";

export const DEFAULT_REGISTERED = 100;

const LISTS = { all: registeredSource, customers: customerSource, sellers: sellerSource, verifiers: verifierSource, frozen: frozenSource } as const;
export type RegisteredList = keyof typeof LISTS;

export interface RegisteredOptions extends Paging {
  list: RegisteredList;
}

export type RegisteredRow = Omit<AccountRow, "index">;

export type RegisteredAccounts = RegisteredRow[] & { page: PageInfo; what: string };

export function parse([list = "all"]: string[] = [], flags: Flags = {}): RegisteredOptions {
  if (!(list in LISTS)) throw new UsageError(`"${list}" is not a list of the market's: say customers, sellers, verifiers or frozen (or nothing, for every registered account)`);
  return { list: list as RegisteredList, ...parsePaging(flags, DEFAULT_REGISTERED) };
}

export async function run(market: Market, options: RegisteredOptions): Promise<RegisteredAccounts> {
  const source: AccountSource = LISTS[options.list](market);
  const page = await source.page(options.offset, options.limit);
  const rows = await Promise.all(page.accounts.map((address) => accountHoldings(market, address)));
  // The registered list skips a seller already listed as a customer, so a page may hold fewer rows
  // than it covers: the next page starts where the source says, not after the rows shown.
  const shown: PageInfo = { offset: options.offset, count: rows.length, total: page.total, ...(page.next === undefined ? {} : { next: `--offset ${page.next}` }) };
  return Object.assign(rows, { what: source.what, page: shown });
}
