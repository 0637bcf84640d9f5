// The lesson's results, read from the chain: for each round, the theory (equilibrium price, least
// cost, the uniform standard's cost) beside what the class did (abatement paid, its efficiency, the
// book's average price, the auction's clearing price), and each firm's profit: sales less purchases
// on the book, less what it paid at the round's auction, less abatement and penalties (the compliance cycle's record, in wei at the round's rate), per round and in all,
// with the quota it still holds valued at the last round's average price (banked quota is worth
// something; valuing it at zero would punish banking). A leaderboard sorts the firms by it.
import { isRangeRefusal } from "../chain/activity-history";
import { Auction, type AuctionState, type Settlement } from "../chain/auction";
import { Compliance } from "../chain/compliance";
import { Lesson, type LessonFirm } from "../chain/lesson";
import type { Market } from "../chain/market";
import { OrderBook } from "../chain/order-book";
import type { Trade } from "../chain/order-book-types";
import { UnavailableError } from "../support/errors";
import { efficiency, equilibrium, uniformStandard } from "./theory";

export interface FirmRoundResult {
  account: string;
  abated: bigint;
  /** The least-cost allocation's abatement for this firm. */
  optimal: bigint;
  abatementPaid: bigint;
  sales: bigint;
  purchases: bigint;
  /** Units won and paid for at the round's auction. */
  auctionWon: bigint;
  auctionPaid: bigint;
  penalty: bigint;
  profit: bigint;
}

/** A round's auction, once cleared. */
export interface RoundAuction {
  id: number;
  supply: bigint;
  clearingPrice: bigint;
  /** Issued to the winners settled. */
  sold: bigint;
  revenue: bigint;
}

export interface RoundResult {
  periodId: number;
  label: string;
  cut: bigint;
  equilibriumPrice: bigint;
  leastCost: bigint;
  uniformCost: bigint;
  /** What firms paid for abatement in the round. */
  actualCost: bigint;
  abated: bigint;
  /** Least cost of the abatement achieved ÷ what was paid for it (undefined: nothing abated). */
  efficiency?: number;
  /** Volume-weighted, of the book's trades in the round (undefined: no trade). */
  averagePrice?: bigint;
  volume: bigint;
  penalties: bigint;
  auction?: RoundAuction;
  firms: FirmRoundResult[];
}

export interface LeaderRow {
  rank: number;
  account: string;
  /** Sum of the rounds' profits. */
  rounds: bigint;
  holdings: bigint;
  /** Holdings at the last round's average price. */
  banked: bigint;
  total: bigint;
}

export interface LessonResults {
  rounds: RoundResult[];
  leaderboard: LeaderRow[];
}

export async function lessonResults(market: Market): Promise<LessonResults> {
  const lesson = await Lesson.attach(market);
  const compliance = new Compliance(market);
  const [firms, rounds] = await Promise.all([lesson.firms(), lesson.rounds()]);
  const opened = await openingBlocks(market, rounds.map((round) => round.periodId));
  const head = await market.blockNumber();
  const trades = await tradesFrom(market, opened[0] ?? head + 1, head);
  const sales = await auctionSales(market, opened[0] ?? head + 1, head);
  const results: RoundResult[] = [];
  for (const [i, round] of rounds.entries()) {
    const from = opened[i];
    const to = i + 1 < rounds.length ? opened[i + 1] - 1 : head;
    const inRound = trades.filter((trade) => trade.block >= from && trade.block <= to);
    results.push(await roundResult(lesson, compliance, firms, round.periodId, round.cut, inRound, sales.get(round.periodId)));
  }
  return { rounds: results, leaderboard: await leaderboard(market, firms, results) };
}

