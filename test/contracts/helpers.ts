// What the contract tests share: the deployed market, chain snapshots, custom-error and outcome-event
// assertions, calls with raw (non-UTF-8) lot IDs, and a snapshot of the market's observable state for
// "a failure changes nothing".
import type BN from "bn.js";
import { batchAll } from "../support/rpc-batch";
import "./truffle-network-cache";

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
export const ZERO_BYTES32 = "0x" + "00".repeat(32);

/** Operation (contracts/Operation.sol), in the contract's order: Activity's `operation` topic. */
export enum Operation {
  NewCustomer,
  NewSeller,
  SendCarbonToCustomer,
  AddCarbon,
  BuyCarbon,
  SettleCarbon,
  FreezeAccount,
  UnfreezeAccount,
  OpenPeriod,
  ClosePeriod,
  AccreditVerifier,
  RevokeVerifier,
  AppointVerifier,
  AcceptAppointment,
  ReportEmissions,
  ApproveReport,
  RejectReport,
  CorrectEmissions,
  SurrenderCarbon,
  EnforceCompliance,
  PlaceBid,
  PlaceAsk,
  CancelOrder,
  ExpireOrder,
  Trade,
  SetPriceBand,
  HaltTrading,
  ResumeTrading,
  EstimateEmissions,
  ProposeRegulator,
  AcceptRegulator,
  Withdraw,
  PruneLevel,
  SetName,
}

export interface Market {
  carbon: CarbonInstance;
  customers: RegistryInstance;
  sellers: RegistryInstance;
}

/** The market the migration deployed (Truffle reverts to the migrated state before each `contract`). */
export async function deployedMarket(): Promise<Market> {
  const [carbon, customers, sellers] = await Promise.all([
    artifacts.require("Carbon").deployed(),
    artifacts.require("Customer").deployed(),
    artifacts.require("Seller").deployed(),
  ]);
  return { carbon, customers, sellers };
}

// ---------------------------------------------------------------- chain

interface Eip1193 {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
  host?: string;
}

/** Truffle wraps the HTTP provider with an EIP-1193 `request`. */
function provider(): Eip1193 {
  return web3.currentProvider as unknown as Eip1193;
}

export async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
  return (await provider().request({ method, params })) as T;
}

async function snapshot(): Promise<string> {
  return rpc<string>("evm_snapshot");
}

async function revert(id: string): Promise<void> {
  assert.isTrue(await rpc<boolean>("evm_revert", [id]), `the chain reverts to snapshot ${id}`);
}

/**
 * Isolates the enclosing `describe`: whatever its `before` hooks set up is undone after it, and each of
 * its tests starts from that setup and is undone after it, so tests neither depend on nor disturb one
 * another. Call it before the describe's own `before` hooks.
 */
export function isolate(): void {
  let suite: string;
  let test: string;
  before(async () => {
    suite = await snapshot();
  });
  after(async () => revert(suite));
  beforeEach(async () => {
    test = await snapshot();
  });
  afterEach(async () => revert(test));
}

/**
 * One view called with many argument lists in one JSON-RPC batch, decoded as web3 decodes it (numbers
 * as decimal strings, structs as objects keyed by field name). The property tests read the whole book
 * after every step; one call at a time through Truffle cost two thirds of their run.
 */
export async function viewBatch<T>(instance: { address: string; abi: readonly AbiFunction[] }, name: string, argsList: readonly unknown[][]): Promise<T[]> {
  const url = provider().host;
  if (!url) throw new Error("batched reads need Truffle's HTTP provider");
  if (argsList.length === 0) return [];
  const item = instance.abi.find((entry) => entry.type === "function" && entry.name === name && (entry.inputs ?? []).length === argsList[0].length);
  if (!item?.outputs) throw new Error(`${name} is no view of this contract`);
  const calls = argsList.map((args) => ({
    method: "eth_call",
    params: [{ to: instance.address, data: web3.eth.abi.encodeFunctionCall(item as never, args as never) }, "latest"],
  }));
  const outputs = item.outputs;
  return (await batchAll<string>(url, calls)).map((hex) => {
    const decoded = web3.eth.abi.decodeParameters(outputs as never, hex);
    return (outputs.length === 1 ? decoded[0] : decoded) as T;
  });
}

export interface RawTransaction {
  from: string;
  to: string;
  data: string;
  gas: number;
}

