// How an account is shown wherever one is (tables, pick-lists, feeds, JSON): its display name, if it
// has one, beside its address, whole or cut to 0x1234…abcd. The names come from the chain a list at a
// time (chain/account-names.ts); whoever reads a list tells this book what was read (rememberNames),
// so that rendering stays synchronous and every renderer labels accounts the same way.
import { shortAddress } from "./format";
import { printable } from "./sanitize";

const ADDRESS = /0x[0-9a-fA-F]{40}/g;
const book = new Map<string, string>();

/** Names read from the chain (lower-case address → name, "" for none), for the labels drawn next. */
export function rememberNames(names: ReadonlyMap<string, string>): void {
  for (const [address, name] of names) book.set(address.toLowerCase(), name);
}

/** The account's display name, if it has one and it was read. */
export function nameOf(address: string): string | undefined {
  return book.get(address.toLowerCase()) || undefined;
}

/** "Ana 0x1234…abcd" (short) or "Ana 0x…" (whole); the address alone for an account without a name. */
export function accountLabel(address: string, options: { short?: boolean } = {}): string {
  const shown = options.short ? shortAddress(address) : address;
  const name = nameOf(address);
  return name ? `${printable(name)} ${shown}` : shown;
}

/** Every address in a line of text, labelled. */
export function labelAddresses(text: string, options: { short?: boolean } = {}): string {
  return text.replace(ADDRESS, (address) => accountLabel(address, options));
}

/** Every address anywhere in a command's result (its rows, their fields): the names to read for it. */
export function addressesIn(value: unknown, found = new Set<string>(), depth = 0): Set<string> {
  if (typeof value === "string") {
    if (/^0x[0-9a-fA-F]{40}$/.test(value)) found.add(value.toLowerCase());
  } else if (value && typeof value === "object" && depth < 6) {
    for (const item of Array.isArray(value) ? value : Object.values(value)) addressesIn(item, found, depth + 1);
  }
  return found;
}

/** The JSON fields that hold an account, and the field its name goes in. */
const NAME_FIELDS: Record<string, string> = {
  account: "name", address: "name", customer: "customerName", seller: "sellerName", buyer: "buyerName",
  owner: "ownerName", verifier: "verifierName", counterparty: "counterpartyName", maker: "makerName", taker: "takerName",
};

/**
 * A JSON result with a name beside every account field that has one (`name` for `account` or
 * `address`, `sellerName` for `seller`, ...): null when the account has no name (or there is no
 * account), so that scripts always find the field.
 */
export function withNames(json: unknown, depth = 0): unknown {
  if (Array.isArray(json)) return json.map((item) => withNames(item, depth + 1));
  if (!json || typeof json !== "object" || depth > 6) return json;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    out[key] = withNames(value, depth + 1);
    const field = NAME_FIELDS[key];
    if (!field || field in json) continue;
    if (value === null) out[field] = null; // no account, no name: the field is there all the same
    else if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)) out[field] = nameOf(value) ?? null;
  }
  return out;
}
