// What the order book's contract tests share: the deployed book beside the market, placing orders with
// the exact escrow, reading a transaction's book events, the chain's clock, and the two laws checked
// after calls: escrow and quota are conserved, and the book is never crossed.
import type BN from "bn.js";
import { deployedMarket, digestOf, type Market, mineInBlocks, Operation, rpc, viewBatch, ZERO_ADDRESS } from "./helpers";

/** OrderBook.TICK: prices are whole ticks of 0.0001 ether a unit. */
export const TICK = 10n ** 14n;
export const MIN_QUANTITY = 10;
/** OrderBook.NEVER: the expiry stored for good till cancelled (0). */
export const NEVER = 2 ** 40 - 1;

/** OrderBook.OrderStatus. */
export enum Status {
  None,
  Open,
  Filled,
  Cancelled,
  Expired,
}

export interface BookMarket extends Market {
  book: OrderBookInstance;
}

export async function deployedBook(): Promise<BookMarket> {
  const [market, book] = await Promise.all([deployedMarket(), artifacts.require("OrderBook").deployed()]);
  return { ...market, book };
}

/** Registers each of `traders` as a customer, sent by itself, and issues it `quota`: a book test's traders. */
export async function fundTraders(m: BookMarket, regulator: string, traders: readonly string[], quota: number): Promise<void> {
  for (const account of traders) {
    await m.carbon.newCustomer(account, digestOf(account), { from: account });
    await m.carbon.sendCarbonToCustomer(account, quota, { from: regulator });
  }
}

/** A price of `ticks` ticks, in wei a unit, as the contract takes it. */
export function price(ticks: number): string {
  return (BigInt(ticks) * TICK).toString();
}

export interface PlaceOptions {
  expiry?: number;
  maxMatches?: number;
  /** A bid's ether, when a test sends the wrong amount on purpose. */
  value?: bigint;
}

/** A bid of `quantity` units at `ticks` ticks, sending exactly its escrow. */
export function bid(book: OrderBookInstance, from: string, quantity: number, ticks: number, options: PlaceOptions = {}): Send {
  const value = options.value ?? BigInt(quantity) * BigInt(ticks) * TICK;
  return book.placeBid(quantity, price(ticks), options.expiry ?? 0, options.maxMatches ?? 10, { from, value: value.toString() });
}

export function ask(book: OrderBookInstance, from: string, quantity: number, ticks: number, options: PlaceOptions = {}): Send {
  return book.placeAsk(quantity, price(ticks), options.expiry ?? 0, options.maxMatches ?? 10, { from });
}

/**
 * `count` asks of one owner that rest (nothing to meet), sent in one block rather than one call each:
 * a test's setup of many orders, in the order given (one sender's nonces keep it).
 */
export async function restingAsks(book: OrderBookInstance, from: string, count: number, quantity: number, ticks: number, expiry = 0): Promise<void> {
  const data = (book as unknown as { contract: { methods: Record<string, (...args: unknown[]) => { encodeABI(): string }> } }).contract.methods
    .placeAsk(quantity, price(ticks), expiry, 0)
    .encodeABI();
  await mineInBlocks(Array.from({ length: count }, () => ({ from, to: book.address, data, gas: 600_000 })), count);
}

// ---------------------------------------------------------------- the clock

/**
 * The chain's time now: a block is mined first, since the latest block may be far behind the clock
 * (a test reverts to a snapshot taken long ago, and an expiry counted from its time is already past).
 */
export async function latestTime(): Promise<number> {
  await rpc("evm_mine");
  return Number((await web3.eth.getBlock("latest")).timestamp);
}

/** Moves the chain's clock on by `seconds` and mines a block at the new time. */
export async function advance(seconds: number): Promise<void> {
  await rpc("evm_increaseTime", [seconds]);
  await rpc("evm_mine");
}

// ---------------------------------------------------------------- events

function named(tx: TruffleTransaction, name: string): TruffleLog[] {
  return tx.logs.filter((log) => log.event === name);
}

/** The transaction's one `name` outcome event, as [isSuccess, message, sender]. */
export function outcomeOf(tx: TruffleTransaction, name: string): { sender: string; isSuccess: boolean; message: string } {
  const logs = named(tx, name);
  assert.lengthOf(logs, 1, `one ${name} event (events: ${tx.logs.map((log) => log.event).join(", ")})`);
  const { sender, isSuccess, message } = logs[0].args as unknown as { sender: string; isSuccess: boolean; message: string };
  return { sender, isSuccess, message };
}

/** Every outcome event of this name, in order, as "isSuccess message". */
export function outcomes(tx: TruffleTransaction, name: string): string[] {
  return named(tx, name).map((log) => `${log.args.isSuccess} ${log.args.message}`);
}

