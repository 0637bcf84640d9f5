// The session's read-only tables a page at a time, as its pick-lists page (pick.ts pickLot): only the
// page's rows are read from the chain, the page's table stays in view above a short list (Next page ›,
// ‹ Previous page, Back) with where the page sits, and the list prompt redraws it in place. A list that
// fits one page is printed as before, with no question.
import * as accounts from "../commands/accounts";
import * as carbons from "../commands/carbons";
import * as records from "../commands/records";
import { RefusedError, UsageError } from "../support/errors";
import type { AccountRef } from "../input/values";
import { palette } from "../render/colours";
import * as text from "../render/text";
import { select, type Choice } from "./prompt";
import { say, type Session } from "./session";

export interface BrowsePage<C> {
  /** The page as the scripted command prints it. */
  body: string;
  /** Where the page sits, e.g. "lots 21–40 of 1000". */
  position: string;
  /** The next page's cursor; undefined on the last page. */
  next?: C;
}

/** Rows a page may take: the terminal's, less the prompt's lines (message, position, table heading, three entries, help). */
export function pageRows(extraLines = 0): number {
  return Math.max(3, (process.stdout.rows ?? 24) - 14 - extraLines);
}

type Step = "previous" | "next";

/**
 * Shows `load`'s pages until Back. `load` gets a page's cursor (undefined for the first); Previous
 * goes back through the cursors seen. A refusal is said, as the menus' `perform` says it.
 */
export async function browse<C>(message: string, load: (cursor: C | undefined) => Promise<BrowsePage<C>>): Promise<void> {
  const seen: Array<C | undefined> = [];
  let cursor: C | undefined;
  for (;;) {
    let page: BrowsePage<C>;
    try {
      page = await load(cursor);
    } catch (error) {
      if (!(error instanceof UsageError || error instanceof RefusedError)) throw error;
      say(palette().fail(`✘ ${error.message}`));
      return;
    }
    if (seen.length === 0 && page.next === undefined) {
      say(page.body);
      return;
    }
    const choices: Array<Choice<Step | null>> = [];
    if (page.next !== undefined) choices.push({ name: "Next page ›", value: "next" });
    if (seen.length > 0) choices.push({ name: "‹ Previous page", value: "previous" });
    choices.push({ name: "Back", value: null });
    const answer = await select(message, choices, { header: `${palette().dim(page.position)}\n${page.body}` });
    if (answer === null) return;
    if (answer === "next") {
      seen.push(cursor);
      cursor = page.next;
    } else {
      cursor = seen.pop();
    }
  }
}

function range(what: string, offset: number, count: number, total?: number): string {
  return count === 0 ? `no ${what}` : `${what} ${offset + 1}–${offset + count}${total === undefined ? "" : ` of ${total}`}`;
}

/** A lot list (for sale, a seller's, a buyer's, all), a page at a time. */
export function browseLots({ market }: Session, message: string, filter: { unsold?: boolean; seller?: AccountRef; customer?: AccountRef }): Promise<void> {
  const limit = pageRows();
  return browse<number>(message, async (offset = 0) => {
    const list = await carbons.run(market, { unsold: filter.unsold, seller: filter.seller, customer: filter.customer, offset, limit });
    return { body: text.lots(list), position: range("lots", offset, list.length, list.page.total), next: list.page.next ? offset + list.length : undefined };
  });
}

/** The node's accounts with their roles and balances, a page at a time. */
export function browseAccounts({ market }: Session, message: string): Promise<void> {
  const limit = pageRows();
  return browse<number>(message, async (offset = 0) => {
    const list = await accounts.run(market, { offset, limit });
    return { body: text.accounts(list), position: range("accounts", offset, list.length, list.page.total), next: list.page.next ? offset + list.length : undefined };
  });
}

/** An account's history, newest page first (each page oldest first, as `carbon records` prints it). */
export function browseRecords({ market }: Session, message: string, account: AccountRef): Promise<void> {
  const limit = pageRows(1);
  // Where each page starts, counted from the latest record: the cursors seen so far say.
  const startOf = new Map<string | undefined, number>([[undefined, 0]]);
  return browse<string>(message, async (before) => {
    const result = await records.run(market, { account, limit, before });
    const start = startOf.get(before) ?? 0;
    if (result.next) startOf.set(result.next, start + result.records.length);
    const position = result.records.length === 0 ? "no records" : `records ${start + 1}–${start + result.records.length} counted from the latest`;
    return { body: text.records(result), position, next: result.next };
  });
}
