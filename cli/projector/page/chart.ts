// The price and volume chart, drawn by uPlot (a chart library made for time series, served from
// this product's own files): the book's fills as a price line on the left axis and their volume as
// bars, the lot shop's purchases as bars of their own colour (a lot is paid for in quota, so it has
// volume and no ether price). One point per second of the chain's clock: trades in the same block
// add up. A price band in force is drawn as two dashed lines at its limits.
import type uPlotType from "uplot";
import type { BandView, TradeView } from "../view.js";
import { clock } from "./render.js";

type Series = Array<number | null>;
type Data = [number[], Series, Series, Series, Series, Series];

let plot: uPlotType | undefined;
let scheme = "";
let last: readonly TradeView[] = [];
let lastBand: BandView | undefined;
let drawnBand: BandView | undefined;

/** The chart's data, as drawn: [times, fill prices, fill volumes, lot volumes, band low, band high]. */
export function chartData(trades: readonly TradeView[], band?: BandView): Data {
  const byTime = new Map<number, { price: number | null; fill: number; lot: number }>();
  for (const trade of trades) {
    const point = byTime.get(trade.time) ?? { price: null, fill: 0, lot: 0 };
    if (trade.kind === "fill") {
      point.price = Number(trade.price);
      point.fill += Number(trade.quantity);
    } else {
      point.lot += Number(trade.quantity);
    }
    byTime.set(trade.time, point);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const limit = (value: string | undefined) => times.map(() => (band?.active && value ? Number(value) : null));
  return [times, times.map((t) => byTime.get(t)!.price), times.map((t) => byTime.get(t)!.fill || null), times.map((t) => byTime.get(t)!.lot || null), limit(band?.low), limit(band?.high)];
}

function colour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

function size(): { width: number; height: number } {
  const box = document.getElementById("plot")!.getBoundingClientRect();
  return { width: Math.max(200, Math.floor(box.width)), height: Math.max(120, Math.floor(box.height)) };
}

/** A range with room around it: one trade is not drawn on an axis from 0. */
function padded(min: number | null, max: number | null, fraction: number, floor: number): [number, number] {
  if (min === null || max === null) return [0, 1];
  const span = Math.max(max - min, Math.abs(max) * fraction, floor);
  return [Math.max(0, min - span / 2), max + span / 2];
}

function bandLimit(which: "low" | "high"): number | null {
  const value = lastBand?.active ? lastBand[which] : undefined;
  return value ? Number(value) : null;
}

function lowest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function highest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

/** The band's limits as dashed lines across the plot. */
function drawBand(u: uPlotType): void {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.strokeStyle = colour("--ask");
  ctx.lineWidth = 2 * devicePixelRatio;
  ctx.setLineDash([10 * devicePixelRatio, 8 * devicePixelRatio]);
  for (const value of [bandLimit("low"), bandLimit("high")]) {
    if (value === null) continue;
    const y = u.valToPos(value, "price", true);
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
  }
  ctx.restore();
}

/** The trades' span with a margin, at least two minutes wide. */
function timeRange(times: number[]): [number, number] {
  if (times.length === 0) return [0, 1];
  const min = times[0];
  const max = times[times.length - 1];
  const margin = Math.max((max - min) * 0.04, 60);
  return [min - margin, max + margin];
}

function create(data: Data): uPlotType {
  const fg = colour("--fg");
  const grid = colour("--line");
  const font = `${Math.round(parseFloat(getComputedStyle(document.documentElement).fontSize) * 0.85)}px system-ui, sans-serif`;
  const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, font, size: 70 };
  // Side by side, fills left of their time and lots right of it: a second with both shows both.
  const fillBars = uPlot.paths.bars!({ size: [0.4, 36, 14], align: -1 });
  const lotBars = uPlot.paths.bars!({ size: [0.4, 36, 14], align: 1 });
  return new uPlot(
    {
      ...size(),
      hooks: { draw: [drawBand] },
      legend: { show: false },
      cursor: { show: false },
      scales: {
        // From the data itself: uPlot widens a single point's range to days before asking.
        x: { time: true, range: (u) => timeRange(u.data[0] as number[]) },
        // The band's limits are always in view, so a price near them is seen against them.
        price: { range: (_u, min, max) => padded(lowest(min, bandLimit("low")), highest(max, bandLimit("high")), 0.1, 0.0002) },
        volume: { range: (_u, _min, max) => [0, (max || 1) * 2.5] },
      },
      axes: [
        // One row of times on the chain's clock, as the header and the feed print them: uPlot's own
        // two-row labels (a date under the first tick) overlapped on a wide range.
        { ...axis, space: 90, values: (_u, ticks, _axis, _space, step) => ticks.map((t) => (step >= 86_400 ? clock(t, true) : step >= 60 ? clock(t).slice(0, 5) : clock(t))) },
        { ...axis, size: 96, scale: "price", values: (_u, ticks) => ticks.map((t) => t.toFixed(4)) },
        { ...axis, scale: "volume", side: 1, grid: { show: false } },
      ],
      series: [
        {},
        { label: "price", scale: "price", stroke: colour("--fill"), width: 3, spanGaps: true, points: { show: true, size: 9, fill: colour("--fill") } },
        { label: "book volume", scale: "volume", stroke: colour("--fill"), fill: colour("--fill") + "80", paths: fillBars, points: { show: false } },
        { label: "lot volume", scale: "volume", stroke: colour("--lot"), fill: colour("--lot") + "99", paths: lotBars, points: { show: false } },
        // Drawn by the hook below across the whole width; series of their own so the data says where.
        { label: "band low", scale: "price", show: false },
        { label: "band high", scale: "price", show: false },
      ],
    },
    data,
    document.getElementById("plot")!,
  );
}

export function drawChart(trades: readonly TradeView[], band?: BandView): void {
  last = trades;
  lastBand = band;
  const data = chartData(trades, band);
  const bandMoved = JSON.stringify(band) !== JSON.stringify(drawnBand);
  drawnBand = band;
  const empty = document.querySelector<HTMLElement>("#chart .empty")!;
  empty.hidden = data[0].length > 0;
  const now = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  if (plot && now !== scheme) {
    plot.destroy();
    plot = undefined;
  }
  scheme = now;
  if (!plot) plot = create(data);
  else plot.setData(data, true);
  // setData rescales from the data; a band set with no new trade must rescale too.
  if (bandMoved) plot.redraw(false, true);
}

window.addEventListener("resize", () => plot?.setSize(size()));
matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => drawChart(last, lastBand));
(window as unknown as { projectorChart: unknown }).projectorChart = { data: () => chartData(last, lastBand) };
