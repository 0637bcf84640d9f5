// `carbon auction show [--id N]`: an auction as the chain holds it: its terms and phase, the revealed
// bids by price level (public once revealed), and, once cleared, the clearing price and what each
// bidder wins and pays.
import { Auction, type AuctionLevel, type AuctionState, type BidderState } from "../chain/auction";
import { Compliance } from "../chain/compliance";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseWhole } from "../input/order-book";
import { UsageError } from "../support/errors";
import { optionalString, type Flags } from "./command";

export interface AuctionBidderRow extends BidderState {
  account: string;
  /** Once cleared: what it wins (or won) and pays. */
  allocation?: { won: bigint; payment: bigint };
}

export interface AuctionView {
  /** Undefined: no auction was ever opened. */
  auction?: AuctionState;
  now: number;
  levels: AuctionLevel[];
  bidders: AuctionBidderRow[];
  /** The write that led here (open, clear), if any. */
  outcome?: Outcome;
  ok?: boolean;
}

export interface AuctionShowOptions {
  id?: number;
}

export function parse(args: string[], flags: Flags): AuctionShowOptions {
  if (args.some((arg) => arg !== undefined)) throw new UsageError("auction show takes no arguments (--id N shows an earlier auction)");
  const id = optionalString(flags, "id");
  return id === undefined ? {} : { id: parseWhole(id, "--id", 0, 2 ** 31) };
}

/** Auction `id` (default: the latest) with its levels and bidders. */
export async function auctionView(market: Market, auction: Auction, id?: number): Promise<AuctionView> {
  const now = await new Compliance(market).currentTime();
  const count = await auction.count();
  if (count === 0) return { now, levels: [], bidders: [] };
  const chosen = id ?? count - 1;
  if (chosen >= count) throw new UsageError(`there is no auction #${chosen}: ${count} opened so far (#0 to #${count - 1})`);
  const [state, levels, accounts] = await Promise.all([auction.auction(chosen), auction.levels(chosen), auction.bidders(chosen)]);
  const bidders = await Promise.all(
    accounts.map(async (account): Promise<AuctionBidderRow> => {
      const bidder = await auction.bidder(chosen, account);
      return { account, ...bidder, ...(state.phase === "cleared" ? { allocation: await auction.allocation(chosen, account) } : {}) };
    }),
  );
  return { auction: state, now, levels, bidders };
}

export async function run(market: Market, options: AuctionShowOptions): Promise<AuctionView> {
  return auctionView(market, await Auction.attach(market), options.id);
}
