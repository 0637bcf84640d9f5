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
import { RefusedError, UsageError } from "../support/errors";
import { parseAmount, parseCarbonId, parsePassword, parsePrice, type AccountRef } from "../input/values";
import type { AbiItem, MarketCodec, RawLog } from "./abi";
import type { ContractName } from "./artifacts";
import type { Endpoint } from "./endpoint";
import { passwordDigest } from "./password";
import { NodeUnreachableError, RpcError, type Rpc } from "./rpc";
import type { Mined, Writer } from "./transactions";
import { hexQuantity } from "./signer";

export const ZERO_ADDRESS = "0x" + "0".repeat(40);
/** Rows per view call when a whole list is read. */
const PAGE = 100;
/** The most items one view call returns: a view's cost grows with its items. */
const CHUNK = 100;
/** The most rows one page may ask for. */
export const MAX_PAGE = 1_000;
/** Blocks in the first eth_getLogs query: a busy account fills a page from the latest blocks alone. */
const LOG_SPAN = 1_000;
/** The widest query: what public providers commonly accept (10,000 blocks). */
const MAX_LOG_SPAN = 10_000;

/** The Activity event's operations, in the enum's order (contracts/Operation.sol). */
export const OPERATIONS = [
  "NewCustomer",
  "NewSeller",
  "SendCarbonToCustomer",
  "AddCarbon",
  "BuyCarbon",
  "SettleCarbon",
  "FreezeAccount",
  "UnfreezeAccount",
  // The compliance cycle (Compliance.sol)
  "OpenPeriod",
  "ClosePeriod",
  "AccreditVerifier",
  "RevokeVerifier",
  "AppointVerifier",
  "AcceptAppointment",
  "ReportEmissions",
  "ApproveReport",
  "RejectReport",
  "CorrectEmissions",
  "SurrenderCarbon",
  "EnforceCompliance",
  // The order book (OrderBook.sol)
  "PlaceBid",
  "PlaceAsk",
  "CancelOrder",
  "ExpireOrder",
  "Trade",
  "SetPriceBand",
  "HaltTrading",
  "ResumeTrading",
  // The compliance cycle's estimate, and the regulator's handover (Carbon.sol)
  "EstimateEmissions",
  "ProposeRegulator",
  "AcceptRegulator",
  // The order book's withdrawals and sweeps (OrderBook.sol)
  "Withdraw",
  "PruneLevel",
] as const;
export type Operation = (typeof OPERATIONS)[number];

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

export interface HistoryOptions {
  /** Rows on the page (1 to MAX_PAGE). */
  limit: number;
  /** The `next` of the previous page: rows strictly older than it. */
  before?: string;
}

