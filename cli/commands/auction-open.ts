// `carbon auction open --supply 300 --reserve 0.0010 [--max-share 25%] [--bids-by +1d] [--reveal-by +2d]`:
// the regulator opens a sealed-bid uniform-price auction of quota; bids are sealed until the first
// deadline and revealed until the second, on the chain's clock.
import { Auction, type AuctionTerms } from "../chain/auction";
import { Compliance } from "../chain/compliance";
import type { Market } from "../chain/market";
import { priceFromEther } from "../chain/order-book-prices";
import { parseDeadline, resolveDeadline, type Deadline } from "../input/time";
import { parseAccount, parseAmount, parsePercent, type AccountRef } from "../input/values";
import { UsageError } from "../support/errors";
import { auctionView, type AuctionView } from "./auction-show";
import { optionalString, type Flags } from "./command";

export interface AuctionOpenOptions {
  supply: bigint;
  /** Wei a unit; a lesson's round has a default (its cheapest tonne). */
  reservePrice: bigint;
  maxShareBps: bigint;
  bidsBy: Deadline;
  revealBy: Deadline;
  from?: AccountRef;
}

export type AuctionTermOptions = Omit<AuctionOpenOptions, "supply" | "from" | "reservePrice"> & { reservePrice?: bigint };

/** The auction's options as the auction and a lesson's round share them (--reserve, --max-share, --bids-by, --reveal-by). */
export function parseAuctionTerms(flags: Flags, defaultShare = "100%"): AuctionTermOptions {
  const reserve = optionalString(flags, "reserve");
  const maxShareBps = parsePercent(optionalString(flags, "maxShare") ?? defaultShare, "--max-share");
  if (maxShareBps === 0n) throw new UsageError("--max-share must be above 0%");
  return {
    ...(reserve === undefined ? {} : { reservePrice: priceFromEther(reserve) }),
    maxShareBps,
    bidsBy: parseDeadline(optionalString(flags, "bidsBy") ?? "+1d", "--bids-by"),
    revealBy: parseDeadline(optionalString(flags, "revealBy") ?? "+2d", "--reveal-by"),
  };
}

export function parse(args: string[], flags: Flags): AuctionOpenOptions {
  if (args.some((arg) => arg !== undefined)) throw new UsageError("auction open takes no arguments: give --supply and --reserve");
  const supply = optionalString(flags, "supply");
  if (supply === undefined) throw new UsageError("--supply is required: the units of quota the auction sells, e.g. --supply 300");
  const terms = parseAuctionTerms(flags);
  if (terms.reservePrice === undefined) throw new UsageError("--reserve is required: the lowest price the auction sells at, in ether a unit, e.g. --reserve 0.0010");
  const from = optionalString(flags, "from");
  return { supply: parseAmount(supply, "--supply"), ...terms, reservePrice: terms.reservePrice, ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

/** Resolves the deadlines on the chain's clock: what `auction open` and `lesson round open` send. */
export async function auctionTerms(market: Market, supply: bigint, options: AuctionTermOptions & { reservePrice: bigint }): Promise<AuctionTerms> {
  const now = await new Compliance(market).currentTime();
  return {
    supply,
    reservePrice: options.reservePrice,
    maxShareBps: options.maxShareBps,
    commitDeadline: resolveDeadline(options.bidsBy, now),
    revealDeadline: resolveDeadline(options.revealBy, now),
  };
}

export async function run(market: Market, options: AuctionOpenOptions): Promise<AuctionView> {
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  const auction = await Auction.attach(market);
  const opened = await auction.open(await auctionTerms(market, options.supply, options), from);
  return { ...(await auctionView(market, auction, opened.ok ? opened.id : undefined)), outcome: opened };
}
