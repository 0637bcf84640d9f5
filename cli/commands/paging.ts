// The paging flags the listing commands share (`--limit`, `--offset`, `--before`), and the page a
// listing returns beside its rows, so the renderers can say "showing 1–50 of 10,000".
import { MAX_PAGE } from "../chain/market-lists";
import { UsageError } from "../support/errors";
import { optionalString, type Flags } from "./command";

export interface Paging {
  offset: number;
  limit: number;
}

/** Where a listing's rows sit in the whole list: what the "showing X–Y of N" line says. */
export interface PageInfo {
  offset: number;
  /** Rows shown. */
  count: number;
  /** Rows in the whole list; undefined for history, whose length is not known without reading it all. */
  total?: number;
  /** What to type for the next page, e.g. "--offset 50" or "--before 1234:0". */
  next?: string;
}

export function parsePaging(flags: Flags, defaultLimit: number): Paging {
  return { offset: whole(flags, "offset", 0, 0), limit: whole(flags, "limit", defaultLimit, 1) };
}

function whole(flags: Flags, name: string, fallback: number, min: number): number {
  const text = optionalString(flags, name);
  if (text === undefined) return fallback;
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) throw new UsageError(`--${name} "${text}" is not a whole number from ${min}`);
  if (name === "limit" && value > MAX_PAGE) throw new UsageError(`--limit ${value} is more than ${MAX_PAGE} rows; page with --offset instead`);
  return value;
}

/** The page of a counted list. */
export function pageInfo(paging: Paging, count: number, total: number): PageInfo {
  const end = paging.offset + count;
  return { offset: paging.offset, count, total, ...(end < total ? { next: `--offset ${end}` } : {}) };
}

/** "showing 1–50 of 10000 (next: --offset 50)", or undefined when the whole list is shown. */
export function pageLine(page: PageInfo | undefined): string | undefined {
  if (!page) return undefined;
  const complete = page.offset === 0 && !page.next;
  if (complete) return undefined;
  const range = page.count === 0 ? "nothing" : `${page.offset + 1}–${page.offset + page.count}`;
  const of = page.total === undefined ? "" : ` of ${page.total}`;
  return `showing ${range}${of}${page.next ? ` (next: ${page.next})` : ""}`;
}
