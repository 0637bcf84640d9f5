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
// whose key the endpoint does not hold, a wrong role, a malformed amount or ID. It also refuses, with
// the numbers, the business refusals it can foresee from a few reads (a lot that does not exist or is
// sold, a balance too small, a cap that would be passed, a freeze already in place), so that nobody
// pays gas to be told no. What is left are the thesis's events, successful or not, which the Outcome
// reports; `{ precheck: false }` sends without the foreseeing, for a walkthrough that shows the
// contract's own refusal on purpose.
// Market is the one object the rest of the CLI holds; the contracts' reads (market-contracts.ts),
// the lists, the history and the path of a write are classes of their own that it hands out to.
import { UnavailableError, UsageError } from "../support/errors";
import { formatUtc } from "../input/time";
import { parseAmount, parseCarbonId, parsePassword, parsePrice, type AccountRef } from "../input/values";
import { parseAccountName } from "../input/account-name";
import type { AbiItem, MarketCodec } from "./abi";
import { AccountNames } from "./account-names";
import { ActivityHistory, type ActivityRecord, type HistoryOptions, type HistoryPage } from "./activity-history";
import type { ContractName } from "./artifacts";
import type { Endpoint } from "./endpoint";
import { ContractReader, type ContractEvent, type ContractView, type MarketContracts } from "./market-contracts";
import { MarketLists, type AccountPage, type Lot, type LotFilter, type LotPage, type Totals } from "./market-lists";
import { MarketSender, type SendOptions } from "./market-sender";
import type { Outcome, TransactionEvent, TransactionStatus } from "./outcome";
import { passwordDigest } from "./password";
import type { Rpc } from "./rpc";
import { issuingRoom } from "./issuing-room";
import { hexQuantity } from "./signer";
import type { Mined } from "./transactions";

export interface MarketParts {
  endpoint: Endpoint;
  codec: MarketCodec;
  abi: AbiItem[];
  contracts: MarketContracts;
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

/** How a write is checked before it is sent. */
export interface WriteChecks {
  /** false: skip the checks that foresee the contract's business refusals, so that the contract's own message is mined (the walkthrough shows one on purpose). */
  precheck?: boolean;
}

export interface Roles {
  regulator: boolean;
  customer: boolean;
  seller: boolean;
  frozen: boolean;
}

export class Market {
  /** The node's URL (or network name), for messages. */
  readonly label: string;
  readonly contracts: MarketContracts;
  /** The regulator (Carbon.regulator, the deployer until handed over), who issues quota and freezes
   * accounts: read at connect; refreshRegulator() reads it again after a handover. */
  regulator: string;
  readonly chainId: number;
  readonly genesisHash: string;
  private readonly endpoint: Endpoint;
  private readonly reader: ContractReader;
  private accountList?: Promise<string[]>;
  private readonly knownRoles = new Set<string>();
  private readonly lists: MarketLists;
  private readonly history: ActivityHistory;
  private readonly sender: MarketSender;
  /** The accounts' display names, read a list at a time (account-names.ts). */
  readonly names: AccountNames;

  constructor(parts: MarketParts) {
    this.endpoint = parts.endpoint;
    this.contracts = parts.contracts;
    this.regulator = parts.regulator;
    this.chainId = parts.chainId;
    this.genesisHash = parts.genesisHash;
    this.label = parts.endpoint.label;
    this.accountList = parts.accounts;
    const reader = new ContractReader(parts.endpoint.rpc, parts.contracts, parts.codec);
    this.reader = reader;
    const view: ContractView = (name, args, contract) => reader.view(name, args, contract);
    const codecOf = (contract: ContractName) => reader.codecOf(contract);
    this.lists = new MarketLists(view, parts.abi);
    this.names = new AccountNames(view);
    this.history = new ActivityHistory({ rpc: parts.endpoint.rpc, codec: parts.codec, codecOf, contracts: parts.contracts, genesisHash: parts.genesisHash, view, deployedAt: parts.deployedAt });
    this.sender = new MarketSender({ endpoint: parts.endpoint, chainId: parts.chainId, label: this.label, contracts: parts.contracts, codecOf, accounts: () => this.accounts(), confirmed: parts.confirmed });
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
    return this.sender.watch(listener);
  }

