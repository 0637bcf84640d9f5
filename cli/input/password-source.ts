// Where a password comes from: --password <pw>, --password-stdin, CARBON_PASSWORD, or a hidden
// prompt when a person is at a terminal. Decided before connecting, so a script without one fails
// at once.
//
// CARBON_PASSWORD is for scripts: unlike --password, which every user of the machine sees in `ps`,
// a process's environment is readable only by its owner, and unlike --password-stdin it leaves
// standard input free for `carbon batch` and `wallet import`. One password serves a whole command:
// the keystore's password is the account's on-chain password, so stdin is read once and reused.
import { UsageError } from "../support/errors";
import { asValidator, parsePassword } from "./values";

export type PasswordSource = { value: string } | { stdin: true } | { prompt: true };

export function parsePasswordSource(flags: Record<string, unknown>): PasswordSource {
  const found = givenPasswordSource(flags);
  if (found) return found;
  if (!process.stdin.isTTY) throw new UsageError("no password: pass --password-stdin (or --password <pw>, or set CARBON_PASSWORD), or run in a terminal to be asked");
  return { prompt: true };
}

/** The password the command line or the environment gives, if any (no prompt). */
export function givenPasswordSource(flags: Record<string, unknown>): PasswordSource | undefined {
  const given = typeof flags.password === "string" ? flags.password : undefined;
  if (given !== undefined && flags.passwordStdin) throw new UsageError("give the password with --password or --password-stdin, not both");
  if (given !== undefined) return { value: parsePassword(given) };
  if (flags.passwordStdin) return { stdin: true };
  if (process.env.CARBON_PASSWORD) return { value: process.env.CARBON_PASSWORD };
  return undefined;
}

export async function readPassword(source: PasswordSource, message: string, { confirm = false } = {}): Promise<string> {
  if ("value" in source) return source.value;
  if ("stdin" in source) return parsePassword(stripNewline(await readStdin()));
  const { password } = require("../interactive/prompt") as typeof import("../interactive/prompt");
  const first = await password(message, asValidator(parsePassword));
  if (confirm && (await password("Repeat the password")) !== first) throw new UsageError("the two passwords differ");
  return first;
}

let stdin: Promise<string> | undefined;

/** Standard input, read to its end once per process. */
export function readStdin(): Promise<string> {
  return (stdin ??= (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  })());
}

/** `echo pw | carbon …` and `printf pw | carbon …` mean the same password. */
function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}
