// The market's lists, read page by page from its views: lots (all, a seller's, a customer's, the
// unsold), customers, sellers, frozen accounts, and the totals. A page costs one batch: the count
// and the page's chunks ride together.
import { UsageError } from "../support/errors";
import { parseCarbonId } from "../input/values";
import type { AbiItem } from "./abi";
import { ZERO_ADDRESS, type ContractView } from "./market-contracts";

/** Rows per view call when a whole list is read. */
const PAGE = 100;
/** The most items one view call returns: a view's cost grows with its items. */
const CHUNK = 100;
/** The most rows one page may ask for. */
export const MAX_PAGE = 1_000;

export interface Lot {
  carbonId: string;
  price: bigint;
  seller: string;
  /** Undefined while the lot is for sale. */
  buyer?: string;
}

export interface LotFilter {
  seller?: string;
  customer?: string;
  unsold?: boolean;
}

/** A page of a list, and how many items the whole list has. */
export interface LotPage {
  total: number;
  lots: Lot[];
}

export interface AccountPage {
  total: number;
  accounts: string[];
}

export interface Totals {
  issued: bigint;
  settled: bigint;
  customers: number;
  sellers: number;
  lots: number;
  frozen: number;
}

export class MarketLists {
  private unsoldIndex?: Promise<boolean>;

  constructor(
    private readonly view: ContractView,
    private readonly abi: AbiItem[],
  ) {}

  /** One lot, or undefined if no lot has this ID. */
  async lot(carbonId: string): Promise<Lot | undefined> {
    const [raw] = await this.view<[RawLot]>("getCarbon", [parseCarbonId(carbonId)]);
    const lot = toLot(raw);
    return lot.seller === ZERO_ADDRESS ? undefined : lot;
  }

  /** Every lot in publication order, or the lots one seller published or one customer bought (all pages: prefer lotPage). */
  async lots(filter: { seller?: string; customer?: string } = {}): Promise<Lot[]> {
    const first = await this.lotPage(filter, 0, PAGE);
    if (first.total <= PAGE) return first.lots;
    const rest = await this.lotPage(filter, PAGE, first.total - PAGE);
    return [...first.lots, ...rest.lots];
  }

  /**
   * One page of lots: `limit` lots from `offset` on, in publication order (for `unsold`, in the
   * unsold index's order), and how many match in all. Only the lots of the page are read from the
   * chain, except for the combinations no index serves (seller and customer; seller and unsold),
   * which read the smaller list whole and filter it.
   */
  async lotPage(filter: LotFilter, offset: number, limit: number): Promise<LotPage> {
    const { seller, customer, unsold } = filter;
    if (customer && unsold) return { total: 0, lots: [] }; // a lot a customer bought is sold
    if (seller && customer) return slice((await this.lots({ customer })).filter((lot) => lot.seller === seller.toLowerCase()), offset, limit);
    if (seller && unsold) return slice((await this.lots({ seller })).filter((lot) => lot.buyer === undefined), offset, limit);
    if (unsold) {
      if (!(await this.hasUnsoldIndex())) return slice((await this.lots()).filter((lot) => lot.buyer === undefined), offset, limit);
      return this.page("getUnsoldCarbonCount", "getUnsoldCarbons", [], offset, limit, toLot);
    }
    if (seller) return this.page("getSellerCarbonCount", "getSellerCarbons", [seller], offset, limit, toLot);
    if (customer) return this.page("getCustomerCarbonCount", "getCustomerCarbons", [customer], offset, limit, toLot);
    return this.page("getCarbonCount", "getCarbons", [], offset, limit, toLot);
  }

  async customerPage(offset: number, limit: number): Promise<AccountPage> {
    return accountPage(await this.page("getCustomerCount", "getCustomers", [], offset, limit, lower));
  }

  async sellerPage(offset: number, limit: number): Promise<AccountPage> {
    return accountPage(await this.page("getSellerCount", "getSellers", [], offset, limit, lower));
  }

  async frozenPage(offset: number, limit: number): Promise<AccountPage> {
    return accountPage(await this.page("getFrozenCount", "getFrozenAccounts", [], offset, limit, lower));
  }

  /** Every registered customer (all pages: prefer customerPage). */
  async customers(): Promise<string[]> {
    return this.all((offset, limit) => this.customerPage(offset, limit));
  }

  /** Every registered seller (all pages: prefer sellerPage). */
  async sellers(): Promise<string[]> {
    return this.all((offset, limit) => this.sellerPage(offset, limit));
  }

  /** Every frozen account (all pages: prefer frozenPage). */
  async frozenAccounts(): Promise<string[]> {
    return this.all((offset, limit) => this.frozenPage(offset, limit));
  }

  async totals(): Promise<Totals> {
    const names = ["issuedCarbonAmount", "settledCarbonAmount", "getCustomerCount", "getSellerCount", "getCarbonCount", "getFrozenCount"];
    const [issued, settled, customers, sellers, lots, frozen] = await Promise.all(names.map(async (name) => BigInt((await this.view<[string]>(name))[0])));
    return { issued, settled, customers: Number(customers), sellers: Number(sellers), lots: Number(lots), frozen: Number(frozen) };
  }

  /** One page of a counted list: the count and the page's chunks ride in one batch. */
  private async page<Raw, T>(countView: string, pageView: string, args: unknown[], offset: number, limit: number, map: (raw: Raw) => T): Promise<{ total: number; lots: T[] }> {
    checkPaging(offset, limit);
    // The count and the first chunk go out together; a chunk never asks the node for more than
    // CHUNK items, since a view's cost grows with the items it returns (~5 ms a lot on Ganache).
    const chunks = Array.from({ length: Math.ceil(limit / CHUNK) }, (_, i) => offset + i * CHUNK);
    const [count, ...pages] = await Promise.all([
      this.view<[string]>(countView, args),
      ...chunks.map((start) => this.view<[Raw[]]>(pageView, [...args, start, Math.min(CHUNK, offset + limit - start)])),
    ]);
    return { total: Number(count[0]), lots: pages.flatMap(([page]) => page.map(map)).slice(0, limit) };
  }

  private async all<T>(read: (offset: number, limit: number) => Promise<{ total: number; accounts: T[] }>): Promise<T[]> {
    const first = await read(0, PAGE);
    if (first.total <= PAGE) return first.accounts;
    return [...first.accounts, ...(await read(PAGE, first.total - PAGE)).accounts];
  }

  private hasUnsoldIndex(): Promise<boolean> {
    return (this.unsoldIndex ??= Promise.resolve(this.abi.some((item) => item.type === "function" && item.name === "getUnsoldCarbons")));
  }
}

type RawLot = { carbonId: string; price: string; seller: string; buyer: string };

function toLot(raw: RawLot): Lot {
  const buyer = raw.buyer.toLowerCase();
  return { carbonId: raw.carbonId, price: BigInt(raw.price), seller: raw.seller.toLowerCase(), ...(buyer === ZERO_ADDRESS ? {} : { buyer }) };
}

function lower(address: string): string {
  return address.toLowerCase();
}

function accountPage(page: { total: number; lots: string[] }): AccountPage {
  return { total: page.total, accounts: page.lots };
}

function slice(lots: Lot[], offset: number, limit: number): LotPage {
  checkPaging(offset, limit);
  return { total: lots.length, lots: lots.slice(offset, offset + limit) };
}

export function checkPaging(offset: number, limit: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new UsageError(`the offset must be a whole number from 0, not ${offset}`);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE * 1_000) throw new UsageError(`the limit must be a whole number from 1, not ${limit}`);
}
