// `carbon auction reveal <customer>`: the customer reveals the bids it sealed from this machine, after
// the bids' deadline and before the reveal deadline. Unrevealed bids win nothing (the escrow comes
// back whole).
import { Auction } from "../chain/auction";
import type { Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input/values";
import { UsageError } from "../support/errors";
import type { AuctionBidsResult } from "./auction-bid";
import type { Flags } from "./command";

export interface AuctionRevealOptions {
  customer: AccountRef;
}

export function parse([customer, ...rest]: string[], _flags: Flags): AuctionRevealOptions {
  if (customer === undefined || rest.length > 0) throw new UsageError("give the customer whose bids to reveal, e.g. carbon auction reveal ana");
  return { customer: parseAccount(customer, "customer") };
}

export async function run(market: Market, options: AuctionRevealOptions): Promise<AuctionBidsResult> {
  const account = await market.resolve(options.customer, "customer");
  return { ...(await (await Auction.attach(market)).reveal(account)), account };
}
