// `carbon accounts [--limit N] [--offset N]`: the accounts the CLI can send from, with role, carbon
// balances and ether.
import type { Market, Roles } from "../chain/market";
import { UsageError } from "../support/errors";
import type { Flags } from "./command";
import { pageInfo, parsePaging, type PageInfo, type Paging } from "./paging";

export const DEFAULT_ACCOUNTS = 100;

export type AccountsOptions = Partial<Paging>;

export interface AccountRow {
  index: number;
  address: string;
  roles: Roles;
  customerCarbon: bigint;
  sellerCarbon: bigint;
  /** Wei. */
  ether: bigint;
}

export type AccountList = AccountRow[] & { page: PageInfo };

export function parse(_args: string[] = [], flags: Flags = {}): AccountsOptions {
  return parsePaging(flags, DEFAULT_ACCOUNTS);
}

export async function run(market: Market, options: AccountsOptions = {}): Promise<AccountList> {
  const paging = { offset: options.offset ?? 0, limit: options.limit ?? DEFAULT_ACCOUNTS };
  const all = await market.accounts();
  // An empty table would say "no accounts" when the truth is "no keys here": say how to bring them.
  if (all.length === 0) throw new UsageError(`no accounts to show: the node at ${market.label} holds none and CARBON_MNEMONIC is not set; set CARBON_MNEMONIC to the mnemonic of your keys (the keys of your wallets are in \`carbon wallet list\`, the market's accounts in \`carbon registered\`)`);
  const rows = await Promise.all(all.slice(paging.offset, paging.offset + paging.limit).map(async (address, i) => ({ index: paging.offset + i, ...(await accountHoldings(market, address)) })));
  return Object.assign(rows, { page: pageInfo(paging, rows.length, all.length) });
}

/** What a listing shows of one account: its roles, its carbon as customer and as seller, its ether. */
export async function accountHoldings(market: Market, address: string): Promise<Omit<AccountRow, "index">> {
  const [roles, customerCarbon, sellerCarbon, ether] = await Promise.all([
    market.roles(address),
    market.customerCarbonAmount(address),
    market.sellerCarbonAmount(address),
    market.etherBalance(address),
  ]);
  return { address, roles, customerCarbon, sellerCarbon, ether };
}
