// Choosing accounts and lots from lists, so nobody types an address in a classroom. An account is
// listed with the index `carbon accounts` prints, and typing that number selects it. Lots come a
// page at a time (lot-pages.ts) under a header that stays in view: the column names, the buyer's
// balance, and where in the list the page is.
import stringWidth from "string-width";
import type { Market, Roles } from "../chain/market";
import type { Lot } from "../chain/market-lists";
import { palette } from "../render/colours";
import { accountLabel, rememberNames } from "../render/account-label";
import { roleLabel } from "../render/format";
import { displayId } from "../render/sanitize";
import { lotPage, type LotFilter } from "./lot-pages";
import { select, type Choice } from "./prompt";
import { say } from "./session";

export interface KnownAccount {
  index: number;
  address: string;
  roles: Roles;
}

/** The accounts the session can act as, with their roles (and their names, for the labels). */
export async function knownAccounts(market: Market): Promise<KnownAccount[]> {
  const accounts = await market.accounts();
  const [known, names] = await Promise.all([
    Promise.all(accounts.map(async (address, index) => ({ index, address, roles: await market.roles(address) }))),
    market.names.namesOf(accounts),
  ]);
  rememberNames(names);
  return known;
}

function accountName(account: KnownAccount): string {
  return `${String(account.index).padStart(2)}  ${accountLabel(account.address)}  ${palette().dim(roleLabel(account.roles))}`;
}

/**
 * Picks one of the accounts `eligible` accepts; undefined for Back. When none is eligible it says
 * `none` and returns undefined without asking, so Back never prints a message.
 */
export async function pickAccount(message: string, accounts: KnownAccount[], eligible: (a: KnownAccount) => boolean, none: string): Promise<string | undefined> {
  const choices: Array<Choice<string | null>> = accounts.filter(eligible).map((account) => ({ name: accountName(account), value: account.address, key: String(account.index) }));
  if (choices.length === 0) {
    say(palette().dim(none));
    return undefined;
  }
  choices.push({ name: "Back", value: null });
  return (await select(message, choices)) ?? undefined;
}

export interface LotListOptions {
  filter: LotFilter;
  /** The buyer's balance: lots dearer than it are shown but cannot be chosen. */
  balance?: bigint;
  /** Said instead of asking when no lot matches. */
  none: string;
}

const PREVIOUS = { page: -1 } as const;
const NEXT = { page: 1 } as const;
type Step = typeof PREVIOUS | typeof NEXT;

/** Picks a lot, a page at a time; undefined for Back (or none to pick). */
export async function pickLot(market: Market, message: string, options: LotListOptions): Promise<string | undefined> {
  const c = palette();
  // A page of lots and its three other entries (previous, next, Back) fit the list prompt's page (see
  // prompt.ts), so paging is ours, by whole pages, and the prompt never scrolls the entries away.
  const headerLines = options.balance === undefined ? 2 : 3;
  const size = Math.max(3, (process.stdout.rows ?? 24) - 8 - headerLines - 3);
  let offset = 0;
  for (;;) {
    const { total, lots } = await lotPage(market, options.filter, offset, size);
    rememberNames(await market.names.namesOf(lots.map((lot) => lot.seller)));
    if (total === 0) {
      say(c.dim(options.none));
      return undefined;
    }
    const idWidth = Math.max(stringWidth("carbon ID"), ...lots.map((lot) => stringWidth(displayId(lot.carbonId))));
    const priceWidth = Math.max(5, ...lots.map((lot) => lot.price.toString().length));
    const pad = (text: string) => text + " ".repeat(Math.max(0, idWidth - stringWidth(text)));
    const row = (lot: Lot) => `${pad(displayId(lot.carbonId))}  ${lot.price.toString().padStart(priceWidth)}  ${accountLabel(lot.seller, { short: true })}`;
    const choices: Array<Choice<string | Step | null>> = lots.map((lot) => ({
      name: row(lot),
      value: lot.carbonId,
      ...(options.balance !== undefined && lot.price > options.balance ? { disabled: "✘ more than you hold" } : {}),
    }));
    if (offset > 0) choices.push({ name: "‹ Previous page", value: PREVIOUS });
    if (offset + lots.length < total) choices.push({ name: "Next page ›", value: NEXT });
    choices.push({ name: "Back", value: null });
    const header = [
      ...(options.balance === undefined ? [] : [`${c.dim("you hold")} ${options.balance} ${c.dim("carbon")}`]),
      c.dim(`lots ${offset + 1}–${offset + lots.length} of ${total}`),
      c.heading(`  ${pad("carbon ID")}  ${"price".padStart(priceWidth)}  seller`),
    ].join("\n");
    const answer = await select(message, choices, { header });
    if (answer === null) return undefined;
    if (typeof answer === "string") return answer;
    offset = Math.max(0, offset + answer.page * size);
  }
}
