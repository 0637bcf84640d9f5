// Tables for lists: cli-table3 without rules, fitted to the terminal. When a table is wider than the
// terminal (an 80-column one, typically), address columns shrink to 0x1234…abcd and the one `wrap`
// column wraps; piped output keeps every address whole. An address column shows each account's
// display name beside its address (account-label.ts). Times and the like may offer a shorter form.
// Widths are display widths (string-width, as cli-table3 measures them): a Chinese character takes
// two columns, so a lot ID like 碳-B is shown whole and the columns after it stay aligned.
import { labelAddresses } from "./account-label";

/** What a text renderer passes on to its tables. */
export interface TextOptions {
  /** Columns to fit tables to; the terminal's width when absent. */
  width?: number;
}

export interface Column {
  header: string;
  align?: "left" | "right";
  /** Holds addresses, which may be shortened to fit. */
  address?: boolean;
  /** A shorter form of a cell, used when the table does not fit. */
  shrink?: (cell: string) => string;
  /** Wraps to whatever width is left (at most one column). */
  wrap?: boolean;
}

const GAP = 2;
/** Printable ASCII is one column a character; anything else (colour codes, wide characters) is measured by string-width, loaded then. */
function visibleWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  return (require("string-width") as typeof import("string-width"))(text);
}

/** The width to fit: the terminal's, or unlimited when stdout is not a terminal. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY && stream.columns ? stream.columns : Infinity;
}

export function table(columns: Column[], rows: string[][], options: TextOptions & { heading?: (text: string) => string } = {}): string {
  const width = options.width ?? outputWidth();
  const heading = options.heading ?? ((t: string) => t);
  const natural = (cells: string[][]) =>
    columns.map((column, i) => Math.max(visibleWidth(column.header), ...cells.map((row) => visibleWidth(row[i] ?? ""))));
  const total = (widths: number[]) => widths.reduce((sum, w) => sum + w, 0) + GAP * (columns.length - 1);

  let cells = rows.map((row) => row.map((cell, i) => (columns[i]?.address ? labelAddresses(cell) : cell)));
  let widths = natural(cells);
  if (total(widths) > width && columns.some((c) => c.address || c.shrink)) {
    const shrink = (cell: string, column: Column) => (column.shrink ? column.shrink(cell) : column.address ? labelAddresses(cell, { short: true }) : cell);
    cells = rows.map((row) => row.map((cell, i) => shrink(cell, columns[i])));
    widths = natural(cells);
  }
  const wrapAt = columns.findIndex((c) => c.wrap);
  let wordWrap = false;
  if (total(widths) > width && wrapAt >= 0) {
    widths[wrapAt] = Math.max(12, width - (total(widths) - widths[wrapAt]));
    wordWrap = true;
  }

  const Table = require("cli-table3") as typeof import("cli-table3");
  const output = new Table({
    head: columns.map((c) => heading(c.header)),
    colAligns: columns.map((c) => c.align ?? "left"),
    // The gap is each cell's right padding; the last column's is trimmed off below.
    colWidths: widths.map((w) => w + GAP),
    wordWrap,
    style: { head: [], border: [], "padding-left": 0, "padding-right": GAP, compact: true },
    chars: {
      top: "", "top-mid": "", "top-left": "", "top-right": "",
      bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "",
      left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "",
    },
  });
  output.push(...cells);
  return output.toString().split("\n").map((line) => line.trimEnd()).join("\n");
}