export interface ActivityRow {
  account: string;
  counterparty: string;
  operation: Operation;
  orderId: number;
  amount: number;
  isSuccess: boolean;
}

/** The transaction's Activity events in order, with the order ID read back from `carbonId`. */
export function activities(tx: TruffleTransaction): ActivityRow[] {
  return named(tx, "Activity").map(({ args }) => ({
    account: String(args.account),
    counterparty: String(args.counterparty),
    operation: Number(String(args.operation)) as Operation,
    orderId: Number(BigInt(String(args.carbonId))),
    amount: Number(String(args.amount)),
    isSuccess: Boolean(args.isSuccess),
  }));
}

export interface TradeRow {
  buyer: string;
  seller: string;
  ticks: number;
  quantity: number;
  bidId: number;
  askId: number;
}

export function tradesOf(tx: TruffleTransaction): TradeRow[] {
  return named(tx, "Trade").map(({ args }) => ({
    buyer: String(args.buyer),
    seller: String(args.seller),
    ticks: Number(BigInt(String(args.price)) / TICK),
    quantity: Number(String(args.quantity)),
    bidId: Number(String(args.bidId)),
    askId: Number(String(args.askId)),
  }));
}

/** The ID the book gave the order placed in `tx` (its OrderPlaced event). */
export function placedId(tx: TruffleTransaction): number {
  const logs = named(tx, "OrderPlaced");
  assert.lengthOf(logs, 1, "one OrderPlaced event");
  return Number(String(logs[0].args.id));
}

/** What the sender paid the node for `tx`: gasUsed × the effective gas price, in wei. */
export async function gasFee(tx: TruffleTransaction): Promise<bigint> {
  const receipt = (await web3.eth.getTransactionReceipt(tx.tx)) as unknown as { gasUsed: number; effectiveGasPrice: string | number };
  return BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);
}

export async function etherOf(account: string): Promise<bigint> {
  return BigInt(await web3.eth.getBalance(account));
}

// ---------------------------------------------------------------- orders and levels

export interface OrderRow {
  id: number;
  owner: string;
  isBid: boolean;
  ticks: number;
  quantity: number;
  filled: number;
  expiry: number;
  status: Status;
}

export function orderRow(raw: OrderResult): OrderRow {
  return {
    id: Number(raw.id),
    owner: raw.owner,
    isBid: raw.isBid,
    ticks: Number(BigInt(raw.price) / TICK),
    quantity: Number(raw.quantity),
    filled: Number(raw.filled),
    expiry: Number(raw.expiry),
    status: Number(raw.status) as Status,
  };
}

export async function orderOf(book: OrderBookInstance, id: number): Promise<OrderRow> {
  return orderRow(await book.order(id));
}

/** Levels of one side, best first, as [ticks, quantity, orders]. */
export async function levels(book: OrderBookInstance, bids: boolean, limit = 100): Promise<[number, number, number][]> {
  return (await book.depth(bids, 0, limit)).map((level) => [
    Number(BigInt(level.price) / TICK),
    Number(level.quantity),
    Number(level.orders),
  ]);
}

/** The IDs at one price, in time priority. */
export async function queue(book: OrderBookInstance, bids: boolean, ticks: number): Promise<number[]> {
  return (await book.ordersAt(bids, price(ticks), 0, 100)).map((order) => Number(order.id));
}

async function allOrders(book: OrderBookInstance): Promise<OrderRow[]> {
  const count = Number(await book.orderCount());
  const rows = await viewBatch<OrderResult>(book, "order", Array.from({ length: count }, (_, i) => [i + 1]));
  return rows.map(orderRow);
}

// ---------------------------------------------------------------- the laws

/**
 * Checks, on the chain as it is now: the book's ether balance is escrowedEther() plus
 * withdrawableEther(); escrowedEther() is the open bids' escrow and withdrawableEther() the accounts'
 * credits; escrowedCarbonAmount() equals the open asks' rest; balances plus escrow equal issued minus
 * settled (minus surrendered); each level's quantity and count are its open orders'; the book is not
 * crossed. `customers` and `sellers` are every account that may hold quota (and every trader).
 */