/**
 * Sends many transactions quickly and resolves with their hashes, in order. Ganache mines a block per
 * transaction by default, and each block adds database work that grows with the chain; so mining is
 * paused, `perBlock` transactions are sent in one JSON-RPC batch, and one `evm_mine` puts them all in a
 * block. `perBlock` must fit the block gas limit: it throws otherwise.
 */
export async function mineInBlocks(transactions: readonly RawTransaction[], perBlock: number): Promise<string[]> {
  const url = provider().host;
  if (!url) throw new Error("bulk sending needs Truffle's HTTP provider");
  const hashes: string[] = [];
  const toHex = (n: number): string => "0x" + n.toString(16);
  await rpc("miner_stop");
  try {
    for (let start = 0; start < transactions.length; start += perBlock) {
      const batch = transactions.slice(start, start + perBlock);
      const sent = await batchAll<string>(
        url,
        batch.map((tx) => ({ method: "eth_sendTransaction", params: [{ ...tx, gas: toHex(tx.gas) }] })),
      );
      await rpc("evm_mine");
      const block = await rpc<{ transactions: string[] }>("eth_getBlockByNumber", ["latest", false]);
      if (block.transactions.length !== batch.length) {
        throw new Error(`only ${block.transactions.length} of ${batch.length} transactions fit a block`);
      }
      hashes.push(...sent);
    }
  } finally {
    await rpc("miner_start");
  }
  return hashes;
}

/**
 * The gas a mined transaction spent executing, without the base fee and its call data: call data costs
 * 4 gas a zero byte and 16 a non-zero one, and addresses and digests differ in zero bytes, so two
 * transactions doing the same work can differ in gasUsed by a few dozen gas.
 */
export async function executionGas(hash: string): Promise<number> {
  const [transaction, receipt] = await Promise.all([web3.eth.getTransaction(hash), web3.eth.getTransactionReceipt(hash)]);
  assert.isTrue(receipt.status, `transaction ${hash} succeeded`);
  const data = Buffer.from(transaction.input.slice(2), "hex");
  const calldata = data.reduce((sum, byte) => sum + (byte === 0 ? 4 : 16), 0);
  return receipt.gasUsed - 21_000 - calldata;
}

// ---------------------------------------------------------------- reverts

/** The 4-byte selector of an error or function signature, e.g. "CarbonZeroAmount()". */
export function selector(signature: string): string {
  return web3.utils.keccak256(signature).slice(0, 10);
}

/**
 * The revert data of a failed call or send, where Ganache 7.9 and @truffle/contract 4.6 put it: a
 * send whose gas estimate reverts carries `data.result`; a call (`.call`, `web3.eth.call`) carries
 * `data` as a hex string. Undefined for anything else (a mined, failed transaction carries none).
 */
export function revertData(error: unknown): string | undefined {
  const data = (error as { data?: unknown } | undefined)?.data;
  if (typeof data === "string") return data;
  if (data && typeof data === "object" && typeof (data as { result?: unknown }).result === "string") {
    return (data as { result: string }).result;
  }
  return undefined;
}

function parameterTypes(signature: string): string[] {
  const inside = signature.slice(signature.indexOf("(") + 1, signature.lastIndexOf(")"));
  return inside === "" ? [] : inside.split(",");
}

function normalise(value: unknown): string {
  const text = String(value);
  return /^0x[0-9a-fA-F]{40}$/.test(text) ? text.toLowerCase() : text;
}

/**
 * Asserts that `action` reverts with the custom error `signature` (e.g.
 * "CarbonUnauthorizedAccount(address,address)") and, when given, these arguments.
 */
export async function expectCustomError(
  action: Promise<unknown>,
  signature: string,
  args?: readonly (string | number | bigint)[],
): Promise<void> {
  let error: unknown;
  try {
    await action;
  } catch (caught) {
    error = caught;
  }
  assert.isDefined(error, `expected a revert with ${signature}, but it succeeded`);
  const data = revertData(error);
  assert.isString(data, `expected revert data for ${signature}, got: ${(error as Error).message}`);
  assert.equal(data!.slice(0, 10), selector(signature), `revert data ${data} is ${signature}`);
  if (args) {
    const types = parameterTypes(signature);
    const decoded = web3.eth.abi.decodeParameters(types, "0x" + data!.slice(10));
    const actual = types.map((_, i) => normalise(decoded[i]));
    assert.deepEqual(actual, args.map(normalise), `${signature}'s arguments`);
  }
}

// ---------------------------------------------------------------- events

export interface Outcome {
  sender: string;
  isSuccess: boolean;
  message: string;
}

