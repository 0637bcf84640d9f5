// The automatic firms at a round's auction. A firm expecting the round's equilibrium price wants what
// its emissions at that price (its baseline less its least-cost share of the cut) need beyond what
// it holds, and more at lower prices (it would abate less): it bids its demand curve (bidsFor),
// never over its next tonne's cost, within what one bidder may win and never under the reserve, so
// the auction clears near the equilibrium even when the firms short at it cannot take the supply
// alone. Each call does
// what the auction's phase allows: seal, reveal, or clear and settle; until the auction is settled
// the round's trading waits, since what the firms hold after it decides who buys and who sells.
import { Auction, type AuctionBid, type AuctionState } from "../chain/auction";
import type { LessonFirm } from "../chain/lesson";
import type { Market } from "../chain/market";
import { MAX_PRICE_WEI, TICK_WEI } from "../chain/order-book-types";
import type { Outcome } from "../chain/outcome";
import { UnavailableError } from "../support/errors";
import { nextTonneCost } from "./theory";

export interface AuctionTurn {
  id: number;
  /** The phase the firms found. */
  phase: AuctionState["phase"];
  /** What they did in it. */
  action: "sealed" | "revealed" | "settled" | "nothing";
  /** The round's trading waits for the auction to be settled. */
  waiting: boolean;
  /** Once cleared. */
  clearingPrice?: bigint;
  bids: Map<string, AuctionBid[]>;
  won: Map<string, bigint>;
  paid: Map<string, bigint>;
  steps: Array<{ account: string; outcome: Outcome }>;
}

/** The round's auction (the latest opened in its period), if it has one. */
export async function roundAuction(market: Market, periodId: number): Promise<{ auction: Auction; state: AuctionState } | undefined> {
  let auction: Auction;
  try {
    auction = await Auction.attach(market);
  } catch (error) {
    if (error instanceof UnavailableError) return undefined; // a market built before the auction
    throw error;
  }
  const all = await auction.all();
  const state = [...all].reverse().find((entry) => entry.periodId === periodId);
  return state ? { auction, state } : undefined;
}

/**
 * The automatic firms' turn at the round's auction; undefined when the round has none. `target` is
 * each firm's abatement at the expected `price`.
 */
export async function playAuction(market: Market, periodId: number, firms: LessonFirm[], target: Map<string, bigint>, price: bigint): Promise<AuctionTurn | undefined> {
  const found = await roundAuction(market, periodId);
  if (!found) return undefined;
  const { auction, state } = found;
  const turn: AuctionTurn = { id: state.id, phase: state.phase, action: "nothing", waiting: state.phase !== "cleared", bids: new Map(), won: new Map(), paid: new Map(), steps: [] };
  const latest = await auction.latest();
  if (latest?.id !== state.id) return { ...turn, waiting: false }; // a later auction replaced it: nothing to do here

  if (state.phase === "sealing") {
    turn.action = "sealed";
    for (const firm of firms) {
      const bidder = await auction.bidder(state.id, firm.account);
      if (bidder.committed) continue;
      const bids = await bidsFor(market, firm, target.get(firm.account) ?? 0n, price, state);
      if (bids.length === 0) continue;
      turn.bids.set(firm.account, bids);
      turn.steps.push({ account: firm.account, outcome: await auction.seal(bids, firm.account) });
    }
    return turn;
  }
  if (state.phase === "revealing") {
    turn.action = "revealed";
    for (const firm of firms) {
      const bidder = await auction.bidder(state.id, firm.account);
      if (!bidder.committed || bidder.revealed || !auction.sealedBids(state.id, firm.account)) continue;
      const revealed = await auction.reveal(firm.account);
      turn.bids.set(firm.account, revealed.bids);
      turn.steps.push({ account: firm.account, outcome: revealed });
    }
    return turn;
  }
  if (state.phase === "clearing") {
    const { outcomes } = await auction.clear(market.regulator);
    turn.steps.push(...outcomes.map((outcome) => ({ account: market.regulator, outcome })));
  }
  // Cleared: every bidder settled, the firms' parts read back. An automatic firm settles itself, so
  // its refund is paid to it at once; a student is settled by the teacher, its refund credited to it.
  turn.action = "settled";
  const mine = new Set(firms.map((firm) => firm.account));
  for (const account of await auction.unsettled()) {
    const settled = await auction.settle(account, mine.has(account) ? account : market.regulator);
    turn.steps.push({ account, outcome: settled });
  }
  const cleared = await auction.auction(state.id);
  turn.clearingPrice = cleared.clearingPrice;
  for (const firm of firms) {
    const bidder = await auction.bidder(state.id, firm.account);
    if (!bidder.committed) continue;
    const { won, payment } = await auction.allocation(state.id, firm.account);
    turn.won.set(firm.account, won);
    turn.paid.set(firm.account, payment);
  }
  turn.waiting = false;
  return turn;
}

/**
 * What `firm` bids: its demand curve, as far as four bids draw it. At the expected price it wants what
 * its emissions there need beyond what it holds; at lower prices (three quarters, half and a quarter
 * of it) it would abate less and want more: the blocks that cost more than such a price are worth
 * buying quota for instead. Each bid is the extra units a lower price makes worth it, never over the
 * firm's next tonne's cost, never under the reserve, and all within what one bidder may win.
 * Empty: it wants nothing it would pay the reserve for.
 */
async function bidsFor(market: Market, firm: LessonFirm, abatement: bigint, price: bigint, auction: AuctionState): Promise<AuctionBid[]> {
  const held = await market.customerCarbonAmount(firm.account);
  const ticks = (wei: bigint) => (wei / TICK_WEI) * TICK_WEI;
  const ceiling = nextTonneCost(firm.blocks, abatement);
  let top = ticks(price);
  if (ceiling !== undefined && ceiling < top) top = ticks(ceiling);
  if (top > MAX_PRICE_WEI) top = MAX_PRICE_WEI;
  const steps: Array<{ price: bigint; wanted: bigint }> = [{ price: top, wanted: firm.baseline - abatement - held }];
  for (const share of [3n, 2n, 1n]) {
    const lower = ticks((price * share) / 4n);
    if (lower < auction.reservePrice || lower >= steps[steps.length - 1].price) continue;
    steps.push({ price: lower, wanted: firm.baseline - abatedBelow(firm, lower) - held });
  }
  const bids: AuctionBid[] = [];
  let total = 0n;
  for (const step of steps) {
    if (step.price < auction.reservePrice) continue;
    let quantity = step.wanted - total;
    if (total + quantity > auction.maxWin) quantity = auction.maxWin - total;
    if (quantity <= 0n) continue;
    bids.push({ quantity, price: step.price });
    total += quantity;
  }
  return bids;
}

/** The tonnes `firm` abates when a tonne of quota costs `price`: the blocks cheaper than it. */
function abatedBelow(firm: LessonFirm, price: bigint): bigint {
  return firm.blocks.filter((block) => block.costPerTonne < price).reduce((sum, block) => sum + block.tonnes, 0n);
}

