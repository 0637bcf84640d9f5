// The order book (contracts/OrderBook.sol) as the CLI, the session and the demo see it: typed methods
// over market.read / market.write, in plain values (addresses in lower case, quantities and wei as
// bigint, times as unix seconds).
//
//   const book = new OrderBook(market);
//   await book.placeBid(20n, priceFromEther("0.05"), { from: buyer });    // PlaceOutcome { ok, message, orderId, ... }
//   await book.placeAsk(20n, 500_000_000_000_000n, { from: seller, maxMatches: 5 });
//   await book.depth(10);                                                   // { bids: Level[], asks: Level[] }
//   await book.trades(fromBlock, "latest");                                 // Trade[] from the Trade events
//
// Prices are wei per unit of quota, whole ticks of TICK_WEI (0.0001 ether) from 1 tick to
// MAX_PRICE_WEI; quantities are whole units from MIN_QUANTITY. Every write first refuses, with a
// UsageError (exit 2), what the contract would revert on (a sender without a key or not a customer,
// a malformed price or quantity, somebody else's order), and an ask for more quota than the sender
// holds; what is left are business outcomes (the PlaceBid/PlaceAsk/... event, successful or not). A
// place call's gas limit grows with the number of resting orders it may meet (gas.ts placeOrderGas).
import { UsageError } from "../support/errors";
import { parseAddress } from "../input/values";
import { checkPrice, checkQuantity } from "./order-book-prices";
import { DEFAULT_MATCHES, MAX_BAND_BPS, MAX_MATCHES, MAX_PRUNES, NEVER, type Band, type Depth, type Escrow, type Level, type Order, type OrderPage, type PlaceOptions, type PlaceOutcome, type PlacedOrder, type PruneOutcome, type Side, type Trade, type TradingDay, type WithdrawOutcome } from "./order-book-types";
import { placeOrderGas, pruneLevelGas } from "./gas";
import type { Market } from "./market";
import type { ContractEvent } from "./market-contracts";
import type { Outcome } from "./outcome";

/** OrderBook.OrderStatus, in the contract's order (index 0, None, is "no such order"). */
const STATUSES = [undefined, "open", "filled", "cancelled", "expired"] as const;

type RawOrder = { id: string; owner: string; isBid: boolean; price: string; quantity: string; filled: string; expiry: string; status: string };
type RawLevel = { price: string; quantity: string; orders: string };

export class OrderBook {
  constructor(readonly market: Market) {}

  // ------------------------------------------------------------ orders

  /** Bids for `quantity` units at up to `price` wei a unit; sends quantity × price as escrow. */
  placeBid(quantity: bigint, price: bigint, options: PlaceOptions): Promise<PlaceOutcome> {
    return this.place("placeBid", quantity, price, options);
  }

  /** Offers `quantity` units of the sender's quota at no less than `price` wei a unit (escrowed). */
  placeAsk(quantity: bigint, price: bigint, options: PlaceOptions): Promise<PlaceOutcome> {
    return this.place("placeAsk", quantity, price, options);
  }

  /** The owner cancels its order; refuses (UsageError) an unknown order or somebody else's. */
  async cancelOrder(id: bigint, from: string): Promise<Outcome> {
    const order = await this.requireOrder(id);
    if (order.owner !== from.toLowerCase()) throw new UsageError(`order ${id} is ${order.owner}'s: only its owner can cancel it`);
    await this.market.requireSigner(from);
    return this.market.write("cancelOrder", [id], from, { contract: "OrderBook" });
  }

  /** Anybody removes an order past its expiry, returning its escrow to its owner. */
  async expireOrder(id: bigint, from: string): Promise<Outcome> {
    await this.requireOrder(id);
    await this.market.requireSigner(from);
    return this.market.write("expireOrder", [id], from, { contract: "OrderBook" });
  }

