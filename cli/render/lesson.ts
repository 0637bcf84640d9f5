// The lesson on screen: a firm ("My firm"), a round opened or closed, a firm's report, and the
// results (the rounds against theory, the leaderboard, two charts and CSV). Ether is shown in full
// (a cost per tonne is often a few thousandths); tonnes as whole numbers.
import type { LessonFirmView } from "../commands/lesson-firm";
import type { LessonReported } from "../commands/lesson-report";
import type { LessonRoundClosed } from "../commands/lesson-round-close";
import type { LessonRoundOpened } from "../commands/lesson-round-open";
import type { LessonResultsView } from "../commands/lesson-results";
import type { AuctionTurn } from "../lesson/automatic-bidding";
import type { RoundPlay } from "../lesson/automatic-firms";
import type { RoundResult } from "../lesson/results";
import { formatEther } from "../chain/order-book-prices";
import type { Outcome } from "../chain/outcome";
import { formatUtc } from "../input/time";
import { accountLabel } from "./account-label";
import { bulkLine } from "./bulk";
import { palette } from "./colours";
import { outcomeJson, outcomeText } from "./outcome";
import { printable } from "./sanitize";
import { table, type TextOptions } from "./table";

const PUBLIC = "The chain is public: every firm's schedule, and every abatement, can be read by anyone in the class.";

/** Ether to 6 decimals at most, for money that is often a few thousandths. */
function eth(wei: bigint): string {
  const negative = wei < 0n;
  const rounded = ((negative ? -wei : wei) + 5n * 10n ** 11n) / 10n ** 12n; // micro-ether
  const text = formatEther(rounded * 10n ** 12n);
  return negative && rounded !== 0n ? `-${text}` : text;
}

function percent(value: number | undefined): string {
  return value === undefined ? "-" : `${(value * 100).toFixed(1)}%`;
}

// ---------------------------------------------------------------- a firm

export function firmText(view: LessonFirmView, options: TextOptions = {}): string {
  const c = palette();
  const lines = [`${c.dim("firm")} ${accountLabel(view.account)}   ${c.dim("baseline")} ${view.baseline} t a round   ${c.dim("holds")} ${view.holdings} quota`];
  lines.push(
    table(
      [{ header: "block" }, { header: "tonnes", align: "right" }, { header: "ETH a tonne", align: "right" }, { header: "block costs", align: "right" }, { header: "abated", align: "right" }],
      view.blocks.map((block, i) => [String(i + 1), String(block.tonnes), eth(block.costPerTonne), eth(block.tonnes * block.costPerTonne), String(block.abated)]),
      options,
    ),
  );
  if (view.round) {
    const r = view.round;
    lines.push(
      `${c.dim("round")} ${c.name(printable(r.label))}${r.open ? "" : c.dim(" (closed)")}   ${c.dim("abated")} ${r.abated} t for ${eth(r.paid)} ETH   ${c.dim("emissions")} ${r.emissions} t${r.verified ? c.ok(" verified") : ""}`,
      `${c.dim("surrendered")} ${r.surrendered}   ${c.dim("still to cover")} ${r.obligation} t   ${c.dim("abate by")} ${formatUtc(r.reportingDeadline)}   ${c.dim("surrender by")} ${formatUtc(r.surrenderDeadline)}`,
    );
  } else {
    lines.push(c.dim("No round has opened yet."));
  }
  lines.push(`${c.dim("abatement paid in all")} ${eth(view.abatementPaid)} ETH`, c.dim(PUBLIC));
  return lines.join("\n");
}

export function firmJson(view: LessonFirmView): Record<string, unknown> {
  return {
    account: view.account,
    baseline: view.baseline.toString(),
    holdings: view.holdings.toString(),
    abatementPaid: view.abatementPaid.toString(),
    blocks: view.blocks.map((block) => ({ tonnes: block.tonnes.toString(), costPerTonne: block.costPerTonne.toString(), abated: block.abated.toString() })),
    round: view.round
      ? { ...Object.fromEntries(Object.entries(view.round).map(([key, value]) => [key, typeof value === "bigint" ? value.toString() : value])) }
      : null,
  };
}

