// Firms that play by themselves, so a teacher can fill a market of 30 with 5 students, a demo can
// run a lesson without people, and a test can show the market finding the least-cost allocation.
//
// An automatic firm is a customer whose key the teacher's machine holds (automatic-keys.ts). In the
// open round it does what economics says a price-taking firm does, with nothing but what the chain
// makes public (every schedule, the round's cut):
//   1. it expects the permit price to be the round's equilibrium (theory.ts), and abates what it would
//      abate at that price (its share of the class's cheapest tonnes);
//   2. what it then holds beyond its emissions it offers at a little under that price, never under
//      its last abated tonne's cost; what it lacks it bids for at a little over it, never over its
//      next tonne's cost (or the penalty, when its schedule is spent): offers first, so every bid
//      meets them;
//   3. what its bid could not buy it abates after all, cheapest blocks first, and cancels the bid;
//   4. it reports through the lesson and surrenders what its emissions need.
// A round with an auction comes first to it (automatic-bidding.ts): the firms seal, reveal, then
// clear and settle, one step a call as the auction's clock allows, and trade only once it is settled.
// Each turn first cancels the firm's orders left open by an earlier one.
// Students in the same round change what is left for the automatic firms to buy or sell, and so the
// class's cost: that is the debrief's point. Orders under the book's minimum of 10 units are rounded
// up for bids (the spare unit is banked) and left unsold for offers.
import crypto from "node:crypto";
import { Compliance } from "../chain/compliance";
import { Lesson, type LessonFirm } from "../chain/lesson";
import type { Market } from "../chain/market";
import { OrderBook } from "../chain/order-book";
import { MAX_PRICE_WEI, MIN_QUANTITY, TICK_WEI } from "../chain/order-book-types";
import type { Outcome } from "../chain/outcome";
import { reportFirm } from "../commands/lesson-report";
import { UsageError } from "../support/errors";
import { playAuction, type AuctionTurn } from "./automatic-bidding";
import { automaticAddresses, createAutomaticKeys, readAutomaticKeys } from "./automatic-keys";
import { mulberry32 } from "./draw";
import { equilibrium, lastAbatedCost, nextTonneCost } from "./theory";

export interface AddedFirm {
  account: string;
  name: string;
  funded: Outcome;
  registered?: Outcome;
}

/**
 * `count` automatic firms: a key each, `ether` from `from` (the regulator) for abatement, bids and
 * gas, and a registration as a customer named auto-N (N: its place in the key file), sent by the firm
 * itself. Keys made by an earlier call that did not finish (no ether, or not registered) count
 * first and are finished, so an interrupted setup leaves no half-made firm behind.
 */
export async function addAutomaticFirms(market: Market, count: number, ether: bigint, from: string): Promise<AddedFirm[]> {
  const known = readAutomaticKeys();
  const pending: string[] = [];
  for (const { address } of known) if (pending.length < count && !(await market.roles(address)).customer) pending.push(address);
  const fresh = createAutomaticKeys(count - pending.length).map((entry) => entry.address);
  const order = [...known.map((entry) => entry.address), ...fresh];
  const added: AddedFirm[] = [];
  for (const address of [...pending, ...fresh]) {
    const name = `auto-${order.indexOf(address) + 1}`;
    let funded: Outcome = { ok: true, message: "Ether already sent", event: "", txHash: "", block: 0, gasUsed: 0 };
    if ((await market.etherBalance(address)) === 0n) {
      const mined = await market.sendEther(address, ether, from);
      funded = { ok: mined.status, message: mined.status ? "Ether sent" : "The transfer failed", event: "", txHash: mined.txHash, block: mined.block, gasUsed: mined.gasUsed };
    }
    const row: AddedFirm = { account: address, name, funded };
    if (funded.ok) row.registered = await market.newCustomer(address, crypto.randomBytes(18).toString("base64url"), name);
    added.push(row);
  }
  return added;
}

export interface FirmPlay {
  account: string;
  /** Tonnes abated at the expected price, then after trading. */
  abated: bigint;
  abatementPaid: bigint;
  /** Units bought and sold on the book this call, and at what value. */
  bought: bigint;
  sold: bigint;
  surrendered: bigint;
  /** Emissions left uncovered: the schedule could not abate them and nobody sold. */
  short: bigint;
  steps: Outcome[];
}