  // ---------------------------------------------------------------- accounts

  /** The accounts that can send: the node's unlocked accounts, or the mnemonic wallet's. Indices refer to this list. */
  accounts(): Promise<string[]> {
    // A failure is not kept: the list is asked for again once the node is back.
    return (this.accountList ??= this.endpoint.accounts().catch((error) => {
      this.accountList = undefined;
      throw error;
    }));
  }

  /**
   * An address, an account index, or a name (the market's or a wallet's) as an address; an index
   * past the list, or a name that names nobody (or two accounts), is a UsageError.
   */
  async resolve(ref: AccountRef | string, what = "account"): Promise<string> {
    if (typeof ref === "string") return ref.toLowerCase();
    if ("address" in ref) return ref.address.toLowerCase();
    if ("name" in ref) return this.names.resolve(ref.name, what);
    const accounts = await this.accounts();
    const address = accounts[ref.index];
    if (!address) {
      const range = accounts.length ? `0 to ${accounts.length - 1}` : "none: it holds no unlocked accounts";
      throw new UsageError(`${what} index ${ref.index} is unknown: the node's accounts are ${range}`);
    }
    return address;
  }

  /** An account as a refusal names it: its market name if it has one, else its address. */
  async accountLabel(account: string): Promise<string> {
    return (await this.names.nameOf(account)) || account.toLowerCase();
  }

  async roles(account: string): Promise<Roles> {
    const [customer, seller, frozen] = await Promise.all([
      this.reader.view<[boolean]>("getCustomerPassword", [account]),
      this.reader.view<[boolean]>("getSellerPassword", [account]),
      this.isFrozen(account),
    ]);
    return { regulator: account.toLowerCase() === this.regulator, customer: customer[0], seller: seller[0], frozen };
  }

