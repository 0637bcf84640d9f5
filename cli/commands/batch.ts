// `carbon batch [--file <path>] [--keep-going]`: many commands in one process and one connection.
// Reads one command per line from standard input (or --file), in the words of the command line
// without `carbon` (`buy 1 LOT-7`, `carbons --unsold --limit 5`); blank lines and lines starting with
// `#` are skipped. Prints one JSON line per command, the same envelope as `--json`:
// {"ok": true, ...} or {"ok": false, "error", "exitCode", ...}.
//
// By default the batch runs one line at a time and stops at the first command that fails (bad line,
// refusal, no node), after printing its line, and exits with its code. --keep-going runs every line
// and exits with the first failure's code; consecutive writes of the same command by the same
// sender (`buy 1 A`, `buy 1 B`, … or a run of `issue`) overlap: each takes its nonce in line order,
// so the chain runs them in that order, and the next starts while the one before is sent and mined.
// Any other line waits for every line before it to finish, so it sees their effects.
import fs from "node:fs";
import readline from "node:readline";
import type { Market } from "../chain/market";
import type { GlobalOptions, RendererName } from "../dispatch";
import { CarbonError, EXIT, UsageError } from "../support/errors";
import type { CommandModule, Flags } from "./command";

/** The commands a batch line may run, with their renderer and their boolean flags. */
const COMMANDS: Record<string, { renderer: RendererName; booleans?: string[] }> = {
  accounts: { renderer: "accounts" },
  register: { renderer: "outcome" },
  login: { renderer: "login" },
  issue: { renderer: "outcome" },
  "add-carbon": { renderer: "outcome" },
  buy: { renderer: "outcome" },
  settle: { renderer: "outcome" },
  balance: { renderer: "balance" },
  carbons: { renderer: "lots", booleans: ["unsold"] },
  carbon: { renderer: "lot" },
  records: { renderer: "records" },
  market: { renderer: "market" },
  freeze: { renderer: "outcome" },
  unfreeze: { renderer: "outcome" },
  // The order book
  bid: { renderer: "placement" },
  ask: { renderer: "placement" },
  cancel: { renderer: "outcome" },
  withdraw: { renderer: "withdrawal" },
  prune: { renderer: "sweep" },
  orders: { renderer: "orders" },
  book: { renderer: "book" },
  trades: { renderer: "trades", booleans: ["csv"] },
  band: { renderer: "tradingStatus" },
  halt: { renderer: "tradingStatus" },
  resume: { renderer: "tradingStatus" },
  // The compliance cycle's one-word commands
  report: { renderer: "outcome" }, verify: { renderer: "outcome", booleans: ["approve"] }, correct: { renderer: "outcome" }, surrender: { renderer: "outcome" },
  enforce: { renderer: "enforcement" }, compliance: { renderer: "compliance", booleans: ["csv"] }, obligation: { renderer: "obligation" },
};

export interface BatchOptions {
  file?: string;
  keepGoing: boolean;
}

export function parseBatch(flags: Flags): BatchOptions {
  return { ...(typeof flags.file === "string" ? { file: flags.file } : {}), keepGoing: Boolean(flags.keepGoing) };
}

/** Splits a line into words as a shell would for simple quoting: 'single', "double", backslash. */
export function words(line: string): string[] {
  const out: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      current ??= "";
    } else if (c === "\\" && i + 1 < line.length) {
      current = (current ?? "") + line[++i];
    } else if (/\s/.test(c)) {
      if (current !== undefined) out.push(current);
      current = undefined;
    } else current = (current ?? "") + c;
  }
  if (quote) throw new UsageError(`unterminated ${quote} quote`);
  if (current !== undefined) out.push(current);
  return out;
}

