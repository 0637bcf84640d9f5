// The allowance auction (contracts/Auction.sol) as the CLI and the session see it: the regulator
// opens an auction of quota; customers seal bids (kept on this machine until they reveal them:
// sealed-bids.ts), reveal them, anyone clears it and settles the bidders. One method per contract
// method and view, in plain values (lower-case addresses, bigint units and wei), over the market's
// own read and write paths.
//
//   const auction = await Auction.attach(market);
//   await auction.open({ supply: 300n, reservePrice: TICK_WEI * 10n, maxShareBps: 2500n, commitDeadline, revealDeadline });
//   await auction.seal([{ quantity: 50n, price: TICK_WEI * 40n }], ana);            // until commitDeadline
//   await auction.reveal(ana);                                      // after it, until revealDeadline
//   await auction.clear(anyone);                                    // after revealDeadline
//   await auction.settle(ana, anyone);                             // quota issued, escrow returned
//
// Every write refuses, with a UsageError (exit 2) before sending, what the contract would refuse:
// bids outside the rules are refused when sealed, not found out at the reveal.
import crypto from "node:crypto";
import { UsageError } from "../support/errors";
import { encodeParameters } from "./abi";
import { Compliance } from "./compliance";
import { keccak256Hex } from "../input/evidence";
import { formatUtc } from "../input/time";
import type { Market } from "./market";
import { checkPrice, formatEther } from "./order-book-prices";
import type { Outcome } from "./outcome";
import { readSealedBids, saveSealedBids, type SealedBids } from "./sealed-bids";

export type AuctionPhase = "none" | "sealing" | "revealing" | "clearing" | "cleared";
const PHASES: AuctionPhase[] = ["none", "sealing", "revealing", "clearing", "cleared"];

/** The most bids one bidder seals (Auction.MAX_BIDS). */
export const MAX_BIDS = 4;
/** Price levels one clear call walks (Auction.MAX_CLEAR_LEVELS): ~660,000 gas, under a class chain's limit a call (cli/chain/gas.ts). */
export const CLEAR_LEVELS_PER_CALL = 200;

export interface AuctionBid {
  quantity: bigint;
  /** Wei per unit. */
  price: bigint;
}

export interface AuctionState {
  id: number;
  phase: AuctionPhase;
  /** The compliance period open when it opened (undefined: none). */
  periodId?: number;
  supply: bigint;
  reservePrice: bigint;
  /** The most one bidder may bid for. */
  maxWin: bigint;
  commitDeadline: number;
  revealDeadline: number;
  bidders: number;
  /** Units revealed. */
  demand: bigint;
  /** 0n until cleared. */
  clearingPrice: bigint;
  marginalQuantity: bigint;
  marginalFill: bigint;
  issued: bigint;
  revenue: bigint;
  escrow: bigint;
}

export interface BidderState {
  committed: boolean;
  revealed: boolean;
  settled: boolean;
  escrow: bigint;
  won: bigint;
  /** Once revealed. */
  bids: AuctionBid[];
}

export interface AuctionLevel {
  price: bigint;
  quantity: bigint;
}

/** One bidder settled, from the chain's events. */
export interface Settlement {
  id: number;
  bidder: string;
  won: bigint;
  paid: bigint;
  refund: bigint;
  block: number;
}

export interface AuctionTerms {
  supply: bigint;
  reservePrice: bigint;
  maxShareBps: bigint;
  commitDeadline: number;
  revealDeadline: number;
}

const NO_PERIOD = 2 ** 32 - 1;

type RawAuction = Record<"phase" | "periodId" | "supply" | "reservePrice" | "maxWin" | "commitDeadline" | "revealDeadline" | "bidders" | "demand" | "clearingPrice" | "marginalQuantity" | "marginalFill" | "issued" | "revenue" | "escrow", string>;

export class Auction {
  private constructor(
    private readonly market: Market,
    readonly address: string,
  ) {}

  /** The market's auction; an UnavailableError (exit 3) for a market without one. */
  static async attach(market: Market): Promise<Auction> {
    return new Auction(market, await market.lessonModule("Auction"));
  }

  // ---------------------------------------------------------------- reads

  async count(): Promise<number> {
    return Number((await this.read<[string]>("auctionCount"))[0]);
  }