function onlyEvent(tx: TruffleTransaction, name: string): TruffleLog {
  const logs = tx.logs.filter((log) => log.event === name);
  assert.lengthOf(logs, 1, `one ${name} event (events: ${tx.logs.map((log) => log.event).join(", ") || "none"})`);
  return logs[0];
}

/** Asserts the transaction emitted exactly one `event` outcome event, with these fields. */
export function expectOutcome(tx: TruffleTransaction, event: string, expected: Outcome): void {
  assert.isTrue(tx.receipt.status, `the ${event} transaction succeeds`);
  const { args } = onlyEvent(tx, event);
  assert.equal(args.sender, expected.sender, `${event}.sender`);
  assert.equal(args.isSuccess, expected.isSuccess, `${event}.isSuccess (message: ${args.message})`);
  assert.equal(args.message, expected.message, `${event}.message`);
}

export interface ActivityFields {
  account: string;
  counterparty: string;
  operation: Operation;
  carbonId?: string;
  amount?: number | string;
  isSuccess: boolean;
}

/** Asserts the transaction emitted exactly one Activity event, with these fields (carbonId as text). */
export function expectActivity(tx: TruffleTransaction, expected: ActivityFields): void {
  const { args } = onlyEvent(tx, "Activity");
  assert.equal(args.account, expected.account, "Activity.account");
  assert.equal(args.counterparty, expected.counterparty, "Activity.counterparty");
  assert.equal(String(args.operation), String(expected.operation), "Activity.operation");
  assert.equal(args.carbonId, expected.carbonId === undefined ? ZERO_BYTES32 : packedId(expected.carbonId), "Activity.carbonId");
  assert.equal(String(args.amount), String(expected.amount ?? 0), "Activity.amount");
  assert.equal(args.isSuccess, expected.isSuccess, "Activity.isSuccess");
}

// ---------------------------------------------------------------- passwords

/**
 * A stand-in for the client's password digest (cli/chain/password.ts runs scrypt, too slow for many
 * registrations): any non-zero bytes32 is what the contract takes.
 */
export function digestOf(password: string): string {
  return web3.utils.keccak256(`digest of ${password}`);
}

// ---------------------------------------------------------------- lot IDs

/** The bytes32 key of a lot ID: its UTF-8 bytes, right-padded with zeros. */
export function packedId(id: string): string {
  const hex = Buffer.from(id, "utf8").toString("hex");
  return "0x" + hex.padEnd(64, "0");
}

function parameters(carbon: CarbonInstance, method: string): { signature: string; types: string[] } {
  const fn = carbon.abi.find((item) => item.type === "function" && item.name === method);
  if (!fn?.inputs) throw new Error(`Carbon has no function ${method}`);
  const types = fn.inputs.map((input) => input.type);
  return { signature: `${method}(${types.join(",")})`, types };
}

/** Call data for a Carbon method, for transactions sent without @truffle/contract. */
export function callData(carbon: CarbonInstance, method: string, args: readonly unknown[]): string {
  const { signature, types } = parameters(carbon, method);
  return selector(signature) + web3.eth.abi.encodeParameters(types, args as unknown[]).slice(2);
}

/**
 * Call data for a Carbon method whose `string` parameters are given as raw bytes (0x-hex), so tests can
 * send what web3 would never encode as text: invalid UTF-8. (Strings and bytes share an ABI encoding.)
 */
export function rawCallData(carbon: CarbonInstance, method: string, args: readonly unknown[]): string {
  const { signature, types } = parameters(carbon, method);
  const asBytes = types.map((type) => (type === "string" ? "bytes" : type));
  return selector(signature) + web3.eth.abi.encodeParameters(asBytes, args as unknown[]).slice(2);
}

/**
 * Asserts that a raw transaction reverts with `signature`: its eth_call gives the revert data, and
 * the mined transaction fails.
 */
export async function expectRawCustomError(
  transaction: { from: string; to: string; data: string },
  signature: string,
  args?: readonly (string | number | bigint)[],
): Promise<void> {
  await expectCustomError(web3.eth.call(transaction), signature, args);
  let failed = false;
  try {
    await web3.eth.sendTransaction({ ...transaction, gas: 1_000_000 });
  } catch (error) {
    failed = (error as { receipt?: { status: boolean } }).receipt?.status === false;
  }
  assert.isTrue(failed, `the mined transaction fails with ${signature}`);
}

// ---------------------------------------------------------------- state

