// What `truffle test` injects into every test file (`contract`, `artifacts`, `web3`, `assert`), typed
// with the parts of the contracts' ABI the tests use. @truffle/contract returns uint256 results as BN,
// struct and array members as decimal strings, and multiple results as an object keyed "0", "1", ...
import type BN from "bn.js";
import type Web3 from "web3";

declare global {
  interface TruffleOptions {
    from?: string;
    gas?: number;
    /** Wei sent with the call (a decimal string). */
    value?: string | number;
  }

  interface TruffleLog {
    event: string;
    address: string;
    args: Record<string, string | boolean | BN>;
  }

  interface TruffleReceipt {
    status: boolean;
    gasUsed: number;
    blockNumber: number;
  }

  interface TruffleTransaction {
    tx: string;
    receipt: TruffleReceipt;
    logs: TruffleLog[];
  }

  type Send = Promise<TruffleTransaction>;

  /** A uint256 argument: a number, a decimal string (for values beyond 2^53) or a BN. */
  type Uint = number | string | BN;

  /** Carbon.Lot as @truffle/contract decodes it: a tuple with named members, price as a decimal string. */
  interface LotResult {
    carbonId: string;
    price: string;
    seller: string;
    buyer: string;
  }

  interface PasswordResult {
    0: boolean;
    1: string;
  }

  interface CarbonInstance {
    address: string;
    abi: readonly AbiFunction[];

    /** `digest` is a bytes32 (0x and 64 hex digits): the client's slow, salted password digest. */
    newCustomer(customer: string, digest: string, options?: TruffleOptions): Send;
    newSeller(seller: string, digest: string, options?: TruffleOptions): Send;
    newNamedCustomer(customer: string, digest: string, name: string, options?: TruffleOptions): Send;
    newNamedSeller(seller: string, digest: string, name: string, options?: TruffleOptions): Send;
    setName(name: string, options?: TruffleOptions): Send;
    sendCarbonToCustomer(receiver: string, amount: Uint, options?: TruffleOptions): Send;
    addCarbon(seller: string, carbonId: string, price: Uint, options?: TruffleOptions): Send;
    buyCarbon(customer: string, carbonId: string, options?: TruffleOptions): Send;
    settleCarbon(seller: string, amount: Uint, options?: TruffleOptions): Send;
    freezeAccount(account: string, options?: TruffleOptions): Send;
    unfreezeAccount(account: string, options?: TruffleOptions): Send;
    proposeRegulator(proposed: string, options?: TruffleOptions): Send;
    acceptRegulator(options?: TruffleOptions): Send;

    regulator(): Promise<string>;
    lesson(): Promise<string>;
    auction(): Promise<string>;
    setLesson(lesson: string, options?: TruffleOptions): Send;
    pendingRegulator(): Promise<string>;
    customerRegistry(): Promise<string>;
    sellerRegistry(): Promise<string>;
    issuedCarbonAmount(): Promise<BN>;
    settledCarbonAmount(): Promise<BN>;
    getCustomerCarbonAmount(customer: string): Promise<BN>;
    getSellerCarbonAmount(seller: string): Promise<BN>;
    getCustomerPassword(customer: string): Promise<PasswordResult>;
    getSellerPassword(seller: string): Promise<PasswordResult>;
    passwordHashOf(account: string, digest: string): Promise<string>;
    deploymentBlock(): Promise<BN>;
    isFrozen(account: string): Promise<boolean>;
    nameOf(account: string): Promise<string>;
    namesOf(accounts: readonly string[]): Promise<string[]>;
    accountNamed(name: string): Promise<string>;
    getCarbon(carbonId: string): Promise<LotResult>;
    getCustomerCount(): Promise<BN>;
    getCustomers(offset: Uint, limit: Uint): Promise<string[]>;
    getSellerCount(): Promise<BN>;
    getSellers(offset: Uint, limit: Uint): Promise<string[]>;
    getCarbonCount(): Promise<BN>;
    getCarbons(offset: Uint, limit: Uint): Promise<LotResult[]>;
    getUnsoldCarbonCount(): Promise<BN>;
    getUnsoldCarbons(offset: Uint, limit: Uint): Promise<LotResult[]>;
    getSellerCarbonCount(seller: string): Promise<BN>;
    getSellerCarbons(seller: string, offset: Uint, limit: Uint): Promise<LotResult[]>;
    getCustomerCarbonCount(customer: string): Promise<BN>;
    getCustomerCarbons(customer: string, offset: Uint, limit: Uint): Promise<LotResult[]>;
    getFrozenCount(): Promise<BN>;
    getFrozenAccounts(offset: Uint, limit: Uint): Promise<string[]>;
  }

  /** Customer and Seller: the shared AccountRegistry. */
  interface RegistryInstance {
    address: string;

    setMarket(market: string, options?: TruffleOptions): Send;
    register(account: string, passwordHash: string, options?: TruffleOptions): Send;
    credit(account: string, amount: Uint, options?: TruffleOptions): Send;
    debit(account: string, amount: Uint, options?: TruffleOptions): Send;
    debitFor(account: string, amount: Uint, carbonId: string, options?: TruffleOptions): Send;
    addCarbonId(account: string, carbonId: string, options?: TruffleOptions): Send;
    setFrozen(account: string, frozen: boolean, options?: TruffleOptions): Send;
    release(account: string, amount: Uint, options?: TruffleOptions): Send;
    retire(account: string, amount: Uint, options?: TruffleOptions): Send;

    market(): Promise<string>;
    modules(): Promise<{ 0: string; 1: string; compliance: string; exchange: string }>;
    isRegistered(account: string): Promise<boolean>;
    passwordHash(account: string): Promise<string>;
    carbonAmount(account: string): Promise<BN>;
    accountCount(): Promise<BN>;
    accountAt(number: Uint): Promise<string>;
  }

  /** OrderBook.OrderView as @truffle/contract decodes it: uint256 members as decimal strings. */
  interface OrderResult {
    id: string;
    owner: string;
    isBid: boolean;
    price: string;
    quantity: string;
    filled: string;
    expiry: string;
    status: string;
  }

  /** OrderBook.LevelView. */
  interface LevelResult {
    price: string;
    quantity: string;
    orders: string;
  }

  interface TruffleValueOptions extends TruffleOptions {
    value?: Uint;
  }

  interface OrderBookInstance {
    address: string;
    abi: readonly AbiFunction[];

    placeBid(quantity: Uint, price: Uint, expiry: Uint, maxMatches: Uint, options?: TruffleValueOptions): Send;
    placeAsk(quantity: Uint, price: Uint, expiry: Uint, maxMatches: Uint, options?: TruffleOptions): Send;
    cancelOrder(id: Uint, options?: TruffleOptions): Send;
    expireOrder(id: Uint, options?: TruffleOptions): Send;
    setPriceBand(bps: Uint, referencePrice: Uint, options?: TruffleOptions): Send;
    pruneLevel(bids: boolean, price: Uint, maxOrders: Uint, options?: TruffleOptions): Send;
    withdraw(options?: TruffleOptions): Send;
    haltTrading(options?: TruffleOptions): Send;
    resumeTrading(options?: TruffleOptions): Send;

    market(): Promise<string>;
    regulator(): Promise<string>;
    TICK(): Promise<BN>;
    MIN_QUANTITY(): Promise<BN>;
    order(id: Uint): Promise<OrderResult>;
    orderCount(): Promise<BN>;
    orderCountOf(account: string): Promise<BN>;
    ordersOf(account: string, offset: Uint, limit: Uint): Promise<OrderResult[]>;
    depth(bids: boolean, offset: Uint, limit: Uint): Promise<LevelResult[]>;
    ordersAt(bids: boolean, price: Uint, offset: Uint, limit: Uint): Promise<OrderResult[]>;
    bestBid(): Promise<{ 0: BN; 1: BN; price: BN; quantity: BN }>;
    bestAsk(): Promise<{ 0: BN; 1: BN; price: BN; quantity: BN }>;
    lastPrice(): Promise<{ 0: BN; 1: BN; price: BN; time: BN }>;
    referencePrice(): Promise<BN>;
    tradingDay(): Promise<{ 0: BN; 1: BN; 2: BN; 3: BN; day: BN; leadingPrice: BN; leadingVolume: BN; volume: BN }>;
    withdrawable(account: string): Promise<BN>;
    withdrawableEther(): Promise<BN>;
    MAX_PRUNES(): Promise<BN>;
    priceBand(): Promise<{ 0: BN; 1: BN; 2: BN; bps: BN; low: BN; high: BN }>;
    halted(): Promise<boolean>;
    escrowedEther(): Promise<BN>;
    escrowedCarbonAmount(): Promise<BN>;
  }

  interface AbiFunction {
    type: string;
    name?: string;
    inputs?: { name: string; type: string }[];
    outputs?: { name: string; type: string; components?: unknown[] }[];
  }

  interface TruffleArtifact<Instance> {
    abi: readonly AbiFunction[];
    bytecode: string;
    address: string;
    deployed(): Promise<Instance>;
    at(address: string): Promise<Instance>;
    "new"(...args: unknown[]): Promise<Instance>;
  }

  const artifacts: {
    require(name: "Carbon"): TruffleArtifact<CarbonInstance>;
    require(name: "Customer" | "Seller"): TruffleArtifact<RegistryInstance>;
    require(name: "OrderBook"): TruffleArtifact<OrderBookInstance>;
    require(name: "Compliance"): TruffleArtifact<ComplianceInstance>;
    require(name: "Lesson"): TruffleArtifact<LessonInstance>;
    require(name: "Auction"): TruffleArtifact<AuctionInstance>;
  };

  /** A mocha `describe` that first reverts the chain to the state right after the migrations. */
  function contract(name: string, tests: (accounts: string[]) => void): void;

  const web3: Web3;
  const assert: Chai.AssertStatic;
}

export {};