export function abatedText(result: Outcome & { cost: bigint; emissions: bigint }): string {
  const detail = result.ok ? `\n${palette().dim("paid")} ${eth(result.cost)} ETH   ${palette().dim("emissions now")} ${result.emissions} t` : "";
  return outcomeText(result) + detail;
}

export function abatedJson(result: Outcome & { cost: bigint; emissions: bigint }): Record<string, unknown> {
  return { ...outcomeJson(result), cost: result.cost.toString(), emissions: result.emissions.toString() };
}

// ---------------------------------------------------------------- rounds

export function roundOpenedText(result: LessonRoundOpened): string {
  const c = palette();
  if (!result.ok && result.allocation.length === 0) return outcomeText(result.opened);
  return [
    `${result.ok ? c.ok("✔") : c.fail("✘")} ${c.name(printable(result.label))} opened: cap ${result.cap} (the class's baseline less a cut of ${result.cut} t)`,
    `${c.dim("penalty")} ${eth(result.penaltyRate)} ETH a tonne short   ${c.dim("abate and report by")} ${formatUtc(result.reportingDeadline)}   ${c.dim("surrender by")} ${formatUtc(result.surrenderDeadline)}`,
    ...result.allocation.map(bulkLine),
    `${c.dim("issued free")} ${result.free}   ${c.dim(result.auction ? "sold at auction" : "left for an auction")} ${result.forAuction}`,
    ...(result.auction ? auctionOpenedLines(result.auction, result.forAuction) : []),
  ].join("\n");
}

function auctionOpenedLines(auction: NonNullable<LessonRoundOpened["auction"]>, supply: bigint): string[] {
  const c = palette();
  if (!auction.outcome.ok) return [outcomeText(auction.outcome)];
  return [
    `${c.ok("✔")} auction #${auction.id} of ${supply} opened: reserve ${eth(auction.reservePrice)} ETH a unit, one firm wins at most ${auction.maxWin}`,
    `${c.dim("bids sealed until")} ${formatUtc(auction.commitDeadline)}   ${c.dim("revealed until")} ${formatUtc(auction.revealDeadline)}   ${c.dim("then: carbon auction clear, carbon auction settle --all")}`,
  ];
}

export function roundOpenedJson(result: LessonRoundOpened): Record<string, unknown> {
  return {
    label: result.label,
    periodId: result.periodId,
    cut: result.cut.toString(),
    cap: result.cap.toString(),
    penaltyRate: result.penaltyRate.toString(),
    free: result.free.toString(),
    forAuction: result.forAuction.toString(),
    reportingDeadline: result.reportingDeadline,
    surrenderDeadline: result.surrenderDeadline,
    opened: { ok: result.opened.ok, ...outcomeJson(result.opened) },
    allocation: result.allocation.map((row) => ({ account: row.account, amount: row.amount?.toString(), ok: row.outcome?.ok ?? false, ...(row.error ? { error: row.error } : {}) })),
    auction: result.auction
      ? {
          id: result.auction.id,
          ...outcomeJson(result.auction.outcome),
          ok: result.auction.outcome.ok,
          supply: result.forAuction.toString(),
          reservePrice: result.auction.reservePrice.toString(),
          maxWin: result.auction.maxWin.toString(),
          bidsUntil: result.auction.commitDeadline,
          revealUntil: result.auction.revealDeadline,
        }
      : null,
  };
}

