// The market's lists of accounts as one shape the pick-lists and bulk actions page through: the
// customers, the sellers, the frozen accounts, the accredited verifiers, and every registered account
// (customers, then sellers who are not customers). They are read from the contracts' registries, a
// page at a time, never from the node's keys: on a class chain the students are not the node's.
import { Compliance } from "./compliance";
import type { Market } from "./market";

export interface SourcePage {
  /** How many the list holds (for `registered`, customers plus sellers: an account both is counted twice). */
  total: number;
  accounts: string[];
  /** Where the next page starts in the list; undefined on the last page. */
  next?: number;
}

export interface AccountSource {
  /** What the list holds, for headers and messages: "customers". */
  what: string;
  /** Up to `limit` accounts from position `offset` on (fewer when some are skipped as duplicates). */
  page(offset: number, limit: number): Promise<SourcePage>;
}

type Pager = (offset: number, limit: number) => Promise<{ total: number; accounts: string[] }>;

function source(what: string, read: Pager): AccountSource {
  return {
    what,
    async page(offset, limit) {
      const { total, accounts } = await read(offset, limit);
      const end = offset + accounts.length;
      return { total, accounts, ...(accounts.length > 0 && end < total ? { next: end } : {}) };
    },
  };
}

export function customerSource(market: Market): AccountSource {
  return source("customers", (offset, limit) => market.customerPage(offset, limit));
}

export function sellerSource(market: Market): AccountSource {
  return source("sellers", (offset, limit) => market.sellerPage(offset, limit));
}

export function frozenSource(market: Market): AccountSource {
  return source("frozen accounts", (offset, limit) => market.frozenPage(offset, limit));
}

export function verifierSource(market: Market, client = new Compliance(market)): AccountSource {
  return source("verifiers", (offset, limit) => client.verifierPage(offset, limit));
}

/**
 * Every registered account: the customers' registry, then the sellers' without those already listed
 * as customers. Position `offset` counts through both registries, so a page of the sellers' part may
 * come back short by the accounts skipped; the totals of the two are read on every page, so a
 * registration between pages moves the boundary with it.
 */
export function registeredSource(market: Market): AccountSource {
  return {
    what: "registered accounts",
    async page(offset, limit) {
      const [customers, sellers] = await Promise.all([market.customerPage(0, 1).then((p) => p.total), market.sellerPage(0, 1).then((p) => p.total)]);
      const total = customers + sellers;
      const accounts: string[] = [];
      if (offset < customers) accounts.push(...(await market.customerPage(offset, Math.min(limit, customers - offset))).accounts);
      const left = limit - accounts.length;
      const sellerStart = Math.max(0, offset - customers);
      if (left > 0 && sellerStart < sellers) {
        const page = (await market.sellerPage(sellerStart, Math.min(left, sellers - sellerStart))).accounts;
        const alsoCustomer = await Promise.all(page.map(async (account) => (await market.roles(account)).customer));
        accounts.push(...page.filter((_, i) => !alsoCustomer[i]));
      }
      const end = Math.min(total, offset + limit);
      return { total, accounts, ...(end < total ? { next: end } : {}) };
    },
  };
}

/**
 * `source`, then the node's own keys that no registry lists: on a single-machine chain those are
 * accounts the session can act as (a verifier signs in with one), so they may be picked too. The
 * node's keys are few (a development chain's ten), so they are read whole.
 */
export function withNodeKeys(market: Market, source: AccountSource): AccountSource {
  return {
    what: source.what,
    async page(offset, limit) {
      const first = await source.page(offset, limit);
      const keys = await unregisteredKeys(market);
      const total = first.total + keys.length;
      const keyStart = Math.max(0, offset - first.total);
      const room = limit - (offset < first.total ? Math.min(limit, first.total - offset) : 0);
      const accounts = [...(offset < first.total ? first.accounts : []), ...(room > 0 ? keys.slice(keyStart, keyStart + room) : [])];
      const end = Math.min(total, offset + limit);
      return { total, accounts, ...(end < total ? { next: end } : {}) };
    },
  };
}

async function unregisteredKeys(market: Market): Promise<string[]> {
  const keys = await market.accounts();
  const roles = await Promise.all(keys.map((key) => market.roles(key)));
  return keys.filter((_, i) => !roles[i].customer && !roles[i].seller);
}