/** Rows newest first; `next` is the cursor of the page after this one, absent on the last. */
export interface HistoryPage {
  records: ActivityRecord[];
  next?: string;
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
  /** Something the sender should know that the outcome does not say (shown under it, and in JSON). */
  warning?: string;
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
  /** The order an order-book operation is about (OrderBook's Activity carries it as `carbonId`). */
  orderId?: bigint;
  /** The price level a sweep (PruneLevel) cleared, wei a unit (carried as `carbonId` too). */
  price?: bigint;
  /** Quota moved, or the lot's price; wei for a withdrawal, orders for a sweep; 0 for registrations and freezes. */
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

/**
 * What a transaction is doing, for spinners and the printed hash: `sending` before it is signed,
 * `sent` once its hash is known (before waiting; `resumed` when it is an earlier identical
 * transaction found in the journal), `accepted` once the node has it, then `mined` or `failed`;
 * `queued` in between, once the write is in line for its account's nonce.
 */
export interface TransactionEvent {
  phase: "sending" | "queued" | "sent" | "accepted" | "mined" | "failed";
  method: string;
  txHash?: string;
  resumed?: boolean;
}

/** A transaction looked up by hash (`carbon tx`). */
export interface TransactionStatus {
  state: "mined" | "pending" | "unknown";
  txHash: string;
  block?: number;
  gasUsed?: number;
  /** Mined with status 0. */
  reverted?: boolean;
  /** The thesis's outcome, when it is one of the market's writes. */
  outcome?: Outcome;
}

/** A decoded event of one of the market's contracts, and where it is. */
export interface ContractEvent {
  name: string;
  args: Record<string, unknown>;
  block: number;
  txHash: string;
  logIndex: number;
}

/** How a write is sent: to which of the market's contracts, and what its outcome event is called. */
export interface SendOptions {
  /** Carbon unless a module's method. */
  contract?: ContractName;
  /** The outcome event `(sender, isSuccess, message)`; by default the method's name capitalised. */
  event?: string;
  /** Ether sent with the call, in wei. */
  value?: bigint;
  /** A gas limit for a method whose gas depends on an argument (gas.ts's fixed limit otherwise). */
  gas?: bigint;
}

export interface MarketParts {
  endpoint: Endpoint;
  codec: MarketCodec;
  abi: AbiItem[];
  contracts: { Carbon: string; Customer: string; Seller: string; Compliance: string; OrderBook: string };
  regulator: string;
  chainId: number;
  genesisHash: string;
  /** The account list, if connect already asked for it. */
  accounts?: Promise<string[]>;
  /** The deployment's block, if the deployment record knows it (used when the contract cannot say). */
  deployedAt?: number;
  /** A market taken on trust from the last connect (connect.ts connectEarly): whether the chain proved it. Nothing is signed before. */
  confirmed?: Promise<boolean>;
}

/** A write on a market taken on trust that the chain then did not prove (connectEarly): nothing was sent. */
export class UnconfirmedMarketError extends Error {
  constructor() {
    super("the market remembered from the last connect is not on this chain any more; connect afresh");
  }
}

export class Market {
  /** The node's URL (or network name), for messages. */
  readonly label: string;
  readonly contracts: MarketParts["contracts"];
  /** The regulator (Carbon.regulator, the deployer until handed over), who issues quota and freezes
   * accounts: read at connect; refreshRegulator() reads it again after a handover. */
  regulator: string;
  readonly chainId: number;
  readonly genesisHash: string;
  private readonly endpoint: Endpoint;
  private readonly codec: MarketCodec;
  private readonly abi: AbiItem[];
  private readonly moduleCodecs = new Map<ContractName, MarketCodec>();
  private accountList?: Promise<string[]>;
  private writerInstance?: Writer;
  private readonly watchers = new Set<(event: TransactionEvent) => void>();
  private firstBlock?: Promise<number>;
  private readonly knownRoles = new Set<string>();
  private unsoldIndex?: Promise<boolean>;
  /** The widest eth_getLogs range this node has not refused; halved whenever it refuses one. */
  private maxLogSpan = MAX_LOG_SPAN;
  /** The block the deployment record gives, for a market without deploymentBlock(). */
  private readonly deployedAt?: number;
  private readonly confirmed?: Promise<boolean>;

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
    this.deployedAt = parts.deployedAt;
    this.confirmed = parts.confirmed;
  }

  /** Before anything is signed: a market taken on trust must have been proved by the chain. */
  private async requireConfirmed(): Promise<void> {
    if (this.confirmed && !(await this.confirmed)) throw new UnconfirmedMarketError();
  }

