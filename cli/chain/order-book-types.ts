// The order book's terms as the contract states them (contracts/OrderBook.sol): its tick, limits
// and caps, and an order, a level, the band, a trade and each write's outcome as the client reads them.
import type { Outcome } from "./outcome";

/** The price step, in wei per unit (OrderBook.TICK). */
export const TICK_WEI = 10n ** 14n;
/** The highest price, in wei per unit (OrderBook.MAX_PRICE: 65,535 ticks). */
export const MAX_PRICE_WEI = 65_535n * TICK_WEI;
/** The smallest order, in units (OrderBook.MIN_QUANTITY). */
export const MIN_QUANTITY = 10n;
/** The largest order, in units (OrderBook.MAX_QUANTITY). */
export const MAX_QUANTITY = 2n ** 64n - 1n;
/** The most resting orders one call may meet (OrderBook.MAX_MATCHES). */
export const MAX_MATCHES = 100;
/** What a place call may meet unless told otherwise: enough for a classroom book, and a modest gas limit. */
export const DEFAULT_MATCHES = 10;
/** The most orders one call removes, expired or frozen (OrderBook.MAX_PRUNES): a place call's own budget, and pruneLevel's most. */
export const MAX_PRUNES = 20;
/** The day's volume, in units, that makes its most-traded price the next day's reference (OrderBook.REFERENCE_MIN_VOLUME). */
export const REFERENCE_MIN_VOLUME = 100n;
/** The widest band, in basis points (OrderBook.MAX_BAND_BPS). */
export const MAX_BAND_BPS = 10_000;
/** The expiry stored for "good till cancelled" (OrderBook.NEVER). */
export const NEVER = 2 ** 40 - 1;

export type Side = "bid" | "ask";
export type OrderStatus = "open" | "filled" | "cancelled" | "expired";

export interface Order {
  id: bigint;
  owner: string;
  side: Side;
  /** Wei per unit. */
  price: bigint;
  /** As placed. */
  quantity: bigint;
  filled: bigint;
  /** quantity - filled: what is open while the order is open, what was returned once it is not. */
  remaining: bigint;
  /** Unix seconds; undefined for good till cancelled. An open order past it no longer trades. */
  expiry?: number;
  status: OrderStatus;
}

/** One price level: its price (wei per unit), the quantity open there, and how many orders. */
export interface Level {
  price: bigint;
  quantity: bigint;
  orders: number;
}

/** The book by price level, best first on each side (bids highest first, asks lowest first). */
export interface Depth {
  bids: Level[];
  asks: Level[];
}

export interface OrderPage {
  total: number;
  orders: Order[];
}

/** Today's band: its width and the lowest and highest price an order may have (wei per unit). */
export interface Band {
  /** 0: no band set. */
  bps: number;
  low: bigint;
  high: bigint;
  /**
   * The price the band is centred on (wei a unit): the regulator's, or the most-traded price of the
   * last day that traded REFERENCE_MIN_VOLUME units; 0 while there is none.
   */
  referencePrice: bigint;
  /** Whether a band applies today (a width is set and there is a reference). */
  active: boolean;
}

/** Today's running figures (UTC days of block time): what will make tomorrow's reference. */
export interface TradingDay {
  /** Days since 1970-01-01 (UTC). */
  day: number;
  /** The price with the most volume today (wei a unit); 0 before today's first trade. */
  leadingPrice: bigint;
  leadingVolume: bigint;
  /** Units traded today. */
  volume: bigint;
}

/** One fill, from a Trade event. */
export interface Trade {
  buyer: string;
  seller: string;
  /** Wei per unit: the resting order's price. */
  price: bigint;
  quantity: bigint;
  bidId: bigint;
  askId: bigint;
  block: number;
  txHash: string;
  logIndex: number;
}

/** A new order as it was placed, from an OrderPlaced event (`filled` at once, before it rested). */
export interface PlacedOrder {
  id: bigint;
  owner: string;
  side: Side;
  price: bigint;
  quantity: bigint;
  filled: bigint;
  expiry?: number;
  block: number;
  txHash: string;
  logIndex: number;
}

/** A sweep's outcome: how many orders it removed. */
export interface PruneOutcome extends Outcome {
  removed: number;
}

/** A withdrawal's outcome: the wei paid (0 when there was nothing to withdraw). */
export interface WithdrawOutcome extends Outcome {
  amount: bigint;
}

/** A place call's outcome, with the new order's ID when it was accepted. */
export interface PlaceOutcome extends Outcome {
  orderId?: bigint;
}

export interface PlaceOptions {
  /** The owner, who sends the order. */
  from: string;
  /** Unix seconds; undefined or 0: good till cancelled; a time already past: fill what it can now, rest nothing. */
  expiry?: number;
  /** How many resting orders the call may meet (0 to MAX_MATCHES; DEFAULT_MATCHES unless given). */
  maxMatches?: number;
}

export interface Escrow {
  /** Wei held for open bids. */
  ether: bigint;
  /** Wei credited to accounts and not yet withdrawn (with `ether`, the contract's balance). */
  withdrawable: bigint;
  /** Quota held for open asks. */
  carbon: bigint;
}