  async auction(id: number): Promise<AuctionState> {
    const [raw] = await this.read<[RawAuction]>("getAuction", [id]);
    const periodId = Number(raw.periodId);
    return {
      id,
      phase: PHASES[Number(raw.phase)],
      ...(periodId === NO_PERIOD ? {} : { periodId }),
      supply: BigInt(raw.supply),
      reservePrice: BigInt(raw.reservePrice),
      maxWin: BigInt(raw.maxWin),
      commitDeadline: Number(raw.commitDeadline),
      revealDeadline: Number(raw.revealDeadline),
      bidders: Number(raw.bidders),
      demand: BigInt(raw.demand),
      clearingPrice: BigInt(raw.clearingPrice),
      marginalQuantity: BigInt(raw.marginalQuantity),
      marginalFill: BigInt(raw.marginalFill),
      issued: BigInt(raw.issued),
      revenue: BigInt(raw.revenue),
      escrow: BigInt(raw.escrow),
    };
  }

  /** The latest auction, if any was ever opened. */
  async latest(): Promise<AuctionState | undefined> {
    const count = await this.count();
    return count === 0 ? undefined : this.auction(count - 1);
  }

  /** Every auction, oldest first. */
  async all(): Promise<AuctionState[]> {
    const count = await this.count();
    return Promise.all(Array.from({ length: count }, (_, id) => this.auction(id)));
  }

  async bidder(id: number, account: string): Promise<BidderState> {
    const [raw] = await this.read<[{ committed: boolean; revealed: boolean; settled: boolean; escrow: string; won: string; quantities: string[]; prices: string[] }]>("getBidder", [id, account]);
    return {
      committed: Boolean(raw.committed),
      revealed: Boolean(raw.revealed),
      settled: Boolean(raw.settled),
      escrow: BigInt(raw.escrow),
      won: BigInt(raw.won),
      bids: raw.quantities.map((quantity, i) => ({ quantity: BigInt(quantity), price: BigInt(raw.prices[i]) })),
    };
  }

  /** What `account` wins in cleared auction `id` and pays for it (before settling: what it would). */
  async allocation(id: number, account: string): Promise<{ won: bigint; payment: bigint }> {
    const [won, payment] = await this.read<[string, string]>("allocationOf", [id, account]);
    return { won: BigInt(won), payment: BigInt(payment) };
  }

  /** The revealed bids by price level, highest first (pages of 200). */
  async levels(id: number): Promise<AuctionLevel[]> {
    const levels: AuctionLevel[] = [];
    for (let offset = 0; ; offset += 200) {
      const [page] = await this.read<[{ price: string; quantity: string }[]]>("levels", [id, offset, 200]);
      levels.push(...page.map((level) => ({ price: BigInt(level.price), quantity: BigInt(level.quantity) })));
      if (page.length < 200) return levels;
    }
  }

  async withdrawable(account: string): Promise<bigint> {
    return BigInt((await this.read<[string]>("withdrawable", [account]))[0]);
  }

  /** The accounts that sealed bids in auction `id`, in the order they first did. */
  async bidders(id: number): Promise<string[]> {
    const bidders: string[] = [];
    for (let offset = 0; ; offset += 200) {
      const [page] = await this.read<[string[]]>("bidders", [id, offset, 200]);
      bidders.push(...page.map((account) => account.toLowerCase()));
      if (page.length < 200) return bidders;
    }
  }

  /** Every bidder settled, from the chain's events, oldest first. */
  async settlements(fromBlock = 0, toBlock: number | "latest" = "latest"): Promise<Settlement[]> {
    const events = await this.market.events("Auction", "BidderSettled", fromBlock, toBlock);
    return events.map(({ args, block }) => ({
      id: Number(args.id),
      bidder: String(args.bidder).toLowerCase(),
      won: BigInt(String(args.won)),
      paid: BigInt(String(args.paid)),
      refund: BigInt(String(args.refund)),
      block,
    }));
  }

  /** The latest auction, or a UsageError saying there is none. */
  async current(): Promise<AuctionState> {
    const latest = await this.latest();
    if (!latest) throw new UsageError("no auction has been opened: the regulator opens one with `carbon auction open` (or a lesson's round sells part of its cap: `carbon lesson round open --cut 30% --free 50%`)");
    return latest;
  }

  /** The bids this machine keeps for `bidder` in auction `id`. */
  sealedBids(id: number, bidder: string): SealedBids | undefined {
    return readSealedBids(this.address, id, bidder);
  }

  /** What a bidder seals (Auction.commitmentOf), computed here: asking a node would show it the bids. */
  commitment(id: number, bidder: string, bids: SealedBids): string {
    const encoded = encodeParameters(
      ["address", "uint256", "address", "uint256[]", "uint256[]", "bytes32"],
      [this.address, id, bidder, bids.quantities, bids.prices, bids.salt],
    );
    return keccak256Hex(encoded);
  }

  // ---------------------------------------------------------------- writes

