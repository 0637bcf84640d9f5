// The price and volume chart, drawn by uPlot (a chart library made for time series, served from
// this product's own files): the book's fills as a price line on the left axis and their volume as
// bars, the lot shop's purchases as bars of their own colour (a lot is paid for in quota, so it has
// volume and no ether price). One point per second of the chain's clock: trades in the same block
// add up.
import type uPlotType from "uplot";
import type { TradeView } from "../view.js";

type Data = [number[], Array<number | null>, Array<number | null>, Array<number | null>];

let plot: uPlotType | undefined;
let scheme = "";
let last: readonly TradeView[] = [];

/** The chart's data, as drawn: [times, fill prices, fill volumes, lot volumes]. */
export function chartData(trades: readonly TradeView[]): Data {
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
  return [times, times.map((t) => byTime.get(t)!.price), times.map((t) => byTime.get(t)!.fill || null), times.map((t) => byTime.get(t)!.lot || null)];
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
      legend: { show: false },
      cursor: { show: false },
      scales: {
        // From the data itself: uPlot widens a single point's range to days before asking.
        x: { time: true, range: (u) => timeRange(u.data[0] as number[]) },
        price: { range: (_u, min, max) => padded(min, max, 0.1, 0.0002) },
        volume: { range: (_u, _min, max) => [0, (max || 1) * 2.5] },
      },
      axes: [
        { ...axis },
        { ...axis, scale: "price", values: (_u, ticks) => ticks.map((t) => t.toFixed(4)) },
        { ...axis, scale: "volume", side: 1, grid: { show: false } },
      ],
      series: [
        {},
        { label: "price", scale: "price", stroke: colour("--fill"), width: 3, spanGaps: true, points: { show: true, size: 9, fill: colour("--fill") } },
        { label: "book volume", scale: "volume", stroke: colour("--fill"), fill: colour("--fill") + "80", paths: fillBars, points: { show: false } },
        { label: "lot volume", scale: "volume", stroke: colour("--lot"), fill: colour("--lot") + "99", paths: lotBars, points: { show: false } },
      ],
    },
    data,
    document.getElementById("plot")!,
  );
}

export function drawChart(trades: readonly TradeView[]): void {
  last = trades;
  const data = chartData(trades);
  const empty = document.querySelector<HTMLElement>("#chart .empty")!;
  empty.hidden = data[0].length > 0;
  const now = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  if (plot && now !== scheme) {
    plot.destroy();
    plot = undefined;
  }
  scheme = now;
  if (!plot) plot = create(data);
  else plot.setData(data);
}

window.addEventListener("resize", () => plot?.setSize(size()));
matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => drawChart(last));
(window as unknown as { projectorChart: unknown }).projectorChart = { data: () => chartData(last) };
