// `carbon auction clear`: after the reveal deadline, anyone clears the current auction: the clearing
// price is where the revealed bids, highest first, meet the supply (the reserve when they do not).
import { Auction } from "../chain/auction";
import type { Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input/values";
import { UsageError } from "../support/errors";
import { auctionView, type AuctionView } from "./auction-show";
import { optionalString, type Flags } from "./command";

export interface AuctionClearOptions {
  from?: AccountRef;
}

export function parse(args: string[], flags: Flags): AuctionClearOptions {
  if (args.some((arg) => arg !== undefined)) throw new UsageError("auction clear takes no arguments");
  const from = optionalString(flags, "from");
  return from === undefined ? {} : { from: parseAccount(from, "--from") };
}

export async function run(market: Market, options: AuctionClearOptions): Promise<AuctionView> {
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  const auction = await Auction.attach(market);
  const { outcomes, auction: cleared } = await auction.clear(from);
  const last = outcomes[outcomes.length - 1];
  return { ...(await auctionView(market, auction, cleared.id)), outcome: last, ok: last.ok };
}
