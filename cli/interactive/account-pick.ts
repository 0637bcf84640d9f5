// Choosing accounts from one of the market's lists (chain/account-sources.ts): the customers, the
// sellers, the frozen, the verifiers, every registered account. Nothing is loaded whole: a class may
// have forty students and a chain ten thousand accounts, so the list comes a page at a time (the
// terminal's height), typing filters the page in place, and "Search the whole list" reads the
// registry on from there, a hundred at a time, until a page of matches is found or a thousand were
// read (then "More matches ›" reads on). "Paste an address" takes one the lists do not show.
import type { AccountSource } from "../chain/account-sources";
import type { Market, Roles } from "../chain/market";
import { parseAddress } from "../input/values";
import { palette } from "../render/colours";
import { accountLabel, rememberNames } from "../render/account-label";
import { roleLabel } from "../render/format";
import { input, select, type Choice } from "./prompt";
import { say } from "./session";

export interface AccountRow {
  address: string;
  roles: Roles;
  /** Its index among the node's accounts, when it is one: typing it selects the row. */
  index?: number;
}

export interface AccountPickOptions {
  /** Said instead of asking when the list is empty. */
  none: string;
  /** Why a row cannot be chosen (shown beside it, dimmed), or undefined when it can. */
  refuse?: (row: AccountRow) => string | undefined | Promise<string | undefined>;
  /** Offer "Paste an address" (default: yes). */
  paste?: boolean;
  /** An entry for the whole list at once (e.g. "Every customer, the same amount each ›"): chosen, the pick answers EVERY. */
  every?: string;
}

/** What a pick answers when the `every` entry is chosen. */
export const EVERY = Symbol("every");

/** Addresses read per view call while searching, and the most read before the list asks to go on. */
const SCAN_CHUNK = 100;
const SCAN_BUDGET = 1_000;

/** Where a search resumes: a position in the list, and how many matches there were already shown. */
type SearchCursor = { offset: number; skip: number };

type Answer = string | { step: "next" | "previous" | "paste" | "whole" | "done" | "every" } | { search: string };

/** Picks one account from `source` (or EVERY); undefined for Back (or, said, when the list is empty). */
export async function pickMarketAccount(market: Market, message: string, source: AccountSource, options: AccountPickOptions & { every: string }): Promise<string | typeof EVERY | undefined>;
export async function pickMarketAccount(market: Market, message: string, source: AccountSource, options: AccountPickOptions): Promise<string | undefined>;
export async function pickMarketAccount(market: Market, message: string, source: AccountSource, options: AccountPickOptions): Promise<string | typeof EVERY | undefined> {
  const picked = await pickFromList(market, message, source, options);
  return picked === EVERY ? EVERY : picked?.[0];
}

/**
 * Picks several: Enter on a row marks or unmarks it, and `done(n)` (e.g. "Accredit the 3 marked ›")
 * ends the choice. Returns the marked accounts, or undefined for Back.
 */
export async function pickMarketAccounts(market: Market, message: string, source: AccountSource, options: AccountPickOptions & { done: (count: number) => string }): Promise<string[] | undefined> {
  const picked = await pickFromList(market, message, source, options, new Set());
  return picked === EVERY ? undefined : picked;
}

