// Where a command's password comes from: --password <pw>, --password-stdin, or a hidden prompt when
// a person is at a terminal. Decided before connecting, so a script without one fails at once.
import { UsageError } from "./errors";
import { asValidator, parsePassword } from "./input";

export type PasswordSource = { value: string } | { stdin: true } | { prompt: true };

export function parsePasswordSource(flags: Record<string, unknown>): PasswordSource {
  const given = typeof flags.password === "string" ? flags.password : undefined;
  if (given !== undefined && flags.passwordStdin) throw new UsageError("give the password with --password or --password-stdin, not both");
  if (given !== undefined) return { value: parsePassword(given) };
  if (flags.passwordStdin) return { stdin: true };
  if (!process.stdin.isTTY) throw new UsageError("no password: pass --password <pw> or --password-stdin, or run in a terminal to be asked");
  return { prompt: true };
}

export async function readPassword(source: PasswordSource, message: string, { confirm = false } = {}): Promise<string> {
  if ("value" in source) return source.value;
  if ("stdin" in source) return parsePassword(stripNewline(await readStdin()));
  const { password } = require("./interactive/prompt") as typeof import("./interactive/prompt");
  const first = await password(message, asValidator(parsePassword));
  if (confirm && (await password("Repeat the password")) !== first) throw new UsageError("the two passwords differ");
  return first;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** `echo pw | carbon …` and `printf pw | carbon …` mean the same password. */
function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}