  /**
   * Anybody sweeps one price level: of its first `maxOrders` orders, those past their expiry or
   * whose owner is frozen are removed, their escrow returned to their owners (ether as a credit).
   */
  async pruneLevel(side: Side, price: bigint, from: string, maxOrders = MAX_PRUNES): Promise<PruneOutcome> {
    checkPrice(price);
    if (!Number.isSafeInteger(maxOrders) || maxOrders < 1 || maxOrders > MAX_PRUNES) throw new UsageError(`a sweep removes from 1 to ${MAX_PRUNES} orders, not ${maxOrders}`);
    await this.market.requireSigner(from);
    const outcome = await this.market.write("pruneLevel", [side === "bid", price, maxOrders], from, { contract: "OrderBook", gas: pruneLevelGas(maxOrders) });
    return { ...outcome, removed: Number(await this.activityAmount(outcome)) };
  }

  /** The sender takes the ether credited to it: its asks' proceeds, its bids' escrow removed by others. */
  async withdraw(from: string): Promise<WithdrawOutcome> {
    await this.market.requireSigner(from);
    const outcome = await this.market.write("withdraw", [], from, { contract: "OrderBook" });
    return { ...outcome, amount: await this.activityAmount(outcome) };
  }

  // ------------------------------------------------------------ risk control (the regulator)

  /**
   * Sets the daily band to ±`bps` basis points of the reference price (0: no band) and, when
   * `referencePrice` (wei a unit) is given, the reference itself; a band needs a reference.
   */
  async setPriceBand(bps: number, from = this.market.regulator, referencePrice = 0n): Promise<Outcome> {
    if (!Number.isSafeInteger(bps) || bps < 0 || bps > MAX_BAND_BPS) throw new UsageError(`the band is a whole number of basis points from 0 to ${MAX_BAND_BPS}, not ${bps}`);
    if (referencePrice !== 0n) checkPrice(referencePrice);
    await this.market.requireRegulator(from);
    if (bps !== 0 && referencePrice === 0n && (await this.referencePrice()) === 0n) {
      throw new UsageError("there is no reference price yet (no day has traded enough): give one with --reference <ether>");
    }
    return this.market.write("setPriceBand", [bps, referencePrice], from, { contract: "OrderBook" });
  }

  async haltTrading(from = this.market.regulator): Promise<Outcome> {
    await this.market.requireRegulator(from);
    return this.market.write("haltTrading", [], from, { contract: "OrderBook" });
  }

  async resumeTrading(from = this.market.regulator): Promise<Outcome> {
    await this.market.requireRegulator(from);
    return this.market.write("resumeTrading", [], from, { contract: "OrderBook" });
  }

  // ------------------------------------------------------------ views

  /** One order, or undefined if no order has this ID. */
  async order(id: bigint): Promise<Order | undefined> {
    const [raw] = await this.read<[RawOrder]>("order", [id]);
    return toOrder(raw);
  }

  /** A page of the account's orders, oldest first, open or not, and how many it has in all. */
  async orders(account: string, offset = 0, limit = 100): Promise<OrderPage> {
    const [[count], [page]] = await Promise.all([
      this.read<[string]>("orderCountOf", [account]),
      this.read<[RawOrder[]]>("ordersOf", [account, offset, limit]),
    ]);
    return { total: Number(count), orders: page.map(toOrder).filter((order): order is Order => order !== undefined) };
  }

  /** Open orders at one price of one side, in time priority (the next to trade first). */
  async ordersAt(side: Side, price: bigint, offset = 0, limit = 100): Promise<Order[]> {
    checkPrice(price);
    const [page] = await this.read<[RawOrder[]]>("ordersAt", [side === "bid", price, offset, limit]);
    return page.map(toOrder).filter((order): order is Order => order !== undefined);
  }

  /** How many orders were ever placed (IDs run from 1 to this). */
  async orderCount(): Promise<number> {
    return Number((await this.read<[string]>("orderCount"))[0]);
  }

  /** Up to `levels` price levels of each side, best first. */
  async depth(levels = 10): Promise<Depth> {
    const [bids, asks] = await Promise.all([this.levels("bid", 0, levels), this.levels("ask", 0, levels)]);
    return { bids, asks };
  }

  /** Up to `limit` levels of one side from the `offset`-th best on. */
  async levels(side: Side, offset = 0, limit = 10): Promise<Level[]> {
    const [page] = await this.read<[RawLevel[]]>("depth", [side === "bid", offset, limit]);
    return page.map((raw) => ({ price: BigInt(raw.price), quantity: BigInt(raw.quantity), orders: Number(raw.orders) }));
  }