export interface LotView {
  carbonId: string;
  price: string;
  seller: string;
  buyer: string;
}

interface AccountView {
  customerBalance: string;
  sellerBalance: string;
  customerPassword: [boolean, string];
  sellerPassword: [boolean, string];
  frozen: boolean;
}

/**
 * What a client can observe of the market for the accounts and lot IDs a test watches, and the roots
 * of the three contracts' storage tries: equal roots mean not one storage slot changed, which also
 * covers what the readable part does not list (the accounts' lot lists, the unwatched accounts).
 */
export interface MarketState {
  watched: { accounts: readonly string[]; ids: readonly string[] };
  storageRoots: { carbon: string; customers: string; sellers: string };
  issued: string;
  settled: string;
  counts: { customers: string; sellers: string; lots: string; unsold: string; frozen: string };
  lists: { customers: string[]; sellers: string[]; lots: LotView[]; unsold: LotView[]; frozen: string[] };
  accounts: Record<string, AccountView>;
  lots: Record<string, LotView>;
}

/** Listings are read up to this many entries: unit tests stay far below it. */
const PAGE = 100;

export function lotView(lot: LotResult): LotView {
  return { carbonId: lot.carbonId, price: String(lot.price), seller: lot.seller, buyer: lot.buyer };
}

const text = (value: BN): string => value.toString();

async function storageRoot(address: string): Promise<string> {
  return (await rpc<{ storageHash: string }>("eth_getProof", [address, [], "latest"])).storageHash;
}

async function accountView(carbon: CarbonInstance, account: string): Promise<AccountView> {
  const [customerBalance, sellerBalance, customerPassword, sellerPassword, frozen] = await Promise.all([
    carbon.getCustomerCarbonAmount(account).then(text),
    carbon.getSellerCarbonAmount(account).then(text),
    carbon.getCustomerPassword(account),
    carbon.getSellerPassword(account),
    carbon.isFrozen(account),
  ]);
  return {
    customerBalance,
    sellerBalance,
    customerPassword: [customerPassword[0], customerPassword[1]],
    sellerPassword: [sellerPassword[0], sellerPassword[1]],
    frozen,
  };
}

export async function marketState(
  { carbon, customers, sellers }: Market,
  accounts: readonly string[],
  ids: readonly string[] = [],
): Promise<MarketState> {
  const [roots, totals, counts, lists, accountViews, lotViews] = await Promise.all([
    Promise.all([storageRoot(carbon.address), storageRoot(customers.address), storageRoot(sellers.address)]),
    Promise.all([carbon.issuedCarbonAmount().then(text), carbon.settledCarbonAmount().then(text)]),
    Promise.all([
      carbon.getCustomerCount(),
      carbon.getSellerCount(),
      carbon.getCarbonCount(),
      carbon.getUnsoldCarbonCount(),
      carbon.getFrozenCount(),
    ]),
    Promise.all([
      carbon.getCustomers(0, PAGE),
      carbon.getSellers(0, PAGE),
      carbon.getCarbons(0, PAGE),
      carbon.getUnsoldCarbons(0, PAGE),
      carbon.getFrozenAccounts(0, PAGE),
    ]),
    Promise.all(accounts.map((account) => accountView(carbon, account))),
    Promise.all(ids.map((id) => carbon.getCarbon(id).then(lotView))),
  ]);
  return {
    watched: { accounts, ids },
    storageRoots: { carbon: roots[0], customers: roots[1], sellers: roots[2] },
    issued: totals[0],
    settled: totals[1],
    counts: {
      customers: text(counts[0]),
      sellers: text(counts[1]),
      lots: text(counts[2]),
      unsold: text(counts[3]),
      frozen: text(counts[4]),
    },
    lists: {
      customers: lists[0] as string[],
      sellers: lists[1] as string[],
      lots: (lists[2] as LotResult[]).map(lotView),
      unsold: (lists[3] as LotResult[]).map(lotView),
      frozen: lists[4] as string[],
    },
    accounts: Object.fromEntries(accounts.map((account, i) => [account, accountViews[i]])),
    lots: Object.fromEntries(ids.map((id, i) => [id, lotViews[i]])),
  };
}

/** Asserts that nothing `before` watched has changed. */
export async function expectStateUnchanged(market: Market, before: MarketState, after: string): Promise<void> {
  const now = await marketState(market, before.watched.accounts, before.watched.ids);
  assert.deepEqual(now, before, `the market's state is unchanged after ${after}`);
}