async function roundResult(lesson: Lesson, compliance: Compliance, firms: LessonFirm[], periodId: number, cut: bigint, trades: Trade[], sale?: AuctionSale): Promise<RoundResult> {
  const period = await compliance.period(periodId);
  const theory = equilibrium(firms, cut);
  const uniform = uniformStandard(firms, cut);
  const rows = await Promise.all(
    firms.map(async (firm): Promise<FirmRoundResult> => {
      const [state, record] = await Promise.all([lesson.firmRound(firm.account, periodId), compliance.record(firm.account, periodId)]);
      const sales = trades.filter((t) => t.seller === firm.account).reduce((sum, t) => sum + t.price * t.quantity, 0n);
      const purchases = trades.filter((t) => t.buyer === firm.account).reduce((sum, t) => sum + t.price * t.quantity, 0n);
      const won = sale?.settlements.filter((s) => s.bidder === firm.account) ?? [];
      const auctionWon = won.reduce((sum, s) => sum + s.won, 0n);
      const auctionPaid = won.reduce((sum, s) => sum + s.paid, 0n);
      return {
        account: firm.account,
        abated: state.abated,
        optimal: theory.abatement.get(firm.account) ?? 0n,
        abatementPaid: state.paid,
        sales,
        purchases,
        auctionWon,
        auctionPaid,
        penalty: record.penalty,
        profit: sales - purchases - auctionPaid - state.paid - record.penalty,
      };
    }),
  );
  const volume = trades.reduce((sum, t) => sum + t.quantity, 0n);
  const value = trades.reduce((sum, t) => sum + t.price * t.quantity, 0n);
  const abated = rows.reduce((sum, row) => sum + row.abated, 0n);
  const actualCost = rows.reduce((sum, row) => sum + row.abatementPaid, 0n);
  const result: RoundResult = {
    periodId,
    label: period.label,
    cut,
    equilibriumPrice: theory.price,
    leastCost: theory.leastCost,
    uniformCost: uniform.cost,
    actualCost,
    abated,
    volume,
    penalties: rows.reduce((sum, row) => sum + row.penalty, 0n),
    firms: rows,
  };
  if (sale?.state.phase === "cleared") {
    result.auction = { id: sale.state.id, supply: sale.state.supply, clearingPrice: sale.state.clearingPrice, sold: sale.state.issued, revenue: sale.state.revenue };
  }
  const score = efficiency(firms, abated, actualCost);
  if (score !== undefined) result.efficiency = score;
  if (volume > 0n) result.averagePrice = value / volume;
  return result;
}

async function leaderboard(market: Market, firms: LessonFirm[], rounds: RoundResult[]): Promise<LeaderRow[]> {
  const lastPrice = [...rounds].reverse().find((round) => round.averagePrice !== undefined)?.averagePrice ?? rounds[rounds.length - 1]?.equilibriumPrice ?? 0n;
  const holdings = await Promise.all(firms.map((firm) => market.customerCarbonAmount(firm.account)));
  const rows = firms.map((firm, i) => {
    const sum = rounds.reduce((total, round) => total + (round.firms.find((row) => row.account === firm.account)?.profit ?? 0n), 0n);
    const banked = holdings[i] * lastPrice;
    return { rank: 0, account: firm.account, rounds: sum, holdings: holdings[i], banked, total: sum + banked };
  });
  rows.sort((a, b) => (a.total > b.total ? -1 : a.total < b.total ? 1 : 0));
  rows.forEach((row, i) => (row.rank = i + 1));
  return rows;
}

interface AuctionSale {
  state: AuctionState;
  settlements: Settlement[];
}

/** Each period's auction (the latest opened in it) and its settlements; none on a market built before the auction. */
async function auctionSales(market: Market, from: number, head: number): Promise<Map<number, AuctionSale>> {
  const sales = new Map<number, AuctionSale>();
  let auction: Auction;
  try {
    auction = await Auction.attach(market);
  } catch (error) {
    if (error instanceof UnavailableError) return sales;
    throw error;
  }
  const all = await auction.all();
  if (all.length === 0) return sales;
  const settlements: Settlement[] = [];
  await inRanges(from, head, async (start, end) => void settlements.push(...(await auction.settlements(start, end))));
  for (const state of all) {
    if (state.periodId === undefined) continue;
    sales.set(state.periodId, { state, settlements: settlements.filter((s) => s.id === state.id) });
  }
  return sales;
}

/** The block each period was opened in (its PeriodOpened event). */
async function openingBlocks(market: Market, periodIds: number[]): Promise<number[]> {
  const first = await market.deploymentBlock();
  const head = await market.blockNumber();
  const found = new Map<number, number>();
  await inRanges(first, head, async (from, to) => {
    for (const event of await market.events("Compliance", "PeriodOpened", from, to)) found.set(Number(event.args.periodId), event.block);
  });
  return periodIds.map((id) => found.get(id) ?? first);
}

async function tradesFrom(market: Market, from: number, head: number): Promise<Trade[]> {
  const book = new OrderBook(market);
  const trades: Trade[] = [];
  await inRanges(from, head, async (start, end) => void trades.push(...(await book.trades(start, end))));
  return trades.map((trade) => ({ ...trade, buyer: trade.buyer.toLowerCase(), seller: trade.seller.toLowerCase() }));
}

/** Log queries over [from, to] in ranges a gate accepts, halved when a node refuses one as too wide. */
async function inRanges(from: number, to: number, read: (from: number, to: number) => Promise<void>): Promise<void> {
  let span = 5_000;
  for (let start = from; start <= to; ) {
    const end = Math.min(to, start + span - 1);
    try {
      await read(start, end);
      start = end + 1;
    } catch (error) {
      if (!isRangeRefusal(error) || span === 1) throw error;
      span = Math.max(1, Math.floor(span / 2));
    }
  }
}