  /** The best bid and ask (price and quantity open there), undefined for an empty side. */
  async best(): Promise<{ bid?: Level; ask?: Level }> {
    const [[bidPrice, bidQuantity], [askPrice, askQuantity]] = await Promise.all([
      this.read<[string, string]>("bestBid"),
      this.read<[string, string]>("bestAsk"),
    ]);
    const level = (price: string, quantity: string): Level | undefined => (BigInt(price) === 0n ? undefined : { price: BigInt(price), quantity: BigInt(quantity), orders: 0 });
    return { bid: level(bidPrice, bidQuantity), ask: level(askPrice, askQuantity) };
  }

  /** The last trade's price (wei a unit) and block time; undefined before the first trade. */
  async lastPrice(): Promise<{ price: bigint; time: number } | undefined> {
    const [price, time] = await this.read<[string, string]>("lastPrice");
    return BigInt(price) === 0n ? undefined : { price: BigInt(price), time: Number(time) };
  }

  async band(): Promise<Band> {
    const [[bps, low, high], referencePrice] = await Promise.all([this.read<[string, string, string]>("priceBand"), this.referencePrice()]);
    return { bps: Number(bps), low: BigInt(low), high: BigInt(high), referencePrice, active: Number(bps) !== 0 && referencePrice !== 0n };
  }

  async referencePrice(): Promise<bigint> {
    return BigInt((await this.read<[string]>("referencePrice"))[0]);
  }

  async tradingDay(): Promise<TradingDay> {
    const [day, leadingPrice, leadingVolume, volume] = await this.read<[string, string, string, string]>("tradingDay");
    return { day: Number(day), leadingPrice: BigInt(leadingPrice), leadingVolume: BigInt(leadingVolume), volume: BigInt(volume) };
  }

  /** Wei credited to `account` and not yet withdrawn. */
  async withdrawable(account: string): Promise<bigint> {
    return BigInt((await this.read<[string]>("withdrawable", [account]))[0]);
  }

  async halted(): Promise<boolean> {
    return (await this.read<[boolean]>("halted"))[0];
  }

  async escrow(): Promise<Escrow> {
    const [[ether], [credited], [carbon]] = await Promise.all([this.read<[string]>("escrowedEther"), this.read<[string]>("withdrawableEther"), this.read<[string]>("escrowedCarbonAmount")]);
    return { ether: BigInt(ether), withdrawable: BigInt(credited), carbon: BigInt(carbon) };
  }

  // ------------------------------------------------------------ events (trades, new orders)

  /** The fills from `fromBlock` to `toBlock`, oldest first; `account` keeps those it bought or sold. */
  async trades(fromBlock: number, toBlock: number | "latest" = "latest", account?: string): Promise<Trade[]> {
    const codec = this.market.codecOf("OrderBook");
    const events = account
      ? [
          ...(await this.market.events("OrderBook", "Trade", fromBlock, toBlock, [codec.topic(account)])),
          ...(await this.market.events("OrderBook", "Trade", fromBlock, toBlock, [null, codec.topic(account)])),
        ].sort((a, b) => a.block - b.block || a.logIndex - b.logIndex)
      : await this.market.events("OrderBook", "Trade", fromBlock, toBlock);
    return events.map(toTrade);
  }

  /** The orders placed from `fromBlock` to `toBlock`, oldest first (what `carbon watch` shows). */
  async placedOrders(fromBlock: number, toBlock: number | "latest" = "latest"): Promise<PlacedOrder[]> {
    return (await this.market.events("OrderBook", "OrderPlaced", fromBlock, toBlock)).map(toPlacedOrder);
  }

  // ------------------------------------------------------------ internal

