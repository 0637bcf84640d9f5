// The market as the CLI, the interactive session, `npm start` and the walkthrough see it: one method
// per contract method and view, in plain values (addresses in lower case, quantities as bigint).
//
//   import { connect } from "./connect";
//   const market = await connect({ rpc: "http://127.0.0.1:8545" });
//   await market.newCustomer(address, "password");          // Outcome { ok, message, txHash, block, gasUsed }
//   await market.sendCarbonToCustomer(address, 100n);      // sent by the regulator unless `from` says otherwise
//   await market.customerCarbonAmount(address);             // 100n
//   market.close();
//
// Reads are eth_calls encoded by web3's ABI codec over the plain JSON-RPC client; writes go through
// @truffle/contract, loaded on the first write. Loading @truffle/contract takes ~1 s and web3.js
// ~0.4 s, against ~0.2 s for the codec, so a read never pays for the transaction machinery.
//
// Every write first refuses, with a UsageError (exit 2), what the contract would revert on: a sender
// whose key the endpoint does not hold, a wrong role, a malformed amount or ID. What is left are
// business outcomes: the thesis's event, successful or not, which the Outcome reports.
import { RefusedError, UsageError } from "../errors";
import { parseAmount, parseCarbonId, parsePassword, parsePrice, type AccountRef } from "../input";
import type { MarketCodec, RawLog } from "./abi";
import type { AbiItem } from "./artifacts";
import type { Endpoint } from "./endpoint";
import { passwordDigest } from "./password";
import type { TransactionSender } from "./transactions";

export const ZERO_ADDRESS = "0x" + "0".repeat(40);
const PAGE = 100;

/** The Activity event's operations, in the contract's enum order. */
export const OPERATIONS = [
  "NewCustomer",
  "NewSeller",
  "SendCarbonToCustomer",
  "AddCarbon",
  "BuyCarbon",
  "SettleCarbon",
  "FreezeAccount",
  "UnfreezeAccount",
] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface Lot {
  carbonId: string;
  price: bigint;
  seller: string;
  /** Undefined while the lot is for sale. */
  buyer?: string;
}

export interface Outcome {
  /** The thesis's isSuccess. */
  ok: boolean;
  /** The thesis's message, e.g. "Buy successfully". */
  message: string;
  /** The outcome event's name, e.g. "BuyCarbon". */
  event: string;
  txHash: string;
  block: number;
  gasUsed: number;
}

export interface Roles {
  regulator: boolean;
  customer: boolean;
  seller: boolean;
  frozen: boolean;
}

/** One line of an account's history, from the Activity event and the outcome event beside it. */
export interface ActivityRecord {
  /** Unix seconds of the block. */
  time: number;
  block: number;
  txHash: string;
  operation: Operation;
  /** The account the operation was for (Activity's `account`). */
  account: string;
  /** The other side, as seen from the account asked about; undefined when there is none. */
  counterparty?: string;
  carbonId?: string;
  /** Quota moved, or the lot's price; 0 for registrations and freezes. */
  amount: bigint;
  ok: boolean;
  message: string;
}

export interface Totals {
  issued: bigint;
  settled: bigint;
  customers: number;
  sellers: number;
  lots: number;
  frozen: number;
}

/** What a transaction is doing, for spinners: `sending` before it is sent, then `mined` or `failed`. */
export interface TransactionEvent {
  phase: "sending" | "mined" | "failed";
  method: string;
}

export interface MarketParts {
  endpoint: Endpoint;
  codec: MarketCodec;
  abi: AbiItem[];
  contracts: { Carbon: string; Customer: string; Seller: string };
  regulator: string;
  chainId: number;
  genesisHash: string;
  /** The account list, if connect already asked for it. */
  accounts?: Promise<string[]>;
}

export class Market {
  /** The node's URL (or network name), for messages. */
  readonly label: string;
  readonly contracts: MarketParts["contracts"];
  /** The deployer, who issues quota and freezes accounts. */
  readonly regulator: string;
  readonly chainId: number;
  readonly genesisHash: string;
  private readonly endpoint: Endpoint;
  private readonly codec: MarketCodec;
  private readonly abi: AbiItem[];
  private accountList?: Promise<string[]>;
  private sender?: TransactionSender;
  private readonly watchers = new Set<(event: TransactionEvent) => void>();

