// The auction on screen: its terms and phase on the chain's clock, the revealed bids by price level,
// and, once cleared, the clearing price and each bidder's part; a seal or a reveal. Prices in ether a
// unit, exactly (the order book's ticks).
import type { AuctionBidsResult } from "../commands/auction-bid";
import type { AuctionView } from "../commands/auction-show";
import type { AuctionPhase, AuctionState } from "../chain/auction";
import { formatEther } from "../chain/order-book-prices";
import { formatUtc, isoTime } from "../input/time";
import { sealedBidsPath } from "../chain/sealed-bids";
import { accountLabel } from "./account-label";
import { palette } from "./colours";
import { outcomeJson, outcomeText } from "./outcome";
import { table, type TextOptions } from "./table";

const PHASE_WORDS: Record<AuctionPhase, string> = {
  none: "not opened",
  sealing: "taking sealed bids",
  revealing: "revealing bids",
  clearing: "waiting to be cleared",
  cleared: "cleared",
};

/** What the phase asks of whom, next. */
function nextStep(auction: AuctionState): string {
  switch (auction.phase) {
    case "sealing":
      return `bids sealed until ${formatUtc(auction.commitDeadline)}: \`carbon auction bid <you> 50@0.0040\``;
    case "revealing":
      return `bids revealed until ${formatUtc(auction.revealDeadline)}: \`carbon auction reveal <you>\` (unrevealed bids win nothing; their escrow comes back)`;
    case "clearing":
      return "anyone may clear it now: `carbon auction clear`";
    case "cleared":
      return auction.escrow > 0n ? "bidders not yet settled: `carbon auction settle --all`" : "every bidder is settled";
    default:
      return "";
  }
}