export interface RoundPlay {
  /** Every transaction the firms sent succeeded. */
  ok: boolean;
  label: string;
  periodId: number;
  /** The price the firms expected: the round's equilibrium. */
  expectedPrice: bigint;
  firms: FirmPlay[];
  /** Their turn at the round's auction, if it has one; while it is not settled, they do nothing else. */
  auction?: AuctionTurn;
}

const toTicks = (wei: bigint) => (wei / TICK_WEI) * TICK_WEI;
/** A firm places at most two orders a turn: its latest few are all that can still be open. */
const STALE_ORDERS = 10;

/** The automatic firms play the open round, one after another; `seed` varies their prices a little. */
export async function playRound(market: Market, seed = 1): Promise<RoundPlay> {
  const lesson = await Lesson.attach(market);
  const compliance = new Compliance(market);
  const round = await lesson.openRound();
  const now = await compliance.currentTime();
  if (now > round.reportingDeadline) throw new UsageError(`round "${round.label}" took its abatement and reports until its reporting deadline: it is over for the firms`);
  const [firms, marked] = await Promise.all([lesson.firms(), lesson.round(round.periodId)]);
  const mine = automaticAddresses();
  const automatic = firms.filter((firm) => mine.has(firm.account));
  if (automatic.length === 0) throw new UsageError("the lesson has no automatic firms: add some with `carbon lesson setup --automatic 20`");
  const theory = equilibrium(firms, marked.cut);
  const price = theory.price;
  const random = mulberry32(seed * 7919 + round.periodId);
  const book = new OrderBook(market);
  const plays = new Map<string, FirmPlay>(automatic.map((firm) => [firm.account, { account: firm.account, abated: 0n, abatementPaid: 0n, bought: 0n, sold: 0n, surrendered: 0n, short: 0n, steps: [] }]));
  const record = (firm: LessonFirm, step: Outcome) => plays.get(firm.account)!.steps.push(step);

  // 0. The round's auction first: what the firms hold after it decides who buys and who sells.
  const auction = await playAuction(market, round.periodId, automatic, theory.abatement, price);
  if (auction) for (const { account, outcome } of auction.steps) plays.get(account)?.steps.push(outcome);
  if (auction?.waiting) {
    const played = [...plays.values()];
    return { ok: auction.steps.every((step) => step.outcome.ok), label: round.label, periodId: round.periodId, expectedPrice: price, firms: played, auction };
  }

  // Orders left from an earlier turn (offers a student might have taken) are withdrawn first, so that
  // each firm reckons with all it holds, and none trades against its own old order.
  for (const firm of automatic) {
    const { total } = await book.orders(firm.account, 0, 0);
    const { orders } = await book.orders(firm.account, Math.max(0, total - STALE_ORDERS), STALE_ORDERS);
    for (const order of orders) if (order.status === "open") record(firm, await book.cancelOrder(order.id, firm.account));
  }

  // 1. Abate what the expected price makes worth it.
  for (const firm of automatic) {
    const state = await lesson.firmRound(firm.account, round.periodId);
    if (state.verified) continue;
    const target = theory.abatement.get(firm.account) ?? 0n;
    if (target > state.abated) await abate(lesson, firm, target - state.abated, plays.get(firm.account)!);
  }

  // 2. Offers, then bids, around the expected price and within each firm's own costs.
  const positions = new Map<string, bigint>();
  for (const firm of automatic) positions.set(firm.account, await position(market, lesson, compliance, firm, round.periodId));
  const placedOrders: Array<{ firm: string; id: bigint }> = [];
  const jitter = (wei: bigint, direction: 1n | -1n) => wei + (direction * wei * BigInt(Math.floor(random() * 500))) / 10_000n;
  for (const firm of automatic) {
    const surplus = positions.get(firm.account)!;
    if (surplus < MIN_QUANTITY) continue;
    const state = await lesson.firmRound(firm.account, round.periodId);
    const floor = lastAbatedCost(firm.blocks, state.abated) ?? TICK_WEI;
    const ask = clampPrice(maxOf(toTicks(jitter(price, -1n)), floor));
    const placed = await book.placeAsk(surplus, ask, { from: firm.account });
    record(firm, placed);
    if (placed.ok && placed.orderId !== undefined) placedOrders.push({ firm: firm.account, id: placed.orderId });
  }
  for (const firm of automatic) {
    const need = -positions.get(firm.account)!;
    if (need <= 0n) continue;
    const state = await lesson.firmRound(firm.account, round.periodId);
    const ceiling = nextTonneCost(firm.blocks, state.abated) ?? round.penaltyRate;
    const bid = clampPrice(minOf(toTicks(jitter(price, 1n)), ceiling));
    const quantity = need < MIN_QUANTITY ? MIN_QUANTITY : need;
    const placed = await book.placeBid(quantity, bid, { from: firm.account });
    record(firm, placed);
    if (!placed.ok || placed.orderId === undefined) continue;
    placedOrders.push({ firm: firm.account, id: placed.orderId });
    // 3. What the bid could not buy is abated after all: the firm's bid stood at its next tonne's cost.
    const order = await book.order(placed.orderId);
    if (order?.status === "open") record(firm, await book.cancelOrder(placed.orderId, firm.account));
  }
  for (const firm of automatic) {
    const lacking = -(await position(market, lesson, compliance, firm, round.periodId));
    if (lacking <= 0n) continue;
    const state = await lesson.firmRound(firm.account, round.periodId);
    const room = firm.abatable - state.abated;
    const tonnes = lacking < room ? lacking : room;
    if (tonnes > 0n && !state.verified) await abate(lesson, firm, tonnes, plays.get(firm.account)!);
  }

  // What traded of each order, offers that still rest included (a later bid may fill them yet).
  for (const { firm, id } of placedOrders) {
    const order = await book.order(id);
    if (order) plays.get(firm)![order.side === "bid" ? "bought" : "sold"] += order.filled;
  }

  // 4. Report, and surrender what the emissions need.
  for (const firm of automatic) {
    const play = plays.get(firm.account)!;
    const reported = await reportFirm(market, lesson, firm.account);
    play.steps.push(...reported.steps);
    const held = await market.customerCarbonAmount(firm.account);
    const owed = await stillOwed(compliance, firm.account, round.periodId);
    const amount = held < owed ? held : owed;
    if (amount > 0n) {
      const surrendered = await compliance.surrenderCarbon(firm.account, amount);
      play.steps.push(surrendered);
      if (surrendered.ok) play.surrendered = amount;
    }
    play.short = owed - amount;
  }
  const played = [...plays.values()];
  const ok = played.every((play) => play.steps.every((step) => step.ok)) && (auction?.steps ?? []).every((step) => step.outcome.ok);
  return { ok, label: round.label, periodId: round.periodId, expectedPrice: price, firms: played, ...(auction ? { auction } : {}) };
}