/** A line's command, positional arguments and flags (--name value, --name=value, or a boolean --name). */
export function parseLine(line: string): { name: string; args: string[]; flags: Flags } {
  const [name, ...rest] = words(line);
  const spec = COMMANDS[name];
  if (!spec) throw new UsageError(`unknown command '${name}' (a batch runs: ${Object.keys(COMMANDS).join(", ")})`);
  const args: string[] = [];
  const flags: Flags = {};
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (!word.startsWith("--")) {
      args.push(word);
      continue;
    }
    const [key, inline] = word.slice(2).split(/=(.*)/s, 2);
    const camel = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (camel === "passwordStdin") throw new UsageError("--password-stdin cannot be used in a batch (standard input is the batch); use --password");
    if (spec.booleans?.includes(key)) flags[camel] = true;
    else if (inline !== undefined) flags[camel] = inline;
    else if (i + 1 < rest.length) flags[camel] = rest[++i];
    else throw new UsageError(`option --${key} needs a value`);
  }
  return { name, args, flags };
}

/** A failed line, in the same envelope as `--json`'s top-level catch (render/json.ts). */
function failure(error: unknown): Record<string, unknown> {
  const known = error instanceof CarbonError ? error : undefined;
  const message = known ? known.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
  const txHash = (known as { txHash?: string } | undefined)?.txHash;
  const { error: envelope } = require("../render/json") as typeof import("../render/json");
  return envelope(message, known?.exitCode ?? EXIT.refused, txHash ? { txHash } : {});
}

async function* lines(options: BatchOptions): AsyncGenerator<string> {
  const input = options.file ? fs.createReadStream(options.file) : process.stdin;
  const reader = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of reader) {
    const trimmed = line.trim();
    if (trimmed && !trimmed.startsWith("#")) yield trimmed;
  }
}

/** Runs the batch; returns the exit code (0 if every line succeeded, else the first failure's). */
export async function runBatch(options: BatchOptions, globals: GlobalOptions, out: (line: string) => void = (line) => process.stdout.write(line + "\n")): Promise<number> {
  if (options.file && !fs.existsSync(options.file)) throw new UsageError(`no batch file ${options.file}`);
  const { disableColour } = require("../render/colours") as typeof import("../render/colours");
  disableColour();
  const json = require("../render/json") as typeof import("../render/json") & Record<RendererName, (value: unknown) => Record<string, unknown>>;
  const { connect } = require("../chain/connect") as typeof import("../chain/connect");
  let market: Market | undefined;
  let exitCode: number = EXIT.ok;
  // Results print in line order; with --keep-going a line's result may still be on its way.
  let printed: Promise<void> = Promise.resolve();
  /** The previous line, if it was a write that a line of the same sender may overlap. */
  let previous: { sender: string; queued: Promise<void> } | undefined;
  try {
    for await (const line of lines(options)) {
      let result: Promise<Record<string, unknown>>;
      let queued: Promise<void> = Promise.resolve();
      let sender: string | undefined;
      try {
        const { name, args, flags } = parseLine(line);
        const command = require(`./${name}`) as CommandModule<unknown, unknown>;
        const parsed = command.parse(args, flags);
        if (COMMANDS[name].renderer === "outcome") sender = `${name} ${args[0]} ${flags.from ?? ""}`;
        if (options.keepGoing && sender !== undefined && previous?.sender === sender) await previous.queued;
        else await printed;
        market ??= await connect({ rpc: globals.rpc, network: globals.network });
        const current = market;
        let release!: () => void;
        queued = new Promise<void>((resolve) => (release = resolve));
        const stop = current.watch((event) => {
          if (event.phase === "queued" || event.phase === "failed") release();
        });
        result = command.run(current, parsed).then(
          (value) => json.envelope(json[COMMANDS[name].renderer](value), (value as { ok?: boolean }).ok === false),
          failure,
        ).finally(() => {
          stop();
          release();
        });
      } catch (error) {
        await printed;
        result = Promise.resolve(failure(error));
      }
      const settled = result;
      previous = sender === undefined ? undefined : { sender, queued: Promise.race([queued, settled.then(() => undefined)]) };
      printed = printed.then(async () => {
        const body = await settled;
        out(JSON.stringify(body));
        if (body.ok !== true && exitCode === EXIT.ok) exitCode = Number(body.exitCode);
      });
      if (!options.keepGoing) {
        await printed;
        if (exitCode !== EXIT.ok) break;
      }
    }
    await printed;
  } finally {
    market?.close();
  }
  return exitCode;
}