export function roundClosedText(result: LessonRoundClosed): string {
  const c = palette();
  if (!result.closed.ok) return outcomeText(result.closed);
  return [
    c.ok(`✔ ${printable(result.label)} closed`),
    ...result.enforced.map((row) => {
      const mark = row.outcome?.ok ? c.ok("✔") : c.fail("✘");
      const penalty = row.penalty > 0n ? `  penalty ${eth(row.penalty)} ETH` : "";
      const said = row.outcome ? row.outcome.message : `${row.refusal ?? "refused"} (nothing was sent)`;
      return `${mark} ${accountLabel(row.account, { short: true })}  ${row.status}${penalty}  ${c.dim(printable(said))}`;
    }),
  ].join("\n");
}

export function roundClosedJson(result: LessonRoundClosed): Record<string, unknown> {
  return {
    label: result.label,
    periodId: result.periodId,
    closed: { ok: result.closed.ok, ...outcomeJson(result.closed) },
    enforced: result.enforced.map((row) => ({
      account: row.account,
      status: row.status,
      penalty: row.penalty.toString(),
      ...(row.outcome ? { ok: row.outcome.ok, ...outcomeJson(row.outcome) } : { ok: false, message: row.refusal, sent: false }),
    })),
  };
}

export function reportedText(result: LessonReported): string {
  const c = palette();
  const mark = result.ok && /approved|already verified/.test(result.message) ? c.ok("✔") : c.fail("✘");
  return `${mark} ${printable(result.message)}  ${c.dim(`${result.emissions} t in ${printable(result.label)}, ${result.steps.length} transaction${result.steps.length === 1 ? "" : "s"}`)}`;
}

export function reportedJson(result: LessonReported): Record<string, unknown> {
  return { firm: result.firm, label: result.label, emissions: result.emissions.toString(), message: result.message, steps: result.steps.map((step) => ({ ok: step.ok, ...outcomeJson(step) })) };
}

// ---------------------------------------------------------------- automatic firms

export function playedText(play: RoundPlay, options: TextOptions = {}): string {
  const c = palette();
  const failed = play.firms.flatMap((firm) => firm.steps.filter((step) => !step.ok).map((step) => `${c.fail("✘")} ${accountLabel(firm.account, { short: true })}  ${printable(step.message)}`));
  const mark = failed.length === 0 ? c.ok("✔") : c.fail("✘");
  const lines = play.auction ? [auctionTurnLine(play.auction)] : [];
  if (play.auction?.waiting) return [...lines, ...failed].join("\n");
  const rows = play.firms.map((firm) => [firm.account, String(firm.abated), eth(firm.abatementPaid), String(firm.bought), String(firm.sold), String(firm.surrendered), firm.short > 0n ? c.warn(String(firm.short)) : "0"]);
  return [
    ...lines,
    `${mark} ${play.firms.length} automatic firm${play.firms.length === 1 ? "" : "s"} played ${c.name(printable(play.label))}, expecting ${eth(play.expectedPrice)} ETH a unit`,
    table(
      [{ header: "firm", address: true }, { header: "abated", align: "right" }, { header: "paid ETH", align: "right" }, { header: "bought", align: "right" }, { header: "sold", align: "right" }, { header: "surrendered", align: "right" }, { header: "short", align: "right" }],
      rows,
      options,
    ),
    ...failed,
  ].join("\n");
}

/** What the automatic firms did at the round's auction, and what comes next. */
function auctionTurnLine(turn: AuctionTurn): string {
  const c = palette();
  const firms = (count: number) => `${count} automatic firm${count === 1 ? "" : "s"}`;
  switch (turn.action) {
    case "sealed":
      return `${c.ok("✔")} ${firms(turn.bids.size)} sealed bids in auction #${turn.id}; they trade once it is settled: advance the clock past the bids' deadline and play again`;
    case "revealed":
      return `${c.ok("✔")} ${firms(turn.bids.size)} revealed their bids in auction #${turn.id}; after the reveal deadline, play again to clear and settle it`;
    case "settled": {
      const won = [...turn.won.values()].reduce((sum, units) => sum + units, 0n);
      const paid = [...turn.paid.values()].reduce((sum, wei) => sum + wei, 0n);
      return `${c.ok("✔")} auction #${turn.id} cleared at ${eth(turn.clearingPrice ?? 0n)} ETH a unit: ${firms(turn.won.size)} won ${won} units for ${eth(paid)} ETH`;
    }
    default:
      return c.dim(`auction #${turn.id} is ${turn.phase}: nothing for the automatic firms to do in it`);
  }
}

