// User text to auction bids: "50@0.0040" is 50 units at 0.0040 ether a unit (the order book's
// ticks). The scripted command and the session's prompt call the same parser.
import type { AuctionBid } from "../chain/auction";
import { priceFromEther } from "../chain/order-book-prices";
import { UsageError } from "../support/errors";

export function parseBid(text: string): AuctionBid {
  const match = /^\s*(\d+)\s*@\s*(\S+)\s*$/.exec(text);
  if (!match) throw new UsageError(`bid "${text}" is not units@price, such as 50@0.0040 (50 units at 0.0040 ETH each)`);
  return { quantity: BigInt(match[1]), price: priceFromEther(match[2]) };
}

/** Bids as typed, one or more separated by spaces or commas: "50@0.0040 20@0.0030". */
export function parseBids(texts: string[]): AuctionBid[] {
  const parts = texts.flatMap((text) => text.split(/[\s,]+/)).filter((part) => part !== "");
  if (parts.length === 0) throw new UsageError("give at least one bid as units@price, such as 50@0.0040");
  return parts.map(parseBid);
}
