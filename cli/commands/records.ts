// `carbon records <account> [--limit N] [--offset N] [--before cursor]`: the account's latest history
// from the chain's Activity events, shown oldest first like a statement. Only the blocks since the
// market's deployment are read, newest first, in bounded ranges, until the page is full.
import type { ActivityRecord } from "../chain/activity-history";
import type { Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";
import { parsePaging, type PageInfo, type Paging } from "./paging";

export const DEFAULT_RECORDS = 50;

export interface RecordsOptions extends Partial<Paging> {
  account: AccountRef;
  /** A cursor from a previous page's `next`: only records older than it. */
  before?: string;
}

export interface Records {
  account: string;
  /** Oldest first. */
  records: ActivityRecord[];
  page?: PageInfo;
  /** The cursor of the older records, for --before; absent when there are none. */
  next?: string;
}

export function parse([account]: string[], flags: Flags = {}): RecordsOptions {
  const before = optionalString(flags, "before");
  return { account: parseAccount(account), ...parsePaging(flags, DEFAULT_RECORDS), ...(before === undefined ? {} : { before }) };
}

export async function run(market: Market, options: RecordsOptions): Promise<Records> {
  const account = await market.resolve(options.account);
  const offset = options.offset ?? 0;
  const limit = options.limit ?? DEFAULT_RECORDS;
  const { records, next } = await market.activityPage(account, { limit: offset + limit, before: options.before });
  const shown = records.slice(offset);
  return {
    account,
    records: shown.reverse(),
    page: { offset, count: shown.length, ...(next ? { next: `--before ${next}` } : {}) },
    ...(next ? { next } : {}),
  };
}