export function auctionText(view: AuctionView, options: TextOptions = {}): string {
  const c = palette();
  const lines: string[] = view.outcome ? [outcomeText(view.outcome)] : [];
  const auction = view.auction;
  if (!auction) return [...lines, c.dim("No auction has been opened.")].join("\n");
  lines.push(
    `${c.dim("auction")} #${auction.id}  ${c.name(PHASE_WORDS[auction.phase])}${auction.periodId === undefined ? "" : c.dim(`  (compliance period #${auction.periodId})`)}`,
    `${c.dim("supply")} ${auction.supply}   ${c.dim("reserve")} ${formatEther(auction.reservePrice)} ETH a unit   ${c.dim("one bidder wins at most")} ${auction.maxWin}   ${c.dim("bidders")} ${auction.bidders}`,
    `${c.dim("bids sealed until")} ${formatUtc(auction.commitDeadline)}   ${c.dim("revealed until")} ${formatUtc(auction.revealDeadline)}`,
  );
  if (auction.phase === "cleared") {
    const sold = soldUnits(view);
    lines.push(`${c.ok("clearing price")} ${formatEther(auction.clearingPrice)} ETH a unit   ${c.dim("bid")} ${auction.demand}   ${c.dim("sold")} ${sold} of ${auction.supply}   ${c.dim("issued so far")} ${auction.issued}   ${c.dim("revenue so far")} ${formatEther(auction.revenue)} ETH`);
  } else if (auction.demand > 0n) {
    lines.push(`${c.dim("bid so far")} ${auction.demand} units (revealed)`);
  }
  if (view.levels.length > 0) {
    lines.push(
      table(
        [{ header: "price (ETH a unit)", align: "right" }, { header: "units bid", align: "right" }, { header: "units bid at or above", align: "right" }],
        cumulative(view).map(([price, quantity, total]) => [formatEther(price), String(quantity), String(total)]),
        options,
      ),
    );
  }
  if (view.bidders.length > 0) {
    lines.push(
      table(
        [{ header: "bidder" }, { header: "bids" }, { header: "escrow (ETH)", align: "right" }, { header: "wins", align: "right" }, { header: "pays (ETH)", align: "right" }, { header: "state" }],
        view.bidders.map((bidder) => [
          accountLabel(bidder.account, { short: true }),
          bidder.revealed ? bidder.bids.map((bid) => `${bid.quantity}@${formatEther(bid.price)}`).join(" ") : c.dim("sealed"),
          formatEther(bidder.escrow),
          bidder.allocation ? String(bidder.allocation.won) : "-",
          bidder.allocation ? formatEther(bidder.allocation.payment) : "-",
          bidder.settled ? "settled" : bidder.revealed ? "revealed" : bidder.committed ? "sealed" : "",
        ]),
        options,
      ),
    );
  }
  const step = nextStep(auction);
  if (step) lines.push(c.dim(step));
  return lines.join("\n");
}

/** Units the clearing sold: every winner's allocation (the marginal level's shares are rounded down). */
function soldUnits(view: AuctionView): bigint {
  return view.bidders.reduce((sum, bidder) => sum + (bidder.allocation?.won ?? 0n), 0n);
}

function cumulative(view: AuctionView): [bigint, bigint, bigint][] {
  let total = 0n;
  return view.levels.map((level) => {
    total += level.quantity;
    return [level.price, level.quantity, total];
  });
}

export function auctionJson(view: AuctionView): Record<string, unknown> {
  const auction = view.auction;
  return {
    ...(view.outcome ? outcomeJson(view.outcome) : {}),
    auction: auction
      ? {
          id: auction.id,
          phase: auction.phase,
          periodId: auction.periodId ?? null,
          supply: auction.supply.toString(),
          reservePrice: formatEther(auction.reservePrice),
          maxWin: auction.maxWin.toString(),
          bidsUntil: isoTime(auction.commitDeadline),
          revealUntil: isoTime(auction.revealDeadline),
          bidders: auction.bidders,
          demand: auction.demand.toString(),
          clearingPrice: auction.phase === "cleared" ? formatEther(auction.clearingPrice) : null,
          sold: auction.phase === "cleared" ? soldUnits(view).toString() : null,
          issued: auction.issued.toString(),
          revenueWei: auction.revenue.toString(),
          escrowWei: auction.escrow.toString(),
        }
      : null,
    levels: cumulative(view).map(([price, quantity, total]) => ({ price: formatEther(price), quantity: quantity.toString(), atOrAbove: total.toString() })),
    bidders: view.bidders.map((bidder) => ({
      address: bidder.account,
      state: bidder.settled ? "settled" : bidder.revealed ? "revealed" : "sealed",
      escrowWei: bidder.escrow.toString(),
      bids: bidder.bids.map((bid) => ({ quantity: bid.quantity.toString(), price: formatEther(bid.price) })),
      ...(bidder.allocation ? { wins: bidder.allocation.won.toString(), paysWei: bidder.allocation.payment.toString() } : {}),
    })),
  };
}

export function auctionBidsText(result: AuctionBidsResult): string {
  const c = palette();
  const lines = [outcomeText(result)];
  if (!result.ok) return lines.join("\n");
  const bids = result.bids.map((bid) => `${bid.quantity} at ${formatEther(bid.price)}`).join(", ");
  if (result.escrow !== undefined) {
    lines.push(
      `${c.dim("auction")} #${result.id}   ${c.dim("sealed")} ${bids}   ${c.dim("in escrow")} ${formatEther(result.escrow)} ETH`,
      c.dim(`Kept on this machine (${sealedBidsPath()}) until you reveal them, from ${formatUtc(result.revealFrom ?? 0)} to ${formatUtc(result.revealBy ?? 0)}: \`carbon auction reveal ${result.account}\`.`),
      c.dim("The chain shows your escrow now, and your bids once revealed; every winner pays the one clearing price."),
    );
  } else {
    lines.push(`${c.dim("auction")} #${result.id}   ${c.dim("revealed")} ${bids}`);
  }
  return lines.join("\n");
}

export function auctionBidsJson(result: AuctionBidsResult): Record<string, unknown> {
  return {
    ...outcomeJson(result),
    address: result.account,
    auction: result.id,
    bids: result.bids.map((bid) => ({ quantity: bid.quantity.toString(), price: formatEther(bid.price) })),
    ...(result.escrow === undefined ? {} : { escrowWei: result.escrow.toString() }),
  };
}
