// `carbon lesson round open --cut 30% [--free 100%] [--reserve <ether>] [--max-share 25%] [--bids-by +1d]
// [--reveal-by +2d] [--report-by +7d] [--surrender-by +14d] [--penalty <ether>]`: the teacher opens the
// lesson's next round: a compliance period whose cap is the class's baseline less the cut, marked as
// a round, the free allocation issued (grandfathering: the free part of the cap shared in proportion
// to the firms' baselines), and the rest of the cap put up for auction (Auction.sol).
import { Compliance } from "../chain/compliance";
import { Lesson } from "../chain/lesson";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseEther } from "../input/order-book";
import { parseDeadline, resolveDeadline, type Deadline } from "../input/time";
import { parseAccount, parsePercent, type AccountRef } from "../input/values";
import { UsageError } from "../support/errors";
import { proportionalShares } from "../lesson/theory";
import { Auction } from "../chain/auction";
import { TICK_WEI } from "../chain/order-book-types";
import { auctionTerms, parseAuctionTerms, type AuctionTermOptions } from "./auction-open";
import { eachAccount, type BulkRow } from "./bulk";
import { optionalString, type Flags } from "./command";

export interface LessonRoundOpenOptions {
  /** Basis points of the class's baseline. */
  cutBps: bigint;
  /** Basis points of the cap issued free. */
  freeBps: bigint;
  reportBy: Deadline;
  surrenderBy: Deadline;
  /** Wei per tonne short; default: twice the dearest tonne of any schedule, so that abating always beats paying. */
  penalty?: bigint;
  label?: string;
  from?: AccountRef;
  /** The auction of the rest of the cap (reserve: default the cheapest tonne of any schedule). */
  auction: AuctionTermOptions;
}

export interface LessonRoundOpened {
  ok: boolean;
  label: string;
  periodId: number;
  cut: bigint;
  cap: bigint;
  penaltyRate: bigint;
  free: bigint;
  /** Left of the cap for an auction. */
  forAuction: bigint;
  reportingDeadline: number;
  surrenderDeadline: number;
  opened: Outcome;
  /** The period marked as a round (markRound), once it opened. */
  marked?: Outcome;
  allocation: BulkRow[];
  /** The auction of what was not issued free, when there is any. */
  auction?: { id: number; outcome: Outcome; reservePrice: bigint; maxWin: bigint; commitDeadline: number; revealDeadline: number };
}

const MAX_RESERVE = 65_535n * TICK_WEI;


export function parse(args: string[], flags: Flags): LessonRoundOpenOptions {
  if (args.some((arg) => arg !== undefined)) throw new UsageError("lesson round open takes no arguments");
  const cut = optionalString(flags, "cut");
  if (cut === undefined) throw new UsageError("--cut is required: the share of the class's baseline the round cuts, e.g. --cut 30%");
  const cutBps = parsePercent(cut, "--cut");
  if (cutBps === 0n) throw new UsageError("--cut must be above 0%");
  const penalty = optionalString(flags, "penalty");
  const label = optionalString(flags, "label");
  const from = optionalString(flags, "from");
  return {
    cutBps,
    freeBps: parsePercent(optionalString(flags, "free") ?? "100%", "--free"),
    reportBy: parseDeadline(optionalString(flags, "reportBy") ?? "+7d", "--report-by"),
    surrenderBy: parseDeadline(optionalString(flags, "surrenderBy") ?? "+14d", "--surrender-by"),
    ...(penalty === undefined ? {} : { penalty: parseEther(penalty, "--penalty") }),
    ...(label === undefined ? {} : { label }),
    ...(from === undefined ? {} : { from: parseAccount(from, "--from") }),
    auction: parseAuctionTerms(flags, "25%"),
  };
}