async function pickFromList(market: Market, message: string, source: AccountSource, options: AccountPickOptions & { done?: (count: number) => string }, marked?: Set<string>): Promise<string[] | typeof EVERY | undefined> {
  const c = palette();
  const size = Math.max(3, (process.stdout.rows ?? 24) - 16);
  const nodeAccounts = await market.accounts();
  // The cursors of the pages before this one, so Previous goes back through what was seen.
  const seen: Array<number | SearchCursor> = [];
  let offset = 0;
  let search: { text: string; cursor: SearchCursor } | undefined;
  let initial: string | undefined;
  for (;;) {
    const screen = search ? await searchPage(market, source, search.text, search.cursor, size) : await plainPage(market, source, offset, size);
    if (screen.total === 0 && !search) {
      say(c.dim(options.none));
      return undefined;
    }
    const rows = await Promise.all(screen.accounts.map(async (address) => {
      const index = nodeAccounts.indexOf(address);
      const row: AccountRow = { address, roles: await market.roles(address), ...(index < 0 ? {} : { index }) };
      return { ...row, refusal: await options.refuse?.(row) };
    }));
    const choices: Array<Choice<Answer | null>> = rows.map((row) => {
      const refusal = row.refusal;
      const mark = marked ? (marked.has(row.address) ? "◉ " : "○ ") : "";
      const index = row.index === undefined ? "  " : String(row.index).padStart(2);
      return {
        name: `${mark}${index}  ${accountLabel(row.address)}  ${c.dim(roleLabel(row.roles))}`,
        value: row.address,
        ...(row.index === undefined ? {} : { key: String(row.index) }),
        ...(refusal ? { disabled: refusal } : {}),
      };
    });
    if (marked && options.done) choices.unshift({ name: options.done(marked.size), value: { step: "done" }, fixed: true, ...(marked.size === 0 ? { disabled: true } : {}) });
    if (seen.length > 0) choices.push({ name: "‹ Previous page", value: { step: "previous" }, fixed: true });
    if (screen.next !== undefined) choices.push({ name: search ? "More matches ›" : "Next page ›", value: { step: "next" }, fixed: true });
    if (options.every) choices.push({ name: options.every, value: { step: "every" }, fixed: true });
    if (search) choices.push({ name: `The whole list of ${source.what}`, value: { step: "whole" }, fixed: true });
    if (options.paste !== false) choices.push({ name: "Paste an address…", value: { step: "paste" }, fixed: true });
    choices.push({ name: "Back", value: null, fixed: true });
    const chosen = marked ? c.dim(` · ${marked.size} marked`) : "";
    // A list that fits this one page is filtered in place: there is nothing beyond it to search.
    const whole = !search && seen.length === 0 && screen.next === undefined;
    const answer = await select<Answer | null>(message, choices, { header: c.dim(screen.position) + chosen, filterable: true, initial, ...(whole ? {} : { onSearch: (text: string) => ({ search: text }) }) });
    initial = undefined;
    if (answer === null) return undefined;
    if (typeof answer === "string") {
      if (!marked) return [answer];
      if (!marked.delete(answer)) marked.add(answer);
      initial = answer;
      continue;
    }
    if ("search" in answer) {
      seen.length = 0;
      search = { text: answer.search, cursor: { offset: 0, skip: 0 } };
      continue;
    }
    if (answer.step === "done") return [...marked!];
    if (answer.step === "every") return EVERY;
    if (answer.step === "whole") {
      seen.length = 0;
      search = undefined;
      offset = 0;
    } else if (answer.step === "next") {
      seen.push(search ? search.cursor : offset);
      if (search) search.cursor = screen.next as SearchCursor;
      else offset = screen.next as number;
    } else if (answer.step === "previous") {
      const back = seen.pop()!;
      if (search) search.cursor = back as SearchCursor;
      else offset = back as number;
    } else {
      const pasted = await pasteAddress(market, options);
      if (pasted === undefined) continue;
      if (!marked) return [pasted];
      marked.add(pasted);
    }
  }
}

interface Screen<C> {
  total: number;
  accounts: string[];
  position: string;
  next?: C;
}

/** A page of the list, with its accounts' names read for their labels (one call for the page). */
async function namedPage(market: Market, source: AccountSource, offset: number, size: number): ReturnType<AccountSource["page"]> {
  const page = await source.page(offset, size);
  rememberNames(await market.names.namesOf(page.accounts));
  return page;
}

async function plainPage(market: Market, source: AccountSource, offset: number, size: number): Promise<Screen<number>> {
  const page = await namedPage(market, source, offset, size);
  const end = page.next ?? page.total;
  return { total: page.total, accounts: page.accounts, position: `${source.what} ${offset + 1}–${end} of ${page.total}`, ...(page.next === undefined ? {} : { next: page.next }) };
}

/** Reads on from `from` until `want` accounts match `text` or SCAN_BUDGET were read. */
async function searchPage(market: Market, source: AccountSource, text: string, from: SearchCursor, want: number): Promise<Screen<SearchCursor>> {
  const wanted = text.toLowerCase();
  const found: string[] = [];
  let cursor: SearchCursor | undefined = from;
  let total = 0;
  let reached = from.offset;
  for (let read = 0; cursor && found.length < want && read < SCAN_BUDGET; read += SCAN_CHUNK) {
    const page = await namedPage(market, source, cursor.offset, SCAN_CHUNK);
    total = page.total;
    const hits = page.accounts.filter((address) => accountLabel(address).toLowerCase().includes(wanted)).slice(cursor.skip);
    const taken = hits.slice(0, want - found.length);
    found.push(...taken);
    reached = page.next ?? page.total;
    if (taken.length < hits.length) {
      cursor = { offset: cursor.offset, skip: cursor.skip + taken.length };
      break;
    }
    cursor = page.next === undefined ? undefined : { offset: page.next, skip: 0 };
  }
  const position = `"${text}" in ${source.what} ${Math.min(from.offset + 1, reached)}–${reached} of ${total}: ${found.length === 0 ? "no match" : `${found.length} shown`}`;
  return { total, accounts: found, position, ...(cursor ? { next: cursor } : {}) };
}

/** An address typed or pasted, refused (said) when the list would have refused it. */
async function pasteAddress(market: Market, options: AccountPickOptions): Promise<string | undefined> {
  const text = await input("The account's address (0x and 40 hex digits)", (t) => parseAddress(t.trim()));
  if (text === undefined) return undefined;
  const address = parseAddress(text.trim());
  const refusal = await options.refuse?.({ address, roles: await market.roles(address) });
  if (refusal) {
    say(palette().fail(`✘ ${accountLabel(address)}: ${refusal}`));
    return undefined;
  }
  return address;
}
