// The auction in the session: a firm sees the current auction and does what its phase allows (seal
// bids with their escrow, reveal them, settle), the teacher clears it and settles everyone. Each
// step shows what it will cost and asks first; the same commands as the scripted ones run it.
import { Auction, checkBids, type AuctionState } from "../chain/auction";
import { formatEther } from "../chain/order-book-prices";
import * as bid from "../commands/auction-bid";
import * as clear from "../commands/auction-clear";
import * as reveal from "../commands/auction-reveal";
import * as settle from "../commands/auction-settle";
import * as show from "../commands/auction-show";
import { parseBids } from "../input/auction";
import { bulkSummary } from "../render/bulk";
import { palette } from "../render/colours";
import * as text from "../render/text";
import { UsageError } from "../support/errors";
import { agree, input } from "./prompt";
import { say } from "./say";
import { perform, type Session } from "./session";

/** The current auction on screen; undefined (and why, said) when there is none to act in. */
async function current(session: Session): Promise<{ auction: Auction; state: AuctionState } | undefined> {
  const view = await perform(() => show.run(session.market, {}), (shown) => text.auction(shown));
  if (!view?.auction) return undefined;
  return { auction: await Auction.attach(session.market), state: view.auction };
}

/** A firm's turn at the auction: seal, reveal or settle, as the phase allows. */
export async function bidderTurn(session: Session): Promise<void> {
  const found = await current(session);
  if (!found) return;
  const { auction, state } = found;
  const { market, account } = session;
  const mine = await auction.bidder(state.id, account);
  if (state.phase === "sealing") {
    const answer = await input(`Your bids, units@price, highest price first (e.g. 30@0.0040 20@0.0030; one bidder wins at most ${state.maxWin})`, (t) => {
      const bids = parseBids([t]);
      checkBids(bids, state);
      return bids;
    });
    if (answer === undefined) return;
    const bids = parseBids([answer]);
    const needed = bids.reduce((sum, entry) => sum + entry.quantity * entry.price, 0n);
    const more = needed > mine.escrow ? needed - mine.escrow : 0n;
    const replacing = mine.committed ? " They replace the bids you sealed before." : "";
    if (!(await agree(`Seal these bids with ${formatEther(more)} ETH more in escrow (${formatEther(mine.escrow + more)} in all)?${replacing}`, false))) return;
    await perform(() => bid.run(market, { customer: { address: account }, bids }), text.auctionBids);
    return;
  }
  if (state.phase === "revealing") {
    if (!mine.committed) return say(palette().dim("You sealed no bids in this auction."));
    if (mine.revealed) return say(palette().dim("Your bids are revealed: the auction clears after the reveal deadline."));
    if (!(await agree("Reveal your sealed bids? Unrevealed bids win nothing (their escrow comes back whole).", true))) return;
    await perform(() => reveal.run(market, { customer: { address: account } }), text.auctionBids);
    return;
  }
  if (state.phase === "cleared" && mine.committed && !mine.settled) {
    const { won, payment } = await auction.allocation(state.id, account);
    if (!(await agree(`Settle: ${won} units for ${formatEther(payment)} ETH, and ${formatEther(mine.escrow - payment)} ETH of your escrow back?`, true))) return;
    await perform(() => settle.run(market, { customer: { address: account } }), (result) => text.bulk(result));
  }
}

/** The teacher's desk: clear the auction after its reveals, then settle every bidder. */
export async function regulatorDesk(session: Session): Promise<void> {
  const found = await current(session);
  if (!found) return;
  const { auction, state } = found;
  const { market } = session;
  if (state.phase === "clearing") {
    if (!(await agree(`Clear auction #${state.id} now (the revealed bids meet the supply of ${state.supply})?`, true))) return;
    if (!(await perform(() => clear.run(market, {}), (view) => text.auction(view)))) return;
  } else if (state.phase !== "cleared") {
    return;
  }
  const unsettled = await auction.unsettled().catch((error: unknown) => {
    if (error instanceof UsageError) return [];
    throw error;
  });
  if (unsettled.length === 0) return;
  if (!(await agree(`Settle the ${unsettled.length} bidder${unsettled.length === 1 ? "" : "s"} not yet settled (their refunds are credited to them)?`, true))) return;
  await perform(() => settle.settleBidders(market, market.regulator), bulkSummary);
}