async function abate(lesson: Lesson, firm: LessonFirm, tonnes: bigint, play: FirmPlay): Promise<void> {
  const done = await lesson.abate(tonnes, firm.account);
  play.steps.push(done);
  if (done.ok) {
    play.abated += tonnes;
    play.abatementPaid += done.cost;
  }
}

/** Quota held less what the round's emissions still need (negative: what the firm lacks). */
async function position(market: Market, lesson: Lesson, compliance: Compliance, firm: LessonFirm, periodId: number): Promise<bigint> {
  const [held, owed] = await Promise.all([market.customerCarbonAmount(firm.account), stillOwed(compliance, firm.account, periodId, await lesson.emissionsOf(firm.account, periodId))]);
  return held - owed;
}

/** Emissions not yet covered by a surrender (the lesson's figure until a report is verified). */
async function stillOwed(compliance: Compliance, account: string, periodId: number, emissions?: bigint): Promise<bigint> {
  const record = await compliance.record(account, periodId);
  const due = record.reportState === "verified" || record.reportState === "corrected" ? record.verified : (emissions ?? record.verified);
  return due > record.surrendered ? due - record.surrendered : 0n;
}

const maxOf = (a: bigint, b: bigint) => (a > b ? a : b);
const minOf = (a: bigint, b: bigint) => (a < b ? a : b);
const clampPrice = (wei: bigint) => minOf(MAX_PRICE_WEI, maxOf(TICK_WEI, toTicks(wei)));