  /** The node's JSON-RPC, for what belongs to no contract: a development chain's clock (commands/time-advance.ts). */
  get rpc(): Rpc {
    return this.endpoint.rpc;
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

  // ---------------------------------------------------------------- history

  /** The first block of the market: history is never read from before it. */
  deploymentBlock(): Promise<number> {
    return (this.firstBlock ??= (async () => {
      try {
        const [block] = await this.view<[string]>("deploymentBlock");
        return Number(block);
      } catch (error) {
        if (error instanceof NodeUnreachableError) throw error;
        return this.deployedAt ?? 0; // a market deployed before deploymentBlock() existed
      }
    })());
  }

  /**
   * A page of the account's history, newest first: every Activity naming it as the account or the
   * counterparty, `limit` rows from before `before` (a cursor from the previous page's `next`).
   * `next` is absent on the last page.
   */
  async activityPage(account: string, options: HistoryOptions): Promise<HistoryPage> {
    const topic = this.codec.topic(account);
    const activity = this.codec.eventTopic("Activity");
    // Whether an account has no history at all is remembered (history-cache.ts): proving it again
    // reads only the blocks mined since.
    return this.history([[activity, topic], [activity, null, topic]], options, account.toLowerCase(), undefined, `activity:${account.toLowerCase()}`);
  }

  /** A page of successful purchases, newest first. */
  async tradesPage(options: HistoryOptions): Promise<HistoryPage> {
    const topics = [this.codec.eventTopic("Activity"), null, null, this.codec.topic(OPERATIONS.indexOf("BuyCarbon"))];
    // isSuccess is in the log's data: failed purchases are dropped before receipts are fetched.
    return this.history([topics], options, undefined, (log) => this.codec.decodeLog(log)?.args.isSuccess === true);
  }

  /** The account's whole history, oldest first (all pages: prefer activityPage). */
  async activity(account: string): Promise<ActivityRecord[]> {
    const records: ActivityRecord[] = [];
    let before: string | undefined;
    do {
      const page = await this.activityPage(account, { limit: 500, before });
      records.push(...page.records);
      before = page.next;
    } while (before);
    return records.reverse();
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

  // ---------------------------------------------------------------- the market's contracts, for module clients

  /** The codec of one of the market's contracts (a module's artifact is read on first use). */
  codecOf(contract: ContractName): MarketCodec {
    if (contract === "Carbon") return this.codec;
    let codec = this.moduleCodecs.get(contract);
    if (!codec) {
      const { contractArtifact } = require("./artifacts") as typeof import("./artifacts");
      const { MarketCodec: Codec } = require("./abi") as typeof import("./abi");
      const artifact = contractArtifact(contract);
      this.moduleCodecs.set(contract, (codec = new Codec(artifact.abi, artifact.hashes)));
    }
    return codec;
  }

  /** A view of one of the market's contracts, decoded: what the module clients (compliance.ts, order-book.ts) read with. */
  read<T extends unknown[]>(contract: ContractName, name: string, args: unknown[] = []): Promise<T> {
    return this.view<T>(name, args, contract);
  }

  /**
   * A write to one of the market's contracts through the same path as the thesis's methods (fixed gas,
   * local signing, the pending journal, the outcome event read from the receipt). The caller checks
   * sender and arguments first (requireSelf, requireRegulator, requireSigner): a UsageError before
   * anything is sent.
   */
  write(method: string, args: unknown[], from: string, options: SendOptions): Promise<Outcome> {
    return this.send(method, args, from, options);
  }

  /**
   * One contract's events of one kind from `fromBlock` to `toBlock` (inclusive), decoded, oldest
   * first: what order-book.ts reads trades and new orders with. `topics` filter the indexed arguments
   * after the event's own topic (null for any). One eth_getLogs: the caller bounds the range.
   */
  async events(contract: ContractName, name: string, fromBlock: number, toBlock: number | "latest", topics: Array<string | null> = []): Promise<ContractEvent[]> {
    const codec = this.codecOf(contract);
    const logs = await this.endpoint.rpc.request<RawLog[]>("eth_getLogs", [
      { address: this.contracts[contract], fromBlock: hex(fromBlock), toBlock: toBlock === "latest" ? toBlock : hex(toBlock), topics: [codec.eventTopic(name), ...topics] },
    ]);
    return logs.map((log) => ({ ...codec.decodeLog(log)!, block: Number(log.blockNumber), txHash: log.transactionHash, logIndex: Number(log.logIndex) }));
  }

  /** One contract's events in a mined transaction, decoded, in order (e.g. the order ID a placeBid got). */
  async transactionEvents(txHash: string, contract: ContractName): Promise<ContractEvent[]> {
    const receipt = await this.endpoint.rpc.request<{ logs: RawLog[] } | null>("eth_getTransactionReceipt", [txHash]);
    const codec = this.codecOf(contract);
    return (receipt?.logs ?? [])
      .filter((log) => log.address.toLowerCase() === this.contracts[contract])
      .map((log) => ({ ...codec.decodeLog(log)!, block: Number(log.blockNumber), txHash: log.transactionHash, logIndex: Number(log.logIndex) }))
      .filter((event) => event.name !== undefined);
  }

  /** The latest block's number. */
  blockNumber(): Promise<number> {
    return this.headBlock();
  }

  /** A block's time (unix seconds). */
  async blockTime(block: number | "latest"): Promise<number> {
    const found = await this.endpoint.rpc.request<{ timestamp: string }>("eth_getBlockByNumber", [block === "latest" ? block : hex(block), false]);
    return Number(found.timestamp);
  }

  /** A key for the sender must be here: a wallet, CARBON_MNEMONIC, or the node's accounts. */
  async requireSigner(from: string): Promise<void> {
    await this.requireConfirmed();
    const writer = this.writer();
    if (!(await writer.canSend(from))) {
      throw new UsageError(`cannot send from ${from.toLowerCase()}: no key for it here${await this.noKeyHint()}`);
    }
    writer.prepare(from);
  }

  async requireSelf(from: string, account: string): Promise<void> {
    if (from.toLowerCase() !== account.toLowerCase()) throw new UsageError(`${from} cannot act for ${account}: only the account itself can`);
    await this.requireSigner(from);
  }

  /** Plain ether from `from` (a key here) to `to`: `carbon fund` where there is no class faucet. */
  async sendEther(to: string, wei: bigint, from: string): Promise<Mined> {
    await this.requireSigner(from);
    this.notify({ phase: "sending", method: "transfer" });
    try {
      const mined = await this.writer().send({ method: "transfer", to, data: "0x", from, value: wei }, { onHash: (txHash, resumed) => this.notify({ phase: "sent", method: "transfer", txHash, resumed }) });
      this.notify({ phase: "mined", method: "transfer", txHash: mined.txHash });
      if (!mined.status) throw new RefusedError(`the transfer to ${to} failed in ${mined.txHash} (block ${mined.block})`);
      return mined;
    } catch (error) {
      this.notify({ phase: "failed", method: "transfer" });
      throw error;
    }
  }

  /** Reads the regulator again (after a handover, Carbon.acceptRegulator) and returns it. */
  async refreshRegulator(): Promise<string> {
    const [regulator] = await this.view<[string]>("regulator");
    this.regulator = regulator.toLowerCase();
    return this.regulator;
  }

  /** The account proposed as the next regulator, undefined if none. */
  async pendingRegulator(): Promise<string | undefined> {
    const [pending] = await this.view<[string]>("pendingRegulator");
    return /^0x0{40}$/i.test(pending) ? undefined : pending.toLowerCase();
  }

  /**
   * The regulator proposes its successor (the zero address withdraws a proposal). ProposeRegulator:
   * "Handover proposed" / "Handover withdrawn" / "This account is frozen".
   */
  async proposeRegulator(proposed: string, from = this.regulator): Promise<Outcome> {
    if (proposed.toLowerCase() === this.regulator) throw new UsageError(`${proposed} is the regulator already`);
    await this.requireRegulator(from);
    return this.send("proposeRegulator", [proposed], from);
  }

  /** The proposed account accepts and becomes the regulator. AcceptRegulator: "You are the regulator" / "This account is frozen". */
  async acceptRegulator(from: string): Promise<Outcome> {
    const pending = await this.pendingRegulator();
    if (pending === undefined) throw new UsageError("no handover is proposed; the regulator proposes one with `carbon regulator propose <address>`");
    if (from.toLowerCase() !== pending) throw new UsageError(`${from} is not the proposed regulator (${pending}); only that account can accept`);
    await this.requireSigner(from);
    const outcome = await this.send("acceptRegulator", [], from);
    if (outcome.ok) await this.refreshRegulator();
    return outcome;
  }

  async requireRegulator(from: string): Promise<void> {
    if (from.toLowerCase() !== this.regulator) throw new UsageError(`${from} is not the regulator (${this.regulator}); only the regulator can do this`);
    await this.requireSigner(from);
  }

  async requireRole(account: string, role: "customer" | "seller"): Promise<void> {
    // A registration is never undone, so a role seen once is not asked for again by this Market
    // (a batch of purchases asks the node once, not once per purchase).
    const key = `${role}:${account.toLowerCase()}`;
    if (this.knownRoles.has(key)) return;
    const [registered] = await this.view<[boolean]>(role === "customer" ? "getCustomerPassword" : "getSellerPassword", [account]);
    if (!registered) throw new UsageError(`${account} is not a registered ${role}; register it with \`carbon register ${role} ${account}\``);
    this.knownRoles.add(key);
  }

  private writer(): Writer {
    if (!this.writerInstance) {
      const { Writer } = require("./transactions") as typeof import("./transactions");
      this.writerInstance = new Writer({
        rpc: this.endpoint.rpc,
        chainId: this.chainId,
        keys: this.endpoint.keys(this.endpoint.signsLocally ? undefined : this.accounts()),
        label: this.label,
        noKeyHint: () => this.noKeyHint(),
      });
    }
    return this.writerInstance;
  }

  /** Why no key was found, with what to do: a node without accounts needs CARBON_MNEMONIC. */
  private async noKeyHint(): Promise<string> {
    if (this.endpoint.hasMnemonic) return ` (it is not among CARBON_MNEMONIC's ${(await this.accounts()).length} addresses; see \`carbon accounts\`)`;
    const accounts = await this.accounts();
    if (accounts.length === 0) return `: the node at ${this.label} holds no accounts; sign with a key of your own (\`carbon wallet create\` or \`carbon wallet import\`), or set CARBON_MNEMONIC`;
    return ` (${this.label} holds no key for it; import yours with \`carbon wallet import\`, see \`carbon accounts\`, or set CARBON_MNEMONIC)`;
  }

  private async send(method: string, args: unknown[], from: string, options: SendOptions = {}): Promise<Outcome> {
    const contract = options.contract ?? "Carbon";
    const event = options.event ?? method[0].toUpperCase() + method.slice(1);
    const data = this.codecOf(contract).encodeCall(method, args);
    await this.requireConfirmed();
    this.notify({ phase: "sending", method });
    let mined: Mined;
    try {
      mined = await this.writer().send(
        { method, to: this.contracts[contract], data, from, ...(options.value ? { value: options.value } : {}), ...(options.gas ? { gas: options.gas } : {}) },
        {
          onHash: (txHash, resumed) => this.notify({ phase: "sent", method, txHash, resumed }),
          onAccepted: (txHash) => this.notify({ phase: "accepted", method, txHash }),
          onQueued: () => this.notify({ phase: "queued", method }),
        },
      );
    } catch (error) {
      this.notify({ phase: "failed", method });
      throw error;
    }
    this.notify({ phase: "mined", method, txHash: mined.txHash });
    if (!mined.status) throw await this.explainRevert(method, data, from, mined, contract, options);
    const outcome = this.outcomeOf(mined, event);
    if (!outcome) throw new RefusedError(`${method} was mined in ${mined.txHash} (block ${mined.block}) without a ${event} event: it is not a transaction of this market's ${method}`);
    return outcome;
  }

  /** The thesis's outcome event in a mined transaction, if it has one (from any of the market's contracts). */
  private outcomeOf(mined: Mined, event?: string): Outcome | undefined {
    for (const log of mined.logs) {
      const contract = this.contractAt(log.address);
      if (!contract) continue;
      const decoded = this.codecOf(contract).decodeLog(log);
      if (!decoded || !("isSuccess" in decoded.args) || !("message" in decoded.args) || (event && decoded.name !== event)) continue;
      return { ok: Boolean(decoded.args.isSuccess), message: String(decoded.args.message), event: decoded.name, txHash: mined.txHash, block: mined.block, gasUsed: mined.gasUsed };
    }
    return undefined;
  }

  /**
   * A transaction that reverted despite the checks (a race, another client): replayed as a call on
   * the state before its block to read the custom error, which is named (exit 1, with the hash).
   */
  private async explainRevert(method: string, data: string, from: string, mined: Mined, contract: ContractName = "Carbon", options: SendOptions = {}): Promise<Error> {
    const { gasLimit } = require("./gas") as typeof import("./gas");
    const where = `in ${mined.txHash} (block ${mined.block})`;
    const limit = options.gas ?? gasLimit(method);
    if (BigInt(mined.gasUsed) >= limit) {
      return new RefusedError(`${method} ran out of gas ${where} at its fixed limit of ${mined.gasUsed}: the limits in cli/chain/gas.ts are too low for this contract`);
    }
    let reason = "";
    try {
      await this.endpoint.rpc.request("eth_call", [{ from, to: this.contracts[contract], data, gas: hexQuantity(limit), ...(options.value ? { value: hexQuantity(options.value) } : {}) }, hexQuantity(BigInt(mined.block - 1))]);
    } catch (error) {
      const revert = revertData(error);
      const decoded = revert ? this.codecOf(contract).decodeError(revert) : undefined;
      if (decoded) reason = `: ${decoded.name}(${Object.values(decoded.args).map(String).join(", ")})`;
      else if (revert?.startsWith("0x4e487b71")) reason = `: Panic(0x${revert.slice(-2)})${revert.endsWith("11") ? ", an arithmetic overflow" : ""}`;
    }
    return new RefusedError(`the market reverted ${method} ${where}${reason}`);
  }

  // ---------------------------------------------------------------- transactions by hash (for `carbon tx`)

  /**
   * A transaction's state now: mined (with the market's outcome if it is one of its writes),
   * pending in the node's pool, or unknown to the node. Never waits.
   */
  async transactionStatus(hash: string): Promise<TransactionStatus> {
    const status = await this.writer().status(hash.toLowerCase());
    if (status.state !== "mined") return { state: status.state, txHash: hash.toLowerCase() };
    return this.minedStatus(status.mined);
  }

  /** Waits up to `timeoutMs` for a transaction to be mined; OutcomeUnknownError (exit 4) if it is not. */
  async waitForTransaction(hash: string, timeoutMs?: number): Promise<TransactionStatus> {
    return this.minedStatus(await this.writer().wait(hash.toLowerCase(), timeoutMs));
  }

  private minedStatus(mined: Mined): TransactionStatus {
    return { state: "mined", txHash: mined.txHash, block: mined.block, gasUsed: mined.gasUsed, reverted: !mined.status, outcome: this.outcomeOf(mined) };
  }

  private notify(event: TransactionEvent): void {
    for (const watcher of this.watchers) watcher(event);
  }

  private async view<T extends unknown[]>(name: string, args: unknown[] = [], contract: ContractName = "Carbon"): Promise<T> {
    const codec = this.codecOf(contract);
    const data = await this.endpoint.rpc.request<string>("eth_call", [{ to: this.contracts[contract], data: codec.encodeCall(name, args) }, "latest"]);
    return codec.decodeResult(name, data) as T;
  }

  /** Which of the market's contracts is at `address` (Carbon or a module), if any. */
  private contractAt(address: string): ContractName | undefined {
    const lower = address.toLowerCase();
    if (lower === this.contracts.Carbon) return "Carbon";
    if (lower === this.contracts.Compliance) return "Compliance";
    if (lower === this.contracts.OrderBook) return "OrderBook";
    return undefined;
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

  /**
   * Walks the chain backwards from `before` (or the head) to the deployment block in bounded
   * ranges, collecting the logs that match any of `filters`, until `limit` rows (and one more, to
   * know whether there is a next page) are found. The first range is small (a busy account's page
   * is in the latest blocks) and each empty-handed one is four times wider, up to MAX_LOG_SPAN; a
   * node that refuses a range as too large gets half of it, down to a single block, and that
   * narrower limit is kept for the queries after it.
   */
  private async history(filters: Array<Array<string | null>>, options: HistoryOptions, viewer?: string, keep: (log: RawLog) => boolean = () => true, cacheKey?: string): Promise<HistoryPage> {
    const limit = options.limit;
    checkPaging(0, limit);
    const cursor = options.before === undefined ? undefined : parseCursor(options.before);
    // `cacheKey`: the filters' matches are none up to a remembered block (history-cache.ts), if that
    // block is still the chain's; the head comes with its hash, to remember how far a scan proved it.
    const cache = cacheKey ? (require("./history-cache") as typeof import("./history-cache")) : undefined;
    const known = cache && cacheKey ? cache.emptyThrough(this.genesisHash, this.contracts.Carbon, cacheKey) : undefined;
    const [first, latest, knownBlock] = await Promise.all([
      this.deploymentBlock(),
      cache ? this.endpoint.rpc.request<{ number: string; hash: string }>("eth_getBlockByNumber", ["latest", false]) : this.headBlock().then((number) => ({ number: hex(number), hash: "" })),
      known ? this.endpoint.rpc.request<{ hash?: string } | null>("eth_getBlockByNumber", [hex(known.block), false]).catch(() => null) : undefined,
    ]);
    const head = Number(latest.number);
    const emptyBelow = known && knownBlock?.hash?.toLowerCase() === known.hash.toLowerCase() && known.block <= head ? known.block : undefined;
    if (known && emptyBelow === undefined) cache!.forgetEmptyThrough(this.genesisHash, this.contracts.Carbon, cacheKey!);
    let to = cursor ? Math.min(cursor.block, head) : head;
    const found: RawLog[] = [];
    let span = Math.min(LOG_SPAN, this.maxLogSpan);
    while (to >= first && found.length <= limit) {
      if (emptyBelow !== undefined && to <= emptyBelow) {
        to = first - 1; // nothing of it from the deployment block to here, as the chain still shows
        break;
      }
      const from = Math.max(first, emptyBelow !== undefined ? emptyBelow + 1 : first, to - span + 1);
      let logs: RawLog[];
      try {
        logs = (await Promise.all(filters.map((topics) => this.getLogs(from, to, topics)))).flat();
      } catch (error) {
        if (isRangeRefusal(error) && span > 1) {
          this.maxLogSpan = span = Math.max(1, Math.floor(span / 2));
          continue;
        }
        throw error;
      }
      span = Math.min(span * 4, this.maxLogSpan);
      const unique = new Map<string, RawLog>();
      for (const log of logs) if (keep(log) && (!cursor || before(log, cursor))) unique.set(`${log.transactionHash}:${log.logIndex}`, log);
      found.push(...[...unique.values()].sort(newestFirst));
      to = from - 1;
    }
    // Nothing found from the head down to the deployment block: remembered, up to the head.
    if (cache && !cursor && found.length === 0 && to < first && latest.hash) cache.rememberEmptyThrough(this.genesisHash, this.contracts.Carbon, cacheKey!, { block: head, hash: latest.hash.toLowerCase() });
    const shown = found.slice(0, limit);
    const more = found.length > limit || (to >= first && shown.length === limit);
    const last = shown[shown.length - 1];
    return { records: await this.records(shown, viewer), ...(more && last ? { next: `${Number(last.blockNumber)}:${Number(last.logIndex)}` } : {}) };
  }

  private async headBlock(): Promise<number> {
    return Number(await this.endpoint.rpc.request<string>("eth_blockNumber"));
  }

  private getLogs(from: number, to: number, topics: Array<string | null>): Promise<RawLog[]> {
    // Every contract of the market emits the same Activity event: one query reads them all.
    const address = [this.contracts.Carbon, this.contracts.Compliance, this.contracts.OrderBook].filter(Boolean);
    return this.endpoint.rpc.request<RawLog[]>("eth_getLogs", [{ address, fromBlock: hex(from), toBlock: hex(to), topics }]);
  }

  /** Activity logs as records, with each transaction's outcome message and each block's time. */
  private async records(logs: RawLog[], viewer?: string): Promise<ActivityRecord[]> {
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
      // The outcome event is the last one of this operation emitted before the Activity log.
      const emitter = this.contractAt(log.address) ?? "Carbon";
      const word = String(args.carbonId);
      const carbonId = emitter === "OrderBook" ? undefined : unpackCarbonId(word);
      const sweep = emitter === "OrderBook" && operation === "PruneLevel";
      const orderId = emitter === "OrderBook" && !sweep && BigInt(word) !== 0n ? BigInt(word) : undefined;
      const outcome = receiptOf.get(log.transactionHash)!.logs
        .filter((l) => Number(l.logIndex) < Number(log.logIndex) && l.address.toLowerCase() === log.address.toLowerCase())
        .map((l) => this.codecOf(emitter).decodeLog(l))
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
        ...(orderId === undefined ? {} : { orderId }),
        ...(sweep ? { price: BigInt(word) } : {}),
        amount: BigInt(String(args.amount)),
        ok: Boolean(args.isSuccess),
        // A Trade's event (buyer, seller, price, quantity) has no message.
        message: outcome && "message" in outcome.args ? String(outcome.args.message) : "",
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

function checkPaging(offset: number, limit: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new UsageError(`the offset must be a whole number from 0, not ${offset}`);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE * 1_000) throw new UsageError(`the limit must be a whole number from 1, not ${limit}`);
}

function hex(n: number): string {
  return "0x" + n.toString(16);
}

function newestFirst(a: RawLog, b: RawLog): number {
  return Number(b.blockNumber) - Number(a.blockNumber) || Number(b.logIndex) - Number(a.logIndex);
}

function parseCursor(cursor: string): { block: number; logIndex: number } {
  const match = /^(\d+):(\d+)$/.exec(cursor);
  if (!match) throw new UsageError(`"${cursor}" is not a history cursor (it looks like 1234:0, from a page's "next")`);
  return { block: Number(match[1]), logIndex: Number(match[2]) };
}

function before(log: RawLog, cursor: { block: number; logIndex: number }): boolean {
  const block = Number(log.blockNumber);
  return block < cursor.block || (block === cursor.block && Number(log.logIndex) < cursor.logIndex);
}

/** A node's refusal of an eth_getLogs range as too wide or too many results (each provider words it its own way). */
export function isRangeRefusal(error: unknown): boolean {
  if (!(error instanceof RpcError)) return false;
  return /range|too (many|large|big)|limit|exceed|max(imum)? .*(block|result)|query returned more than|response size/i.test(error.message);
}