export async function run(market: Market, options: LessonRoundOpenOptions, onEach?: (row: BulkRow) => void): Promise<LessonRoundOpened> {
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  await market.requireRegulator(from);
  const lesson = await Lesson.attach(market);
  const compliance = new Compliance(market);
  const firms = await lesson.firms();
  if (firms.length === 0) throw new UsageError("the lesson has no firms yet: `carbon lesson setup` gives every customer one");
  const current = await compliance.currentPeriod();
  if (current?.open) {
    const open = await compliance.period(current.periodId);
    throw new UsageError(`period "${open.label}" is still open: close it first (\`carbon lesson round close\`)`);
  }
  const total = firms.reduce((sum, firm) => sum + firm.baseline, 0n);
  const cut = (total * options.cutBps) / 10_000n;
  if (cut === 0n) throw new UsageError(`a cut of ${options.cutBps / 100n}% of ${total} t is under a tonne: cut more`);
  const cap = total - cut;
  if (cap === 0n) throw new UsageError("a cut of 100% leaves no quota at all: cut less");
  const dearest = firms.flatMap((firm) => firm.blocks).reduce((max, block) => (block.costPerTonne > max ? block.costPerTonne : max), 0n);
  const penaltyRate = options.penalty ?? dearest * 2n;
  if (penaltyRate >= 2n ** 64n) throw new UsageError("--penalty is more than the compliance cycle records (about 18 ether a tonne)");
  const now = await compliance.currentTime();
  const reportingDeadline = resolveDeadline(options.reportBy, now);
  const surrenderDeadline = resolveDeadline(options.surrenderBy, now);
  if (reportingDeadline <= now || surrenderDeadline < reportingDeadline) throw new UsageError("--report-by must be after the chain's clock, and --surrender-by no earlier than it");
  // The auction's terms are checked before anything is sent: a round is opened whole or not at all.
  const forAuction = cap - (cap * options.freeBps) / 10_000n;
  const cheapest = firms.flatMap((firm) => firm.blocks).reduce((min, block) => (block.costPerTonne < min ? block.costPerTonne : min), MAX_RESERVE);
  const reservePrice = options.auction.reservePrice ?? (cheapest / TICK_WEI > 0n ? (cheapest / TICK_WEI) * TICK_WEI : TICK_WEI);
  const terms = forAuction > 0n ? await auctionTerms(market, forAuction, { ...options.auction, reservePrice }) : undefined;
  if (terms && terms.revealDeadline >= reportingDeadline) throw new UsageError("the auction's reveals must end before the round's reports do (--reveal-by before --report-by), so that firms can still abate what they did not win");
  const auction = terms ? await Auction.attach(market) : undefined;
  if (auction) {
    const latest = await auction.latest();
    if (latest && latest.phase !== "cleared") throw new UsageError(`auction #${latest.id} is under way (${latest.phase}): clear and settle it first (\`carbon auction clear\`)`);
  }
  const rounds = await lesson.rounds();
  const label = options.label ?? `Round ${rounds.length + 1}`;
  const periodId = await compliance.periodCount();
  const opened = await compliance.openPeriod({ label, cap, reportingDeadline, surrenderDeadline, penaltyRate }, from);
  const result: LessonRoundOpened = { ok: opened.ok, label, periodId, cut, cap, penaltyRate, free: 0n, forAuction: cap, reportingDeadline, surrenderDeadline, opened, allocation: [] };
  if (!opened.ok) return result;
  const marked = await lesson.markRound(periodId, cut, from);
  if (!marked.ok) return { ...result, ok: false, opened: marked };
  result.marked = marked;
  // Grandfathering: the free part of the cap shared in proportion to the firms' baselines, in whole
  // units that add up to it (the rest is the auction's).
  const shares = proportionalShares(firms, (cap * options.freeBps) / 10_000n);
  const rows: BulkRow[] = firms.map((firm) => ({ account: firm.account, amount: shares.get(firm.account)! })).filter((row) => row.amount > 0n);
  const allocation = await eachAccount(rows, (row) => market.sendCarbonToCustomer(row.account, row.amount!, from), onEach);
  const free = allocation.rows.filter((row) => row.outcome?.ok).reduce((sum, row) => sum + (row.amount ?? 0n), 0n);
  const issued = { ...result, ok: allocation.ok, free, forAuction: cap - free, allocation: allocation.rows };
  if (!auction || !terms) return issued;
  const auctionOpened = await auction.open({ ...terms, supply: cap - free }, from);
  const state = auctionOpened.ok ? await auction.auction(auctionOpened.id) : undefined;
  return {
    ...issued,
    ok: issued.ok && auctionOpened.ok,
    auction: { id: auctionOpened.id, outcome: auctionOpened, reservePrice: terms.reservePrice, maxWin: state?.maxWin ?? 0n, commitDeadline: terms.commitDeadline, revealDeadline: terms.revealDeadline },
  };
}
