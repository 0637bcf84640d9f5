// `carbon batch [--file <path>] [--keep-going]`: many commands in one process and one connection.
// Reads one command per line from standard input (or --file), in the words of the command line
// without `carbon` (`buy 1 LOT-7`, `carbons --unsold --limit 5`); blank lines and lines starting with
// `#` are skipped. Prints one JSON line per command, the same envelope as `--json`:
// {"ok": true, ...} or {"ok": false, "error", "exitCode", ...}.
//
// By default the batch stops at the first command that fails (bad line, refusal, no node), after
// printing its line, and exits with its code. --keep-going runs every line, exits with the first
// failure's code, and overlaps each write's wait for its receipt with the next lines (a write's
// nonce is taken in line order, so the chain runs them in that order; on a node that does not mine
// at once, a read may not yet see a write of an earlier line).
import fs from "node:fs";
import readline from "node:readline";
import type { Market } from "../chain/market";
import type { GlobalOptions, RendererName } from "../dispatch";
import { CarbonError, EXIT, UsageError } from "../errors";
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
  try {
    for await (const line of lines(options)) {
      let result: Promise<Record<string, unknown>>;
      let accepted: Promise<void> = Promise.resolve();
      try {
        const { name, args, flags } = parseLine(line);
        const command = require(`./${name}`) as CommandModule<unknown, unknown>;
        const parsed = command.parse(args, flags);
        market ??= await connect({ rpc: globals.rpc, network: globals.network });
        const current = market;
        // The next line may start once this line's transaction is in the node's hands.
        let release!: () => void;
        accepted = new Promise<void>((resolve) => (release = resolve));
        const stop = current.watch((event) => {
          if (event.phase === "accepted" || event.phase === "failed" || event.phase === "mined") release();
        });
        result = command.run(current, parsed).then(
          (value) => json.envelope(json[COMMANDS[name].renderer](value), (value as { ok?: boolean }).ok === false),
          failure,
        ).finally(() => {
          stop();
          release();
        });
      } catch (error) {
        result = Promise.resolve(failure(error));
      }
      const settled = result;
      printed = printed.then(async () => {
        const body = await settled;
        out(JSON.stringify(body));
        if (body.ok !== true && exitCode === EXIT.ok) exitCode = Number(body.exitCode);
      });
      if (options.keepGoing) await Promise.race([accepted, settled]);
      else {
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
