// `carbon chart`: the price and the volume of the market's trades over time, drawn by asciichart (a
// kept library, MIT): price as a line above, volume below, time running left to right. When there
// are more trades than columns, neighbouring trades share a column: its price is the last of them
// (the close) and its volume their sum, so no trade is left out of the volume.
import { formatEther } from "../input/order-book";
import { formatTime } from "./format";

export interface ChartPoint {
  /** Unix seconds of the trade's block. */
  time: number;
  /** Wei per unit. */
  price: bigint;
  quantity: bigint;
}

export interface ChartOptions {
  /** Columns of the whole drawing, axis labels included (80 when absent). */
  width?: number;
  /** Rows of the price chart; the volume chart has half as many. */
  height?: number;
}

/** One column of the chart: the close price and the volume of the trades in it. */
export interface Column {
  time: number;
  price: bigint;
  volume: bigint;
}

/** Trades (oldest first) into at most `columns` columns of consecutive trades, as even as possible. */
export function columns(points: ChartPoint[], count: number): Column[] {
  const n = Math.min(points.length, Math.max(1, count));
  const result: Column[] = [];
  for (let i = 0; i < n; i++) {
    const group = points.slice(Math.floor((i * points.length) / n), Math.floor(((i + 1) * points.length) / n));
    const last = group[group.length - 1];
    result.push({ time: last.time, price: last.price, volume: group.reduce((sum, p) => sum + p.quantity, 0n) });
  }
  return result;
}

/** The chart of `points` (oldest first), or a line saying there is nothing to draw. */
export function chart(points: ChartPoint[], options: ChartOptions = {}): string {
  if (points.length === 0) return "No trades yet: the chart starts with the first.";
  const width = Math.max(40, options.width ?? 80);
  const height = Math.max(2, options.height ?? 10);
  const maxPrice = points.reduce((max, p) => (p.price > max ? p.price : max), 0n);
  // Labels as wide as the widest price or volume, so both charts' axes line up.
  const labelWidth = Math.max(8, formatEther(maxPrice).split(".")[0].length + 9);
  // Each row is a label, a space and the axis, then one column per point.
  const shown = columns(points, width - labelWidth - 2);
  // One column would draw no line: asciichart draws from each point to the next.
  const drawn = shown.length === 1 ? [shown[0], shown[0]] : shown;
  const prices = drawn.map((c) => Number(formatEther(c.price)));
  const volumes = drawn.map((c) => Number(c.volume));
  // A flat series is drawn from 0: asciichart labels a chart with no range by row, not by value.
  const flat = prices.every((p) => p === prices[0]);
  const price = plot(prices, height, labelWidth, decimalsFor(shown.map((c) => c.price), flat ? [0, ...prices] : prices, height), flat ? 0 : undefined);
  // No more rows than units, so each row's label is a whole number of its own.
  const volume = plot(volumes, Math.max(1, Math.min(Math.floor(height / 2), Math.max(...volumes))), labelWidth, 0, 0);
  const trades = `${points.length} trade${points.length === 1 ? "" : "s"}`;
  const grouped = shown.length < points.length;
  return [
    grouped ? `price (ETH, last per column): ${trades}, ${shown.length} columns` : `price (ETH per unit): ${trades}, one column each`,
    price,
    "",
    grouped ? "volume (units, summed per column)" : "volume (units)",
    volume,
    `${"time".padStart(labelWidth)}  ${formatTime(points[0].time)} → ${formatTime(points[points.length - 1].time)}`,
  ]
    .join("\n")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n");
}

/**
 * asciichart's plot, with the axis symbol for every row: its default marks the row where the scaled
 * value is 0 with a cross, which for a chart from 0 lands on the top row.
 */
function plot(series: number[], height: number, labelWidth: number, decimals: number, min?: number): string {
  const asciichart = require("asciichart") as typeof import("asciichart");
  const symbols = ["┤", "┤", "╶", "╴", "─", "╰", "╭", "╮", "╯", "│"];
  return asciichart.plot(series, { height, offset: 2, symbols, ...(min === undefined ? {} : { min }), format: (x: number) => x.toFixed(decimals).padStart(labelWidth) });
}

/** Enough decimals for the prices themselves and for neighbouring labels to differ (at most 8). */
function decimalsFor(wei: bigint[], prices: number[], height: number): number {
  const own = Math.max(0, ...wei.map((w) => (formatEther(w).split(".")[1] ?? "").length));
  const range = Math.max(...prices) - Math.min(...prices);
  const step = range > 0 ? Math.ceil(-Math.log10(range / height)) : 0;
  return Math.min(8, Math.max(own, step, 0));
}
