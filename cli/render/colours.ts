// What each colour means, everywhere in the CLI: names (addresses, IDs, commands) cyan, success green,
// failure red, secondary detail dim, headings bold. Whether colour is on is decided here, per stream,
// not by chalk alone: chalk reads `--color` in argv as "force colour" whatever follows it, and ignores
// NO_COLOR. `--color never`, NO_COLOR (non-empty) and --json turn it off; `--color always` turns it on
// even in a pipe; `auto` follows FORCE_COLOR, then whether the stream is a terminal.
type ChalkInstance = import("chalk").ChalkInstance;

export type ColourMode = "auto" | "always" | "never";

export interface Palette {
  name(text: string): string;
  ok(text: string): string;
  fail(text: string): string;
  dim(text: string): string;
  heading(text: string): string;
  warn(text: string): string;
}

let mode: ColourMode = "auto";
const instances = new Map<string, ChalkInstance | undefined>();

/** Set once from --color (and --json, which is "never") before anything prints. */
export function setColourMode(chosen: ColourMode): void {
  mode = chosen;
  instances.clear();
  // Inquirer's prompts read NO_COLOR themselves.
  if (chosen === "never") process.env.NO_COLOR = "1";
}

/** --json: no colour on either stream. */
export function disableColour(): void {
  setColourMode("never");
}

/** The colour level for a stream under the current mode: 0 is none. */
export function colourLevel(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): number {
  if (mode === "never") return 0;
  if (mode === "always") return 1;
  if (env.NO_COLOR) return 0;
  const forced = env.FORCE_COLOR;
  if (forced !== undefined) {
    if (forced === "false" || forced === "0") return 0;
    if (forced === "" || forced === "true") return 1;
    const level = Number.parseInt(forced, 10);
    if (Number.isInteger(level)) return Math.max(0, Math.min(3, level));
  }
  if (!stream.isTTY || env.TERM === "dumb") return 0;
  return env.COLORTERM === "truecolor" ? 3 : /256/.test(env.TERM ?? "") ? 2 : 1;
}

function chalkFor(stream: "stdout" | "stderr"): ChalkInstance | undefined {
  if (!instances.has(stream)) {
    const level = colourLevel(stream === "stdout" ? process.stdout : process.stderr);
    // chalk is ESM-only; this Node loads it through require (require(esm)), ~20 ms: only for colour.
    const Chalk = level > 0 ? (require("chalk") as typeof import("chalk")).Chalk : undefined;
    instances.set(stream, Chalk ? new Chalk({ level: level as 1 | 2 | 3 }) : undefined);
  }
  return instances.get(stream);
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