  constructor(parts: MarketParts) {
    this.endpoint = parts.endpoint;
    this.codec = parts.codec;
    this.abi = parts.abi;
    this.contracts = parts.contracts;
    this.regulator = parts.regulator;
    this.chainId = parts.chainId;
    this.genesisHash = parts.genesisHash;
    this.label = parts.endpoint.label;
    this.accountList = parts.accounts;
  }

  /** Stops the wallet's polling, if a mnemonic wallet was opened, so the process can exit. */
  close(): void {
    this.endpoint.close();
  }

  /** Calls `listener` as each transaction is sent and mined; returns the function that stops it. */
  watch(listener: (event: TransactionEvent) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  // ---------------------------------------------------------------- accounts

  /** The accounts that can send: the node's unlocked accounts, or the mnemonic wallet's. Indices refer to this list. */
  accounts(): Promise<string[]> {
    return (this.accountList ??= this.endpoint.accounts());
  }

  /** An address or an account index as an address; an index past the list is a UsageError. */
  async resolve(ref: AccountRef | string, what = "account"): Promise<string> {
    if (typeof ref === "string") return ref.toLowerCase();
    if ("address" in ref) return ref.address.toLowerCase();
    const accounts = await this.accounts();
    const address = accounts[ref.index];
    if (!address) {
      const range = accounts.length ? `0 to ${accounts.length - 1}` : "none: it holds no unlocked accounts";
      throw new UsageError(`${what} index ${ref.index} is unknown: the node's accounts are ${range}`);
    }
    return address;
  }

  async roles(account: string): Promise<Roles> {
    const [customer, seller, frozen] = await Promise.all([
      this.view<[boolean]>("getCustomerPassword", [account]),
      this.view<[boolean]>("getSellerPassword", [account]),
      this.isFrozen(account),
    ]);
    return { regulator: account.toLowerCase() === this.regulator, customer: customer[0], seller: seller[0], frozen };
  }

  /** Which roles `password` opens for `account`: compared on chain with the stored salted hashes. */
  async checkPassword(account: string, password: string): Promise<{ customer: boolean; seller: boolean; registered: { customer: boolean; seller: boolean } }> {
    const digest = passwordDigest(account, password);
    const [[hashed], [customer, customerHash], [seller, sellerHash]] = await Promise.all([
      this.view<[string]>("passwordHashOf", [account, digest]),
      this.view<[boolean, string]>("getCustomerPassword", [account]),
      this.view<[boolean, string]>("getSellerPassword", [account]),
    ]);
    return {
      customer: customer && customerHash === hashed,
      seller: seller && sellerHash === hashed,
      registered: { customer, seller },
    };
  }

  async etherBalance(account: string): Promise<bigint> {
    return BigInt(await this.endpoint.rpc.request<string>("eth_getBalance", [account, "latest"]));
  }

  // ---------------------------------------------------------------- views

  async customerCarbonAmount(account: string): Promise<bigint> {
    return BigInt((await this.view<[string]>("getCustomerCarbonAmount", [account]))[0]);
  }

  async sellerCarbonAmount(account: string): Promise<bigint> {
    return BigInt((await this.view<[string]>("getSellerCarbonAmount", [account]))[0]);
  }

  async isFrozen(account: string): Promise<boolean> {
    return (await this.view<[boolean]>("isFrozen", [account]))[0];
  }

  /** One lot, or undefined if no lot has this ID. */
  async lot(carbonId: string): Promise<Lot | undefined> {
    const [raw] = await this.view<[RawLot]>("getCarbon", [parseCarbonId(carbonId)]);
    const lot = toLot(raw);
    return lot.seller === ZERO_ADDRESS ? undefined : lot;
  }

  /** Every lot in publication order, or the lots one seller published or one customer bought. */
  async lots(filter: { seller?: string; customer?: string } = {}): Promise<Lot[]> {
    if (filter.seller) {
      return this.pages("getSellerCarbonCount", "getSellerCarbons", [filter.seller], (raw: RawLot) => toLot(raw));
    }
    if (filter.customer) {
      return this.pages("getCustomerCarbonCount", "getCustomerCarbons", [filter.customer], (raw: RawLot) => toLot(raw));
    }
    return this.pages("getCarbonCount", "getCarbons", [], (raw: RawLot) => toLot(raw));
  }

  async customers(): Promise<string[]> {
    return this.pages("getCustomerCount", "getCustomers", [], (a: string) => a.toLowerCase());
  }

  async sellers(): Promise<string[]> {
    return this.pages("getSellerCount", "getSellers", [], (a: string) => a.toLowerCase());
  }

  async frozenAccounts(): Promise<string[]> {
    return this.pages("getFrozenCount", "getFrozenAccounts", [], (a: string) => a.toLowerCase());
  }

  async totals(): Promise<Totals> {
    const names = ["issuedCarbonAmount", "settledCarbonAmount", "getCustomerCount", "getSellerCount", "getCarbonCount", "getFrozenCount"];
    const [issued, settled, customers, sellers, lots, frozen] = await Promise.all(names.map(async (name) => BigInt((await this.view<[string]>(name))[0])));
    return { issued, settled, customers: Number(customers), sellers: Number(sellers), lots: Number(lots), frozen: Number(frozen) };
  }

  // ---------------------------------------------------------------- history

  /** The account's history, oldest first: every Activity naming it as the account or the counterparty. */
  async activity(account: string): Promise<ActivityRecord[]> {
    const topic = this.codec.topic(account);
    const activity = this.codec.eventTopic("Activity");
    const [mine, theirs] = await Promise.all([this.logs([activity, topic]), this.logs([activity, null, topic])]);
    const unique = new Map<string, RawLog>();
    for (const log of [...mine, ...theirs]) unique.set(`${log.transactionHash}:${log.logIndex}`, log);
    return this.records([...unique.values()], account.toLowerCase());
  }

  /** The latest successful purchases, oldest first. */
  async trades(limit = 5): Promise<ActivityRecord[]> {
    const logs = await this.logs([this.codec.eventTopic("Activity"), null, null, this.codec.topic(OPERATIONS.indexOf("BuyCarbon"))]);
    // isSuccess is in the log's data: filter before fetching receipts and blocks for the few kept.
    const successful = logs.filter((log) => this.codec.decodeLog(log)?.args.isSuccess === true);
    return this.records(successful.slice(-limit));
  }

  // ---------------------------------------------------------------- transactions

  /** Registers `account` as a customer; sent by the account itself (nobody registers anybody else). */
  async newCustomer(account: string, password: string): Promise<Outcome> {
    return this.register("newCustomer", account, password);
  }

  /** Registers `account` as a seller; sent by the account itself (nobody registers anybody else). */
  async newSeller(account: string, password: string): Promise<Outcome> {
    return this.register("newSeller", account, password);
  }

  /** The regulator issues `amount` of quota to a customer. */
  async sendCarbonToCustomer(customer: string, amount: bigint, from = this.regulator): Promise<Outcome> {
    checkAmount(amount, "amount");
    await this.requireRegulator(from);
    return this.send("sendCarbonToCustomer", [customer, amount.toString()], from);
  }

  /** A seller publishes the lot `carbonId` at `price`. */
  async addCarbon(seller: string, rawCarbonId: string, price: bigint, from = seller): Promise<Outcome> {
    const carbonId = parseCarbonId(rawCarbonId);
    parsePrice(price.toString());
    await this.requireSelf(from, seller);
    await this.requireRole(seller, "seller");
    return this.send("addCarbon", [seller, carbonId, price.toString()], from);
  }

  /** A customer buys the lot `carbonId` for its price. */
  async buyCarbon(customer: string, rawCarbonId: string, from = customer): Promise<Outcome> {
    const carbonId = parseCarbonId(rawCarbonId);
    await this.requireSelf(from, customer);
    await this.requireRole(customer, "customer");
    return this.send("buyCarbon", [customer, carbonId], from);
  }

  /** A seller settles `amount` of its proceeds with the authority. */
  async settleCarbon(seller: string, amount: bigint, from = seller): Promise<Outcome> {
    checkAmount(amount, "amount");
    await this.requireSelf(from, seller);
    await this.requireRole(seller, "seller");
    return this.send("settleCarbon", [seller, amount.toString()], from);
  }

  async freezeAccount(account: string, from = this.regulator): Promise<Outcome> {
    if (account.toLowerCase() === this.regulator) throw new UsageError("the regulator cannot be frozen");
    await this.requireRegulator(from);
    return this.send("freezeAccount", [account], from);
  }

  async unfreezeAccount(account: string, from = this.regulator): Promise<Outcome> {
    await this.requireRegulator(from);
    return this.send("unfreezeAccount", [account], from);
  }

  // ---------------------------------------------------------------- internal

  private async register(method: "newCustomer" | "newSeller", account: string, password: string): Promise<Outcome> {
    parsePassword(password);
    await this.requireSigner(account);
    // The password never leaves the client: the contract receives a salted, slow digest of it (bytes32).
    return this.send(method, [account, passwordDigest(account, password)], account);
  }

  /** The endpoint must hold the sender's key: the node's unlocked accounts, or the wallet's. */
  private async requireSigner(from: string): Promise<void> {
    if (!(await this.accounts()).includes(from.toLowerCase())) {
      throw new UsageError(`cannot send from ${from}: ${this.label} holds no key for it (see \`carbon accounts\`)`);
    }
  }

  private async requireSelf(from: string, account: string): Promise<void> {
    if (from.toLowerCase() !== account.toLowerCase()) throw new UsageError(`${from} cannot act for ${account}: only the account itself can`);
    await this.requireSigner(from);
  }

  private async requireRegulator(from: string): Promise<void> {
    if (from.toLowerCase() !== this.regulator) throw new UsageError(`${from} is not the regulator (${this.regulator}); only the regulator can do this`);
    await this.requireSigner(from);
  }

  private async requireRole(account: string, role: "customer" | "seller"): Promise<void> {
    const [registered] = await this.view<[boolean]>(role === "customer" ? "getCustomerPassword" : "getSellerPassword", [account]);
    if (!registered) throw new UsageError(`${account} is not a registered ${role}; register it with \`carbon register ${role} ${account}\``);
  }

  private async send(method: string, args: unknown[], from: string): Promise<Outcome> {
    if (!this.sender) {
      const { TransactionSender } = require("./transactions") as typeof import("./transactions");
      this.sender = new TransactionSender(this.endpoint.provider(), this.abi, this.contracts.Carbon);
    }
    const event = method[0].toUpperCase() + method.slice(1);
    let sent;
    this.notify({ phase: "sending", method });
    try {
      sent = await this.sender.send(method, args, from.toLowerCase());
    } catch (error) {
      this.notify({ phase: "failed", method });
      throw this.explainFailure(error, method);
    }
    this.notify({ phase: "mined", method });
    const outcome = sent.events.find((e) => e.event === event);
    if (!outcome) throw new Error(`${method} was mined in ${sent.txHash} without a ${event} event`);
    return { ok: Boolean(outcome.args.isSuccess), message: String(outcome.args.message), event, txHash: sent.txHash, block: sent.block, gasUsed: sent.gasUsed };
  }

  private notify(event: TransactionEvent): void {
    for (const watcher of this.watchers) watcher(event);
  }

  /** A transaction that reverted despite the checks (a race, another client): name the custom error. */
  private explainFailure(error: unknown, method: string): unknown {
    const data = revertData(error);
    const decoded = data ? this.codec.decodeError(data) : undefined;
    if (decoded) {
      const args = Object.values(decoded.args).map(String).join(", ");
      return new RefusedError(`the market reverted ${method}: ${decoded.name}(${args})`);
    }
    const message = (error as Error)?.message ?? String(error);
    if (/ECONNREFUSED|connection error|CONNECTION ERROR|Invalid JSON RPC response/i.test(message)) {
      const { NodeUnreachableError } = require("./rpc") as typeof import("./rpc");
      return new NodeUnreachableError(this.label, message.split("\n")[0]);
    }
    return error;
  }

  private async view<T extends unknown[]>(name: string, args: unknown[] = []): Promise<T> {
    const data = await this.endpoint.rpc.request<string>("eth_call", [{ to: this.contracts.Carbon, data: this.codec.encodeCall(name, args) }, "latest"]);
    return this.codec.decodeResult(name, data) as T;
  }

  private async pages<Raw, T>(countView: string, pageView: string, args: unknown[], map: (raw: Raw) => T): Promise<T[]> {
    const count = Number((await this.view<[string]>(countView, args))[0]);
    const offsets = Array.from({ length: Math.ceil(count / PAGE) }, (_, i) => i * PAGE);
    const pages = await Promise.all(offsets.map((offset) => this.view<[Raw[]]>(pageView, [...args, offset, PAGE])));
    return pages.flatMap(([page]) => page.map(map));
  }

  private logs(topics: Array<string | null>): Promise<RawLog[]> {
    return this.endpoint.rpc.request<RawLog[]>("eth_getLogs", [{ address: this.contracts.Carbon, fromBlock: "0x0", toBlock: "latest", topics }]);
  }

  /** Activity logs as records, with each transaction's outcome message and each block's time. */
  private async records(logs: RawLog[], viewer?: string): Promise<ActivityRecord[]> {
    logs.sort((a, b) => Number(a.blockNumber) - Number(b.blockNumber) || Number(a.logIndex) - Number(b.logIndex));
    const rpc = this.endpoint.rpc;
    const transactions = [...new Set(logs.map((log) => log.transactionHash))];
    const blocks = [...new Set(logs.map((log) => log.blockNumber))];
    const [receipts, times] = await Promise.all([
      Promise.all(transactions.map((hash) => rpc.request<{ logs: RawLog[] }>("eth_getTransactionReceipt", [hash]))),
      Promise.all(blocks.map((number) => rpc.request<{ timestamp: string }>("eth_getBlockByNumber", [number, false]))),
    ]);
    const receiptOf = new Map(transactions.map((hash, i) => [hash, receipts[i]]));
    const timeOf = new Map(blocks.map((number, i) => [number, Number(times[i].timestamp)]));

    return logs.map((log) => {
      const { args } = this.codec.decodeLog(log)!;
      const operation = OPERATIONS[Number(args.operation)];
      const account = String(args.account).toLowerCase();
      const other = String(args.counterparty).toLowerCase();
      const counterparty = viewer && viewer !== account ? account : other;
      const carbonId = unpackCarbonId(String(args.carbonId));
      // The outcome event is the last one of this operation emitted before the Activity log.
      const outcome = receiptOf.get(log.transactionHash)!.logs
        .filter((l) => Number(l.logIndex) < Number(log.logIndex) && l.address.toLowerCase() === this.contracts.Carbon)
        .map((l) => this.codec.decodeLog(l))
        .filter((decoded) => decoded?.name === operation)
        .pop();
      return {
        time: timeOf.get(log.blockNumber)!,
        block: Number(log.blockNumber),
        txHash: log.transactionHash,
        operation,
        account,
        counterparty: counterparty === ZERO_ADDRESS ? undefined : counterparty,
        carbonId,
        amount: BigInt(String(args.amount)),
        ok: Boolean(args.isSuccess),
        message: outcome ? String(outcome.args.message) : "",
      };
    });
  }
}

type RawLot = { carbonId: string; price: string; seller: string; buyer: string };

function toLot(raw: RawLot): Lot {
  const buyer = raw.buyer.toLowerCase();
  return { carbonId: raw.carbonId, price: BigInt(raw.price), seller: raw.seller.toLowerCase(), ...(buyer === ZERO_ADDRESS ? {} : { buyer }) };
}

/** CarbonId.unpack: the ID ends where the zero padding starts; undefined for no ID. */
function unpackCarbonId(word: string): string | undefined {
  const bytes = Buffer.from(word.replace(/^0x/, ""), "hex");
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end === 0 ? undefined : bytes.subarray(0, end).toString("utf8");
}

function checkAmount(value: bigint, what: string): void {
  parseAmount(value.toString(), what);
}

/** The revert data inside whatever web3 or @truffle/contract threw, if any. */
function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const search = (value: unknown, depth: number): string | undefined => {
    if (depth > 5 || value === null || value === undefined || seen.has(value)) return undefined;
    if (typeof value === "string") return /^0x[0-9a-fA-F]{8}/.test(value) && value.length % 2 === 0 && value.length < 4000 ? value : undefined;
    if (typeof value !== "object") return undefined;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of ["data", "result", "return", "error", "originalError", "innerError", "cause"]) {
      const found = search(record[key], depth + 1);
      if (found) return found;
    }
    if (typeof record.message === "string") {
      const match = /0x[0-9a-fA-F]{8,}/.exec(record.message);
      if (match && match[0].length !== 66) return match[0];
    }
    return undefined;
  };
  return search(error, 0);
}