  /** The regulator opens an auction. OpenAuction: "Auction opened" / "An auction is under way: clear it first". */
  async open(terms: AuctionTerms, from = this.market.regulator): Promise<Outcome & { id: number }> {
    if (terms.supply <= 0n || terms.supply >= 2n ** 64n) throw new UsageError(`an auction's supply is 1 to ${2n ** 64n - 1n} units, not ${terms.supply}`);
    checkPrice(terms.reservePrice);
    if (terms.maxShareBps <= 0n || terms.maxShareBps > 10_000n) throw new UsageError("the most one bidder may win is more than 0% and at most 100% of the supply");
    await this.market.requireRegulator(from);
    const now = await new Compliance(this.market).currentTime();
    if (terms.commitDeadline <= now) throw new UsageError("the bids' deadline must be after the chain's clock");
    if (terms.revealDeadline <= terms.commitDeadline) throw new UsageError("the reveal deadline must be after the bids' deadline");
    const latest = await this.latest();
    if (latest && latest.phase !== "cleared") throw new UsageError(`auction #${latest.id} is under way (${latest.phase}): clear it first (\`carbon auction clear\`)`);
    const id = latest ? latest.id + 1 : 0;
    const args = [terms.supply, terms.reservePrice, terms.maxShareBps, terms.commitDeadline, terms.revealDeadline].map(String);
    return { ...(await this.write("openAuction", args, from)), id };
  }

  /**
   * `from` seals `bids` in the current auction, with `escrow` wei (default: what the bids need less
   * what it put up already). The bids and their salt are kept on this machine for the reveal.
   * CommitBids: "Bids sealed".
   */
  async seal(bids: AuctionBid[], from: string, escrow?: bigint): Promise<Outcome & { id: number; escrow: bigint; sealed: SealedBids }> {
    const auction = await this.current();
    if (auction.phase !== "sealing") throw new UsageError(`auction #${auction.id} took sealed bids until ${formatUtc(auction.commitDeadline)} on the chain's clock: it is ${auction.phase} now`);
    checkBids(bids, auction);
    await this.market.requireSigner(from);
    await this.market.requireRole(from, "customer");
    if (await this.market.isFrozen(from)) throw new UsageError(`${from} is frozen: a frozen account cannot bid`);
    const held = (await this.bidder(auction.id, from)).escrow;
    const needed = bids.reduce((sum, bid) => sum + bid.quantity * bid.price, 0n);
    const value = escrow ?? (needed > held ? needed - held : 0n);
    if (held + value < needed) throw new UsageError(`the bids need ${formatEther(needed)} ETH in escrow; with ${formatEther(value)} more you would hold ${formatEther(held + value)}`);
    if (held + value === 0n) throw new UsageError("an auction's bids need some ether in escrow");
    const sealed: SealedBids = { quantities: bids.map((bid) => bid.quantity), prices: bids.map((bid) => bid.price), salt: "0x" + crypto.randomBytes(32).toString("hex") };
    saveSealedBids(this.address, auction.id, from, sealed);
    const outcome = await this.write("commitBids", [auction.id, this.commitment(auction.id, from, sealed)], from, value);
    return { ...outcome, id: auction.id, escrow: held + value, sealed };
  }

  /** `from` reveals the bids this machine sealed for it. RevealBids: "Bids revealed" / ... */
  async reveal(from: string): Promise<Outcome & { id: number; bids: AuctionBid[] }> {
    const auction = await this.current();
    if (auction.phase === "sealing") throw new UsageError(`auction #${auction.id} takes sealed bids until ${formatUtc(auction.commitDeadline)} on the chain's clock: reveal after that`);
    if (auction.phase !== "revealing") throw new UsageError(`auction #${auction.id} took reveals until ${formatUtc(auction.revealDeadline)} on the chain's clock: it is ${auction.phase} now`);
    await this.market.requireSigner(from);
    const state = await this.bidder(auction.id, from);
    if (!state.committed) throw new UsageError(`${from} sealed no bids in auction #${auction.id}`);
    if (state.revealed) throw new UsageError(`${from}'s bids in auction #${auction.id} are revealed already`);
    const sealed = this.sealedBids(auction.id, from);
    if (!sealed) throw new UsageError(`this machine does not hold ${from}'s sealed bids for auction #${auction.id} (they are kept where they were sealed, in CARBON_HOME's sealed-bids.json); unrevealed, the escrow comes back whole at settlement`);
    const outcome = await this.write("revealBids", [auction.id, sealed.quantities.map(String), sealed.prices.map(String), sealed.salt], from);
    return { ...outcome, id: auction.id, bids: sealed.quantities.map((quantity, i) => ({ quantity, price: sealed.prices[i] })) };
  }