export function playedJson(play: RoundPlay): Record<string, unknown> {
  return {
    ok: play.ok,
    label: play.label,
    periodId: play.periodId,
    expectedPrice: play.expectedPrice.toString(),
    firms: play.firms.map((firm) => ({
      account: firm.account,
      abated: firm.abated.toString(),
      abatementPaid: firm.abatementPaid.toString(),
      bought: firm.bought.toString(),
      sold: firm.sold.toString(),
      surrendered: firm.surrendered.toString(),
      short: firm.short.toString(),
      failed: firm.steps.filter((step) => !step.ok).map((step) => outcomeJson(step)),
      ...(play.auction?.won.has(firm.account) ? { auctionWon: play.auction.won.get(firm.account)!.toString(), auctionPaid: play.auction.paid.get(firm.account)!.toString() } : {}),
    })),
    ...(play.auction
      ? {
          auction: {
            id: play.auction.id,
            action: play.auction.action,
            waiting: play.auction.waiting,
            clearingPrice: play.auction.clearingPrice?.toString() ?? null,
            bids: [...play.auction.bids].map(([account, bids]) => ({ account, bids: bids.map((bid) => ({ quantity: bid.quantity.toString(), price: bid.price.toString() })) })),
          },
        }
      : {}),
  };
}

// ---------------------------------------------------------------- results

export function resultsText(view: LessonResultsView, options: TextOptions = {}): string {
  if (view.csv) return resultsCsv(view);
  const c = palette();
  if (view.rounds.length === 0) return c.dim("No round of the lesson yet: the teacher opens one with `carbon lesson round open --cut 30%`.");
  const rounds = table(
    [
      { header: "round" },
      { header: "cut t", align: "right" },
      { header: "equilibrium", align: "right" },
      { header: "avg price", align: "right" },
      { header: "auction", align: "right" },
      { header: "least cost", align: "right" },
      { header: "actual", align: "right" },
      { header: "uniform", align: "right" },
      { header: "efficiency", align: "right" },
    ],
    view.rounds.map((r) => [printable(r.label), String(r.cut), eth(r.equilibriumPrice), r.averagePrice === undefined ? "-" : eth(r.averagePrice), r.auction ? eth(r.auction.clearingPrice) : "-", eth(r.leastCost), eth(r.actualCost), eth(r.uniformCost), percent(r.efficiency)]),
    options,
  );
  const leaders = table(
    [{ header: "#", align: "right" }, { header: "firm", address: true }, { header: "rounds ETH", align: "right" }, { header: "holds", align: "right" }, { header: "banked ETH", align: "right" }, { header: "total ETH", align: "right" }],
    view.leaderboard.map((row) => [String(row.rank), row.account, eth(row.rounds), String(row.holdings), eth(row.banked), eth(row.total)]),
    options,
  );
  return [
    c.name("Rounds"),
    rounds,
    c.dim("Prices and costs in ETH. avg price: the book's trades; auction: its clearing price. Efficiency: the least cost of the abatement achieved ÷ what the class paid for it."),
    "",
    priceChart(view.rounds),
    "",
    costBars(view.rounds, options.width),
    "",
    c.name("Leaderboard"),
    leaders,
    c.dim("Total: sales − purchases − auction payments − abatement − penalties over the rounds, plus the quota held at the last round's average price."),
  ].join("\n");
}

