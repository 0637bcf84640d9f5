// What each colour means, everywhere in the CLI: names (addresses, IDs, commands) cyan, success green,
// failure red, secondary detail dim, headings bold. chalk decides per stream whether colour is on
// (a terminal, FORCE_COLOR, NO_COLOR); --json turns it off for both streams.
type ChalkInstance = import("chalk").ChalkInstance;

export interface Palette {
  name(text: string): string;
  ok(text: string): string;
  fail(text: string): string;
  dim(text: string): string;
  heading(text: string): string;
  warn(text: string): string;
}

let disabled = false;

/** --json: no colour on either stream. */
export function disableColour(): void {
  disabled = true;
}

function chalkFor(stream: "stdout" | "stderr"): ChalkInstance | undefined {
  if (disabled) return undefined;
  // What chalk would decide without colour, decided without loading it (~20 ms): a pipe, NO_COLOR.
  const force = process.env.FORCE_COLOR;
  if (force === undefined ? !process[stream].isTTY || "NO_COLOR" in process.env : force === "0" || force === "false") return undefined;
  // chalk is ESM-only; this Node loads it through require (require(esm)).
  const chalk = require("chalk") as typeof import("chalk");
  const instance = stream === "stdout" ? chalk.default : chalk.chalkStderr;
  return instance.level > 0 ? instance : undefined;
}

const plain: Palette = {
  name: (t) => t,
  ok: (t) => t,
  fail: (t) => t,
  dim: (t) => t,
  heading: (t) => t,
  warn: (t) => t,
};

export function palette(stream: "stdout" | "stderr" = "stdout"): Palette {
  const c = chalkFor(stream);
  if (!c) return plain;
  return {
    name: (t) => c.cyan(t),
    ok: (t) => c.green(t),
    fail: (t) => c.red(t),
    dim: (t) => c.dim(t),
    heading: (t) => c.bold(t),
    warn: (t) => c.yellow(t),
  };
}