  /** Clears the current auction, as many calls as its price levels need. ClearAuction: "Auction cleared" / ... */
  async clear(from: string): Promise<{ outcomes: Outcome[]; auction: AuctionState }> {
    const auction = await this.current();
    if (auction.phase === "cleared") throw new UsageError(`auction #${auction.id} is cleared already, at ${formatEther(auction.clearingPrice)} ETH a unit`);
    if (auction.phase !== "clearing") throw new UsageError(`auction #${auction.id} clears after its reveal deadline, ${formatUtc(auction.revealDeadline)} on the chain's clock`);
    await this.market.requireSigner(from);
    const outcomes: Outcome[] = [];
    for (;;) {
      const outcome = await this.write("clearAuction", [auction.id, CLEAR_LEVELS_PER_CALL], from);
      outcomes.push(outcome);
      if (!outcome.ok || outcome.message === "Auction cleared") break;
    }
    return { outcomes, auction: await this.auction(auction.id) };
  }

  /** Settles `account` in the latest auction (anyone may). SettleBidder: "Bids settled" / ... */
  async settle(account: string, from: string): Promise<Outcome & { id: number; won: bigint; paid: bigint; refund: bigint }> {
    const auction = await this.current();
    if (auction.phase !== "cleared") throw new UsageError(`auction #${auction.id} is not cleared yet: \`carbon auction clear\` after ${formatUtc(auction.revealDeadline)} on the chain's clock`);
    await this.market.requireSigner(from);
    const state = await this.bidder(auction.id, account);
    if (!state.committed) throw new UsageError(`${account} sealed no bids in auction #${auction.id}`);
    if (state.settled) throw new UsageError(`${account}'s bids in auction #${auction.id} are settled already: it won ${state.won}`);
    const outcome = await this.write("settleBidder", [auction.id, account], from);
    const settled = (await this.market.transactionEvents(outcome.txHash, "Auction")).find((event) => event.name === "BidderSettled");
    const [won, paid, refund] = ["won", "paid", "refund"].map((field) => BigInt(String(settled?.args[field] ?? 0)));
    return { ...outcome, id: auction.id, won, paid, refund };
  }

  /** The bidders of the latest auction not settled yet. */
  async unsettled(): Promise<string[]> {
    const auction = await this.current();
    const bidders = await this.bidders(auction.id);
    const states = await Promise.all(bidders.map((bidder) => this.bidder(auction.id, bidder)));
    return bidders.filter((_, i) => !states[i].settled);
  }

  /** Pays `from` the ether credited to it. WithdrawRefund: "Ether withdrawn" / "Nothing to withdraw". */
  async withdraw(from: string): Promise<Outcome & { amount: bigint }> {
    await this.market.requireSigner(from);
    const amount = await this.withdrawable(from);
    if (amount === 0n) throw new UsageError(`${from} has nothing to withdraw from the auction`);
    return { ...(await this.write("withdrawRefund", [], from)), amount };
  }

  private read<T extends unknown[]>(view: string, args: unknown[] = []): Promise<T> {
    return this.market.read<T>("Auction", view, args);
  }

  private write(method: string, args: unknown[], from: string, value?: bigint): Promise<Outcome> {
    return this.market.write(method, args, from, { contract: "Auction", ...(value ? { value } : {}) });
  }
}

/** What Auction.revealBids would refuse in these bids, as one line: 1 to 4 bids at falling prices, at or over the reserve, within what one bidder may win. */
export function checkBids(bids: AuctionBid[], auction: Pick<AuctionState, "reservePrice" | "maxWin" | "id">): void {
  if (bids.length === 0 || bids.length > MAX_BIDS) throw new UsageError(`an auction takes 1 to ${MAX_BIDS} bids from a bidder, not ${bids.length}`);
  let total = 0n;
  bids.forEach((bid, i) => {
    if (bid.quantity <= 0n) throw new UsageError(`bid ${i + 1} is for ${bid.quantity} units: at least 1`);
    checkPrice(bid.price);
    if (bid.price < auction.reservePrice) throw new UsageError(`bid ${i + 1} at ${formatEther(bid.price)} ETH is under auction #${auction.id}'s reserve price of ${formatEther(auction.reservePrice)} ETH`);
    if (i > 0 && bid.price >= bids[i - 1].price) throw new UsageError(`bid ${i + 1} is not cheaper than bid ${i}: bids go from the highest price down, one bid a price`);
    total += bid.quantity;
  });
  if (total > auction.maxWin) throw new UsageError(`the bids are for ${total} units; one bidder may win at most ${auction.maxWin} in auction #${auction.id}`);
}