export async function expectConserved(m: BookMarket, customers: readonly string[], sellers: readonly string[] = []): Promise<void> {
  const { book, carbon } = m;
  const orders = await allOrders(book);
  const open = orders.filter((order) => order.status === Status.Open);
  const bidEscrow = open.filter((o) => o.isBid).reduce((sum, o) => sum + BigInt(o.quantity - o.filled) * BigInt(o.ticks) * TICK, 0n);
  const askEscrow = open.filter((o) => !o.isBid).reduce((sum, o) => sum + BigInt(o.quantity - o.filled), 0n);
  const [balance, escrowedEther, credited, escrowedCarbon, credits] = await Promise.all([
    etherOf(book.address),
    book.escrowedEther().then(String),
    book.withdrawableEther().then(String),
    book.escrowedCarbonAmount().then(String),
    Promise.all(customers.map((account) => book.withdrawable(account).then((amount) => BigInt(String(amount))))),
  ]);
  assert.equal(balance.toString(), (BigInt(escrowedEther) + BigInt(credited)).toString(), "the book's ether balance is escrowedEther() plus withdrawableEther()");
  assert.equal(escrowedEther, bidEscrow.toString(), "escrowedEther() is the open bids' escrow");
  assert.equal(credited, credits.reduce((sum, amount) => sum + amount, 0n).toString(), "withdrawableEther() is the traders' credits");
  assert.equal(escrowedCarbon, askEscrow.toString(), "escrowedCarbonAmount() is the open asks' rest");

  const holdings = await Promise.all([
    ...customers.map((account) => carbon.getCustomerCarbonAmount(account)),
    ...sellers.map((account) => carbon.getSellerCarbonAmount(account)),
  ]);
  const held = holdings.reduce((sum, amount) => sum + BigInt(amount.toString()), 0n);
  const surrendered = BigInt(String(await (await complianceModule()).surrenderedCarbonAmount()));
  const [issued, settled] = await Promise.all([carbon.issuedCarbonAmount(), carbon.settledCarbonAmount()]);
  assert.equal(
    (held + askEscrow).toString(),
    (BigInt(issued.toString()) - BigInt(settled.toString()) - surrendered).toString(),
    "balances plus the asks' escrow are issued minus settled minus surrendered",
  );

  for (const bids of [true, false]) {
    const side = bids ? "bids" : "asks";
    const expected = new Map<number, [number, number]>();
    for (const o of open.filter((order) => order.isBid === bids)) {
      const [quantity, count] = expected.get(o.ticks) ?? [0, 0];
      expected.set(o.ticks, [quantity + o.quantity - o.filled, count + 1]);
    }
    const sorted = [...expected.entries()].sort(([a], [b]) => (bids ? b - a : a - b));
    assert.deepEqual(await levels(book, bids), sorted.map(([ticks, [quantity, count]]) => [ticks, quantity, count]), `the ${side}' levels are their open orders'`);
  }
  const [bestBid, bestAsk] = await Promise.all([book.bestBid(), book.bestAsk()]);
  if (!bestBid.price.isZero() && !bestAsk.price.isZero()) {
    assert.isTrue(bestBid.price.lt(bestAsk.price), `the book is not crossed (best bid ${bestBid.price} < best ask ${bestAsk.price})`);
  }
}

let compliance: Promise<{ surrenderedCarbonAmount(): Promise<BN> }> | undefined;

/**
 * The compliance module, for its surrendered total (its tests type the rest of it). Found once:
 * `deployed()` asks the node for the network and the code each time, 190 ms of every law checked.
 */
function complianceModule(): Promise<{ surrenderedCarbonAmount(): Promise<BN> }> {
  const require = artifacts.require as unknown as (name: string) => TruffleArtifact<{ surrenderedCarbonAmount(): Promise<BN> }>;
  return (compliance ??= require("Compliance").deployed());
}

/** The book's storage, its ether, and the watched accounts' quota and ether: what "changes nothing" compares. */
export interface BookState {
  accounts: readonly string[];
  roots: { book: string; customers: string };
  bookEther: string;
  quota: string[];
  ether: string[];
}

async function storageRoot(address: string): Promise<string> {
  return (await rpc<{ storageHash: string }>("eth_getProof", [address, [], "latest"])).storageHash;
}

export async function bookState(m: BookMarket, accounts: readonly string[]): Promise<BookState> {
  const [book, customers, bookEther, quota, ether] = await Promise.all([
    storageRoot(m.book.address),
    storageRoot(m.customers.address),
    etherOf(m.book.address).then(String),
    Promise.all(accounts.map((account) => m.carbon.getCustomerCarbonAmount(account).then(String))),
    Promise.all(accounts.map((account) => etherOf(account).then(String))),
  ]);
  return { accounts, roots: { book, customers }, bookEther, quota, ether };
}

/** Asserts nothing changed since `before` but the gas `tx` cost its sender. */
export async function expectBookUnchanged(m: BookMarket, before: BookState, tx: TruffleTransaction, sender: string, what: string): Promise<void> {
  const now = await bookState(m, before.accounts);
  const fee = await gasFee(tx);
  const i = before.accounts.indexOf(sender);
  if (i >= 0) now.ether[i] = (BigInt(now.ether[i]) + fee).toString();
  assert.deepEqual(now, before, `nothing changes after ${what} (but the sender's gas)`);
}

export { Operation, ZERO_ADDRESS };
