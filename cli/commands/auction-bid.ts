// `carbon auction bid <customer> <units@price>... [--escrow <ether>]`: the customer seals its bids in
// the current auction (at most 4, at falling prices) and puts ether in escrow for them (by default
// exactly what they need). The bids stay on this machine until `carbon auction reveal`.
import { Auction, type AuctionBid } from "../chain/auction";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseBids } from "../input/auction";
import { parseEther } from "../input/order-book";
import { parseAccount, type AccountRef } from "../input/values";
import { UsageError } from "../support/errors";
import { optionalString, type Flags } from "./command";

export interface AuctionBidOptions {
  customer: AccountRef;
  bids: AuctionBid[];
  escrow?: bigint;
}

/** A seal or a reveal: the outcome, the auction, the bids, and (sealed) the escrow held and the reveal window. */
export interface AuctionBidsResult extends Outcome {
  account: string;
  id: number;
  bids: AuctionBid[];
  escrow?: bigint;
  revealFrom?: number;
  revealBy?: number;
}

export function parse([customer, ...bids]: string[], flags: Flags): AuctionBidOptions {
  if (customer === undefined || bids.length === 0) throw new UsageError("give the customer and its bids, e.g. carbon auction bid ana 50@0.0040 20@0.0030");
  const escrow = optionalString(flags, "escrow");
  return { customer: parseAccount(customer, "customer"), bids: parseBids(bids), ...(escrow === undefined ? {} : { escrow: parseEther(escrow, "--escrow") }) };
}

export async function run(market: Market, options: AuctionBidOptions): Promise<AuctionBidsResult> {
  const account = await market.resolve(options.customer, "customer");
  const auction = await Auction.attach(market);
  const sealed = await auction.seal(options.bids, account, options.escrow);
  const state = await auction.auction(sealed.id);
  return { ...sealed, account, bids: options.bids, revealFrom: state.commitDeadline, revealBy: state.revealDeadline };
}