  private async place(method: "placeBid" | "placeAsk", quantity: bigint, price: bigint, options: PlaceOptions): Promise<PlaceOutcome> {
    const from = parseAddress(options.from, "the order's owner");
    checkQuantity(quantity);
    checkPrice(price);
    const expiry = options.expiry ?? 0;
    if (!Number.isSafeInteger(expiry) || expiry < 0 || expiry > NEVER) throw new UsageError(`an expiry is a unix time from 0 (good till cancelled) to ${NEVER}, not ${expiry}`);
    const maxMatches = options.maxMatches ?? DEFAULT_MATCHES;
    if (!Number.isSafeInteger(maxMatches) || maxMatches < 0 || maxMatches > MAX_MATCHES) throw new UsageError(`the match limit is a whole number from 0 to ${MAX_MATCHES}, not ${maxMatches}`);
    await this.market.requireRole(from, "customer");
    await this.market.requireSigner(from);
    if (method === "placeAsk") await this.foreseeAsk(from, quantity);
    const outcome = await this.market.write(method, [quantity, price, expiry, maxMatches], from, {
      contract: "OrderBook",
      gas: placeOrderGas(maxMatches),
      ...(method === "placeBid" ? { value: quantity * price } : {}),
    });
    if (!outcome.ok) return outcome;
    const placed = (await this.market.transactionEvents(outcome.txHash, "OrderBook")).find((event) => event.name === "OrderPlaced");
    return placed ? { ...outcome, orderId: BigInt(String(placed.args.id)) } : outcome;
  }

  /**
   * An ask's escrow is taken from the sender's quota: one for more than it holds is refused. The
   * contract says its freeze and a halt first of all, so those refusals are left to it.
   */
  private async foreseeAsk(from: string, quantity: bigint): Promise<void> {
    const [held, frozen, halted] = await Promise.all([this.market.customerCarbonAmount(from), this.market.isFrozen(from), this.halted()]);
    if (frozen || halted || held >= quantity) return;
    throw new UsageError(`${await this.market.accountLabel(from)} holds ${held} quota: an ask of ${quantity} needs ${quantity} (${quantity - held} short)`);
  }

  /** The amount of the call's closing Activity event (the wei withdrawn, the orders removed). */
  private async activityAmount(outcome: Outcome): Promise<bigint> {
    if (!outcome.ok) return 0n;
    const activity = (await this.market.transactionEvents(outcome.txHash, "OrderBook")).filter((event) => event.name === "Activity").pop();
    return activity ? BigInt(String(activity.args.amount)) : 0n;
  }

  private async requireOrder(id: bigint): Promise<Order> {
    if (id < 1n) throw new UsageError(`order IDs start at 1, not ${id}`);
    const order = await this.order(id);
    if (!order) throw new UsageError(`there is no order ${id}`);
    return order;
  }

  private read<T extends unknown[]>(view: string, args: unknown[] = []): Promise<T> {
    return this.market.read<T>("OrderBook", view, args);
  }
}

function toOrder(raw: RawOrder): Order | undefined {
  const status = STATUSES[Number(raw.status)];
  if (!status) return undefined;
  const quantity = BigInt(raw.quantity);
  const filled = BigInt(raw.filled);
  const expiry = Number(raw.expiry);
  return {
    id: BigInt(raw.id),
    owner: raw.owner.toLowerCase(),
    side: raw.isBid ? "bid" : "ask",
    price: BigInt(raw.price),
    quantity,
    filled,
    remaining: quantity - filled,
    ...(expiry === NEVER ? {} : { expiry }),
    status,
  };
}

function toTrade(event: ContractEvent): Trade {
  const { args } = event;
  return {
    buyer: String(args.buyer).toLowerCase(),
    seller: String(args.seller).toLowerCase(),
    price: BigInt(String(args.price)),
    quantity: BigInt(String(args.quantity)),
    bidId: BigInt(String(args.bidId)),
    askId: BigInt(String(args.askId)),
    block: event.block,
    txHash: event.txHash,
    logIndex: event.logIndex,
  };
}

function toPlacedOrder(event: ContractEvent): PlacedOrder {
  const { args } = event;
  const expiry = Number(args.expiry);
  return {
    id: BigInt(String(args.id)),
    owner: String(args.owner).toLowerCase(),
    side: args.isBid ? "bid" : "ask",
    price: BigInt(String(args.price)),
    quantity: BigInt(String(args.quantity)),
    filled: BigInt(String(args.filled)),
    ...(expiry === NEVER ? {} : { expiry }),
    block: event.block,
    txHash: event.txHash,
    logIndex: event.logIndex,
  };
}