/** Each round's average price against the equilibrium price, drawn by asciichart. */
function priceChart(rounds: RoundResult[]): string {
  const c = palette();
  const asciichart = require("asciichart") as typeof import("asciichart");
  const milli = (wei: bigint) => Number(wei / 10n ** 12n) / 1_000_000;
  const equilibrium = rounds.map((r) => milli(r.equilibriumPrice));
  // The class's price: the book's average, else the auction's clearing price, else (no price at all) the line itself.
  const traded = rounds.map((r, i) => (r.averagePrice !== undefined ? milli(r.averagePrice) : r.auction ? milli(r.auction.clearingPrice) : equilibrium[i]));
  // asciichart draws a line between points: one round is drawn as two equal points.
  const widen = (series: number[]) => (series.length === 1 ? [series[0], series[0]] : series).flatMap((v) => [v, v, v, v, v, v]);
  // asciichart's colours are ANSI codes: only where the palette colours too.
  const colours = c.name("x") === "x" ? {} : { colors: [(asciichart as unknown as Record<string, string>).yellow, (asciichart as unknown as Record<string, string>).cyan] };
  const plot = asciichart.plot([widen(equilibrium), widen(traded)], {
    height: 8,
    ...colours,
    format: (value: number) => value.toFixed(4).padStart(9),
  });
  return `${c.name("Price per round")} ${c.dim("(ETH a unit; yellow: equilibrium, cyan: the class's price, the book's average or else the auction's)")}\n${plot}\n${c.dim(`rounds: ${rounds.map((r) => printable(r.label)).join(" → ")}`)}`;
}

/** Actual, least and uniform-standard cost of each round as bars. */
function costBars(rounds: RoundResult[], width = 80): string {
  const c = palette();
  const most = rounds.reduce((max, r) => [r.actualCost, r.leastCost, r.uniformCost].reduce((m, v) => (v > m ? v : m), max), 1n);
  const room = Math.max(10, Math.min(width, 80) - 28);
  const bar = (value: bigint) => "█".repeat(Math.max(value > 0n ? 1 : 0, Number((value * BigInt(room)) / most)));
  const lines = [c.name("Cost of the cut per round") + c.dim(" (ETH)")];
  for (const r of rounds) {
    lines.push(printable(r.label));
    lines.push(`  actual  ${c.name(bar(r.actualCost))} ${eth(r.actualCost)}`);
    lines.push(`  least   ${c.ok(bar(r.leastCost))} ${eth(r.leastCost)}`);
    lines.push(`  uniform ${c.warn(bar(r.uniformCost))} ${eth(r.uniformCost)}`);
  }
  return lines.join("\n");
}

const CSV_HEADER = "round,firm,name,abated,optimal_abatement,abatement_paid_wei,sales_wei,purchases_wei,penalty_wei,profit_wei,equilibrium_price_wei,average_price_wei,least_cost_wei,actual_cost_wei,uniform_cost_wei,efficiency,auction_won,auction_paid_wei,auction_price_wei";

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function resultsCsv(view: LessonResultsView): string {
  const { nameOf } = require("./account-label") as typeof import("./account-label");
  const rows = view.rounds.flatMap((r) =>
    r.firms.map((f) =>
      [
        r.label,
        f.account,
        nameOf(f.account) ?? "",
        f.abated,
        f.optimal,
        f.abatementPaid,
        f.sales,
        f.purchases,
        f.penalty,
        f.profit,
        r.equilibriumPrice,
        r.averagePrice ?? "",
        r.leastCost,
        r.actualCost,
        r.uniformCost,
        r.efficiency === undefined ? "" : r.efficiency.toFixed(4),
        f.auctionWon,
        f.auctionPaid,
        r.auction?.clearingPrice ?? "",
      ].map((cell) => csvField(String(cell))).join(","),
    ),
  );
  return [CSV_HEADER, ...rows].join("\n");
}

export function resultsJson(view: LessonResultsView): Record<string, unknown> {
  const text = (value: unknown): unknown =>
    typeof value === "bigint" ? value.toString() : Array.isArray(value) ? value.map(text) : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, text(v)])) : value;
  return { rounds: text(view.rounds), leaderboard: text(view.leaderboard) } as Record<string, unknown>;
}
