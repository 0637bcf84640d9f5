// The market's events as a class reads them aloud: "Ana bought 20 from Ben at 0.012". Names come
// from the chain (Carbon.namesOf); an account without one is shown as 0x1234…abcd.
import type { FeedEvent } from "../chain/book-feed";
import { formatEther } from "../chain/order-book-prices";
import { shortAddress } from "../render/format";
import type { FeedLine, TradeView } from "./view";

export type Names = ReadonlyMap<string, string>;

export function who(address: string, names: Names): string {
  return names.get(address.toLowerCase()) || shortAddress(address);
}

/** A book event as a feed line. */
export function bookLine(event: FeedEvent, key: string, names: Names): FeedLine {
  const at = { key, block: event.block, time: event.time };
  switch (event.kind) {
    case "trade": {
      const { buyer, seller, quantity, price } = event.trade;
      return { ...at, kind: "trade", text: `${who(buyer, names)} bought ${quantity} from ${who(seller, names)} at ${formatEther(price)}` };
    }
    case "order": {
      const { owner, side, quantity, price, filled } = event.order;
      const verb = side === "bid" ? "bids for" : "offers";
      const matched = filled > 0n ? (filled === quantity ? ", filled at once" : `, ${filled} filled at once`) : "";
      return { ...at, kind: "order", text: `${who(owner, names)} ${verb} ${quantity} at ${formatEther(price)}${matched}` };
    }
    case "cancel":
      return { ...at, kind: "cancel", text: `${who(event.owner, names)}'s order ${event.id} ${event.reason === "cancelled" ? "was cancelled" : "expired"}` };
    case "market":
      return { ...at, kind: "market", text: event.message.charAt(0).toUpperCase() + event.message.slice(1) };
  }
}

/** A lot bought in the shop, as a feed line. */
export function lotLine(trade: TradeView): FeedLine {
  return { key: trade.key, block: trade.block, time: trade.time, kind: "lot", text: `${trade.buyerName || shortAddress(trade.buyer)} bought lot ${trade.lot ?? "?"} from ${trade.sellerName || shortAddress(trade.seller)} for ${trade.quantity} quota` };
}