  /** Which roles `password` opens for `account`: compared on chain with the stored salted hashes. */
  async checkPassword(account: string, password: string): Promise<{ customer: boolean; seller: boolean; registered: { customer: boolean; seller: boolean } }> {
    const digest = passwordDigest(account, password);
    const [[hashed], [customer, customerHash], [seller, sellerHash]] = await Promise.all([
      this.reader.view<[string]>("passwordHashOf", [account, digest]),
      this.reader.view<[boolean, string]>("getCustomerPassword", [account]),
      this.reader.view<[boolean, string]>("getSellerPassword", [account]),
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
    return BigInt((await this.reader.view<[string]>("getCustomerCarbonAmount", [account]))[0]);
  }

  async sellerCarbonAmount(account: string): Promise<bigint> {
    return BigInt((await this.reader.view<[string]>("getSellerCarbonAmount", [account]))[0]);
  }

  async isFrozen(account: string): Promise<boolean> {
    return (await this.reader.view<[boolean]>("isFrozen", [account]))[0];
  }

  // ---------------------------------------------------------------- lists (market-lists.ts)

  lot(carbonId: string): Promise<Lot | undefined> {
    return this.lists.lot(carbonId);
  }

  lots(filter: { seller?: string; customer?: string } = {}): Promise<Lot[]> {
    return this.lists.lots(filter);
  }

  lotPage(filter: LotFilter, offset: number, limit: number): Promise<LotPage> {
    return this.lists.lotPage(filter, offset, limit);
  }

  customerPage(offset: number, limit: number): Promise<AccountPage> {
    return this.lists.customerPage(offset, limit);
  }

  sellerPage(offset: number, limit: number): Promise<AccountPage> {
    return this.lists.sellerPage(offset, limit);
  }

  frozenPage(offset: number, limit: number): Promise<AccountPage> {
    return this.lists.frozenPage(offset, limit);
  }

  customers(): Promise<string[]> {
    return this.lists.customers();
  }

  sellers(): Promise<string[]> {
    return this.lists.sellers();
  }

  frozenAccounts(): Promise<string[]> {
    return this.lists.frozenAccounts();
  }

  totals(): Promise<Totals> {
    return this.lists.totals();
  }

  // ---------------------------------------------------------------- history (activity-history.ts)

  deploymentBlock(): Promise<number> {
    return this.history.deploymentBlock();
  }

  activityPage(account: string, options: HistoryOptions): Promise<HistoryPage> {
    return this.history.activityPage(account, options);
  }

  tradesPage(options: HistoryOptions): Promise<HistoryPage> {
    return this.history.tradesPage(options);
  }

  activity(account: string): Promise<ActivityRecord[]> {
    return this.history.activity(account);
  }

  // ---------------------------------------------------------------- transactions

  /**
   * Registers `account` as a customer, under the display name `name` if given (newNamedCustomer:
   * "This name is taken" if another account holds it); sent by the account itself.
   */
  async newCustomer(account: string, password: string, name?: string): Promise<Outcome> {
    return this.register("customer", account, password, name);
  }

  /** Registers `account` as a seller, under the display name `name` if given (newNamedSeller). */
  async newSeller(account: string, password: string, name?: string): Promise<Outcome> {
    return this.register("seller", account, password, name);
  }

  /** A registered account renames itself (setName): "Name changed" / "This name is taken" / "This account is frozen". */
  async setName(account: string, rawName: string): Promise<Outcome> {
    const name = parseAccountName(rawName);
    const roles = await this.roles(account);
    if (!roles.customer && !roles.seller) throw new UsageError(`${account} is neither a customer nor a seller; register it first with \`carbon register customer ${account} --name "${name}"\``);
    await this.requireSigner(account);
    // A frozen account's refusal is "This account is frozen", whatever the name: the contract says it.
    if (!roles.frozen) {
      if ((await this.names.nameOf(account)) === name) throw new UsageError(`${name} ${account.toLowerCase()} is called ${name} already`);
      await this.foreseeNameFree(name, account);
    }
    const outcome = await this.sender.send("setName", [name], account);
    this.names.forget(account);
    return outcome;
  }

  /** The regulator issues `amount` of quota to a customer. */
  async sendCarbonToCustomer(customer: string, amount: bigint, from = this.regulator, checks: WriteChecks = {}): Promise<Outcome> {
    checkAmount(amount, "amount");
    await this.requireRegulator(from);
    if (checks.precheck !== false) await this.foreseeIssue(customer, amount);
    return this.sender.send("sendCarbonToCustomer", [customer, amount.toString()], from);
  }

  /** A seller publishes the lot `carbonId` at `price`. */
  async addCarbon(seller: string, rawCarbonId: string, price: bigint, from = seller, checks: WriteChecks = {}): Promise<Outcome> {
    const carbonId = parseCarbonId(rawCarbonId);
    parsePrice(price.toString());
    await this.requireSelf(from, seller);
    await this.requireRole(seller, "seller");
    if (checks.precheck !== false) {
      // The contract names the publisher's freeze first of all its refusals: that one it says itself.
      const lot = await this.lot(carbonId);
      if (lot && !(await this.isFrozen(seller))) {
        throw new UsageError(`lot ${carbonId} exists already: ${await this.accountLabel(lot.seller)} published it at ${lot.price}; choose another ID`);
      }
    }
    return this.sender.send("addCarbon", [seller, carbonId, price.toString()], from);
  }

  /** A customer buys the lot `carbonId` for its price. */
  async buyCarbon(customer: string, rawCarbonId: string, from = customer, checks: WriteChecks = {}): Promise<Outcome> {
    const carbonId = parseCarbonId(rawCarbonId);
    await this.requireSelf(from, customer);
    await this.requireRole(customer, "customer");
    if (checks.precheck !== false) await this.foreseePurchase(customer, carbonId);
    return this.sender.send("buyCarbon", [customer, carbonId], from);
  }

  /** A seller settles `amount` of its proceeds with the authority. */
  async settleCarbon(seller: string, amount: bigint, from = seller, checks: WriteChecks = {}): Promise<Outcome> {
    checkAmount(amount, "amount");
    await this.requireSelf(from, seller);
    await this.requireRole(seller, "seller");
    if (checks.precheck !== false) {
      // A frozen seller's refusal is "This account is frozen", whatever it holds: the contract says it.
      const [held, frozen] = await Promise.all([this.sellerCarbonAmount(seller), this.isFrozen(seller)]);
      if (!frozen && held < amount) throw new UsageError(`${await this.accountLabel(seller)} holds ${held} quota from its sales: a settlement of ${amount} needs ${amount} (${amount - held} short)`);
    }
    return this.sender.send("settleCarbon", [seller, amount.toString()], from);
  }

  async freezeAccount(account: string, from = this.regulator, checks: WriteChecks = {}): Promise<Outcome> {
    if (account.toLowerCase() === this.regulator) throw new UsageError("the regulator cannot be frozen");
    await this.requireRegulator(from);
    if (checks.precheck !== false && (await this.isFrozen(account))) throw new UsageError(`${await this.accountLabel(account)} is frozen already`);
    return this.sender.send("freezeAccount", [account], from);
  }

  async unfreezeAccount(account: string, from = this.regulator, checks: WriteChecks = {}): Promise<Outcome> {
    await this.requireRegulator(from);
    if (checks.precheck !== false && !(await this.isFrozen(account))) throw new UsageError(`${await this.accountLabel(account)} is not frozen`);
    return this.sender.send("unfreezeAccount", [account], from);
  }

  // ---------------------------------------------------------------- internal

  /**
   * What sendCarbonToCustomer would refuse for the open period's sake (Compliance.allocate): an issue
   * past its cap, or after its surrender deadline. An unregistered or frozen receiver is refused
   * before the period is consulted, with the contract's own message: those are left to it.
   */
  private async foreseeIssue(customer: string, amount: bigint): Promise<void> {
    const [[registered], frozen] = await Promise.all([this.reader.view<[boolean]>("getCustomerPassword", [customer]), this.isFrozen(customer)]);
    if (!registered || frozen) return;
    const room = await issuingRoom((name, args, contract) => this.reader.view(name, args, contract));
    if (!room) return;
    if (room.ended) {
      throw new UsageError(`period ${room.label} took its surrenders until ${formatUtc(room.surrenderDeadline)} on the chain's clock (it is ${formatUtc(room.now)} now): the market issues nothing until the regulator closes it (\`carbon period close\`)`);
    }
    if (amount > room.remaining) throw new UsageError(`period ${room.label} has ${room.remaining} of its cap of ${room.cap} left: ${amount} would exceed it by ${amount - room.remaining}`);
  }

  /** A name another account holds (in any letter case) is refused before a registration or a rename is sent. */
  private async foreseeNameFree(name: string, account: string): Promise<void> {
    const holder = await this.names.accountNamed(name);
    if (holder && holder !== account.toLowerCase()) throw new UsageError(`the name "${name}" is taken: ${await this.accountLabel(holder)} ${holder} has it; choose another`);
  }

  /** What buyCarbon would refuse, in the contract's order, but the buyer's freeze first of all (as the contract reports it). */
  private async foreseePurchase(customer: string, carbonId: string): Promise<void> {
    const [lot, frozen, held] = await Promise.all([this.lot(carbonId), this.isFrozen(customer), this.customerCarbonAmount(customer)]);
    // Names are read only for a refusal: a purchase that goes through pays no extra request.
    const who = () => this.accountLabel(customer);
    if (frozen) throw new UsageError(`${await who()} is frozen: a frozen account cannot buy (the regulator lifts it with \`carbon unfreeze\`)`);
    if (!lot) throw new UsageError(`there is no lot ${carbonId}: \`carbon carbons\` lists the lots for sale`);
    if (lot.buyer !== undefined) throw new UsageError(`lot ${carbonId} is sold already, to ${await this.accountLabel(lot.buyer)}`);
    if (lot.seller === customer.toLowerCase()) throw new UsageError(`lot ${carbonId} is ${await who()}'s own: an account cannot buy its own lot`);
    if (await this.isFrozen(lot.seller)) throw new UsageError(`lot ${carbonId}'s seller ${await this.accountLabel(lot.seller)} is frozen: its lots cannot be bought until the regulator lifts the freeze`);
    if (held < lot.price) throw new UsageError(`${await who()} holds ${held} quota: lot ${carbonId} costs ${lot.price} (${lot.price - held} short)`);
  }

  private async register(role: "customer" | "seller", account: string, password: string, rawName?: string): Promise<Outcome> {
    parsePassword(password);
    const name = rawName === undefined ? undefined : parseAccountName(rawName);
    await this.requireSigner(account);
    // The password never leaves the client: the contract receives a salted, slow digest of it (bytes32).
    const digest = passwordDigest(account, password);
    const event = role === "customer" ? "NewCustomer" : "NewSeller";
    if (name === undefined) return this.sender.send(role === "customer" ? "newCustomer" : "newSeller", [account, digest], account);
    // The contract says a frozen account's refusal before the name's; the name's before "already registered".
    if (!(await this.isFrozen(account))) await this.foreseeNameFree(name, account);
    const outcome = await this.sender.send(role === "customer" ? "newNamedCustomer" : "newNamedSeller", [account, digest, name], account, { event });
    this.names.forget(account);
    return outcome;
  }

  // ---------------------------------------------------------------- the market's contracts, for module clients

  /** The codec of one of the market's contracts (a module's artifact is read on first use). */
  codecOf(contract: ContractName): MarketCodec {
    return this.reader.codecOf(contract);
  }

  /**
   * Attaches one of the lesson's modules (Carbon.lesson(), Carbon.auction()) so that its client can
   * read and write it like any module: its address read once from Carbon, its code checked against
   * this build's. An UnavailableError (exit 3) for a market without it.
   */
  async lessonModule(name: "Lesson" | "Auction"): Promise<string> {
    const known = this.contracts[name];
    if (known !== undefined) return known;
    const [address] = await this.reader.view<[string]>(name === "Lesson" ? "lesson" : "auction");
    const lower = address.toLowerCase();
    const { isBuildCode } = require("./discovery") as typeof import("./discovery");
    if (/^0x0{40}$/.test(lower) || !isBuildCode(name, await this.endpoint.rpc.request<string>("eth_getCode", [lower, "latest"]))) {
      throw new UnavailableError(`this market has no ${name === "Lesson" ? "lesson" : "auction"} module of this build (${this.label}): deploy a new market with \`npm start -- --new-market\``);
    }
    this.contracts[name] = lower;
    return lower;
  }

  /** A view of one of the market's contracts, decoded: what the module clients (compliance.ts, order-book.ts) read with. */
  read<T extends unknown[]>(contract: ContractName, name: string, args: unknown[] = []): Promise<T> {
    return this.reader.view<T>(name, args, contract);
  }

  /**
   * A write to one of the market's contracts through the same path as the thesis's methods (fixed gas,
   * local signing, the pending journal, the outcome event read from the receipt). The caller checks
   * sender and arguments first (requireSelf, requireRegulator, requireSigner): a UsageError before
   * anything is sent.
   */
  write(method: string, args: unknown[], from: string, options: SendOptions): Promise<Outcome> {
    return this.sender.send(method, args, from, options);
  }

  /** One contract's events of one kind from `fromBlock` to `toBlock` (inclusive), decoded, oldest first (ContractReader.events). */
  events(contract: ContractName, name: string, fromBlock: number, toBlock: number | "latest", topics: Array<string | null> = []): Promise<ContractEvent[]> {
    return this.reader.events(contract, name, fromBlock, toBlock, topics);
  }

  /** One contract's events in a mined transaction, decoded, in order (e.g. the order ID a placeBid got). */
  transactionEvents(txHash: string, contract: ContractName): Promise<ContractEvent[]> {
    return this.reader.transactionEvents(txHash, contract);
  }

  /** The latest block's number. */
  blockNumber(): Promise<number> {
    return this.history.headBlock();
  }

  /** A block's time (unix seconds). */
  async blockTime(block: number | "latest"): Promise<number> {
    const found = await this.endpoint.rpc.request<{ timestamp: string }>("eth_getBlockByNumber", [block === "latest" ? block : hexQuantity(BigInt(block)), false]);
    return Number(found.timestamp);
  }

  /** A key for the sender must be here: a wallet, CARBON_MNEMONIC, or the node's accounts. */
  requireSigner(from: string): Promise<void> {
    return this.sender.requireSigner(from);
  }

  async requireSelf(from: string, account: string): Promise<void> {
    if (from.toLowerCase() !== account.toLowerCase()) throw new UsageError(`${from} cannot act for ${account}: only the account itself can`);
    await this.requireSigner(from);
  }

  /** Plain ether from `from` (a key here) to `to`: `carbon fund` where there is no class faucet. */
  sendEther(to: string, wei: bigint, from: string): Promise<Mined> {
    return this.sender.sendEther(to, wei, from);
  }

  /** Reads the regulator again (after a handover, Carbon.acceptRegulator) and returns it. */
  async refreshRegulator(): Promise<string> {
    const [regulator] = await this.reader.view<[string]>("regulator");
    this.regulator = regulator.toLowerCase();
    return this.regulator;
  }

  /** The account proposed as the next regulator, undefined if none. */
  async pendingRegulator(): Promise<string | undefined> {
    const [pending] = await this.reader.view<[string]>("pendingRegulator");
    return /^0x0{40}$/i.test(pending) ? undefined : pending.toLowerCase();
  }

  /**
   * The regulator proposes its successor (the zero address withdraws a proposal). ProposeRegulator:
   * "Handover proposed" / "Handover withdrawn" / "This account is frozen".
   */
  async proposeRegulator(proposed: string, from = this.regulator): Promise<Outcome> {
    if (proposed.toLowerCase() === this.regulator) throw new UsageError(`${proposed} is the regulator already`);
    await this.requireRegulator(from);
    return this.sender.send("proposeRegulator", [proposed], from);
  }

  /** The proposed account accepts and becomes the regulator. AcceptRegulator: "You are the regulator" / "This account is frozen". */
  async acceptRegulator(from: string): Promise<Outcome> {
    const pending = await this.pendingRegulator();
    if (pending === undefined) throw new UsageError("no handover is proposed; the regulator proposes one with `carbon regulator propose <address>`");
    if (from.toLowerCase() !== pending) throw new UsageError(`${from} is not the proposed regulator (${pending}); only that account can accept`);
    await this.requireSigner(from);
    const outcome = await this.sender.send("acceptRegulator", [], from);
    if (outcome.ok) await this.refreshRegulator();
    return outcome;
  }

  async requireRegulator(from: string): Promise<void> {
    if (from.toLowerCase() !== this.regulator) throw new UsageError(`${from} is not the regulator (${this.regulator}); only the regulator can do this`);
    // A student who tries a regulator's command is told whose it is, not how to bring keys.
    if (!(await this.sender.holdsKey(from))) {
      throw new UsageError(`only the regulator (${this.regulator}) can do this, and its key is not on this machine: on a class chain it is the teacher's (a teacher on another machine imports it with \`carbon wallet import\`)`);
    }
    await this.requireSigner(from);
  }

  async requireRole(account: string, role: "customer" | "seller"): Promise<void> {
    // A registration is never undone, so a role seen once is not asked for again by this Market
    // (a batch of purchases asks the node once, not once per purchase).
    const key = `${role}:${account.toLowerCase()}`;
    if (this.knownRoles.has(key)) return;
    const [registered] = await this.reader.view<[boolean]>(role === "customer" ? "getCustomerPassword" : "getSellerPassword", [account]);
    if (!registered) throw new UsageError(`${account} is not a registered ${role}; register it with \`carbon register ${role} ${account}\``);
    this.knownRoles.add(key);
  }

  // ---------------------------------------------------------------- transactions by hash (for `carbon tx`)

  /**
   * A transaction's state now: mined (with the market's outcome if it is one of its writes),
   * pending in the node's pool, or unknown to the node. Never waits.
   */
  transactionStatus(hash: string): Promise<TransactionStatus> {
    return this.sender.transactionStatus(hash);
  }

  /** Waits up to `timeoutMs` for a transaction to be mined; OutcomeUnknownError (exit 4) if it is not. */
  waitForTransaction(hash: string, timeoutMs?: number): Promise<TransactionStatus> {
    return this.sender.waitForTransaction(hash, timeoutMs);
  }

}

function checkAmount(value: bigint, what: string): void {
  parseAmount(value.toString(), what);
}
