// The one prompt wrapper: every question the CLI asks, in a session or for a scripted password, goes
// through `ask`, and every prompt validates with the same parsers the commands use (input/values.ts).
//
// In the session a prompt forgives: Esc, an empty answer or Ctrl+C goes back one step (select and
// menu answer `null`, their "Back"; input and secret answer `undefined`), and only Ctrl+C at the top
// menu (`top: true`) leaves, as a CancelledError (exit 130). A scripted command's prompt (password,
// confirm) has no step to go back to: Ctrl+C cancels it.
import { CancelledError } from "../support/errors";
import { asValidator } from "../input/values";
import { BACK, type ListChoice } from "./list-prompt";

export interface Choice<T> {
  name: string;
  value: T;
  /** The number that selects it when typed (an account's printed index); menus number themselves. */
  key?: string;
  description?: string;
  disabled?: boolean | string;
  /** Kept in view when a filterable list is filtered (paging, "paste an address", Back). */
  fixed?: boolean;
}

/** What a list may add beyond its choices: a header kept in view, typing to filter, the cursor's start. */
export interface SelectOptions<T> {
  header?: string;
  filterable?: boolean;
  onSearch?: (text: string) => T;
  initial?: T;
}

type Question = Record<string, unknown> & { type: string; message: string };
type PromptFunction = (config: Record<string, unknown>, context: { output: NodeJS.WritableStream; signal: AbortSignal }) => Promise<unknown>;
/** inquirer's prompt module; its `prompts` are the built-in prompts, which take an abort signal each. */
type PromptModule = { prompts: Record<string, PromptFunction> };

let loaded: { stream: NodeJS.WritableStream; prompt: PromptModule } | undefined;

/** Prompts write to stderr, so `carbon register … --json` keeps stdout for its one JSON object. */
function promptModule(output: NodeJS.WritableStream = process.stderr): PromptModule {
  if (!loaded || loaded.stream !== output) {
    const inquirer = (require("inquirer") as typeof import("inquirer")).default;
    loaded = { stream: output, prompt: inquirer.createPromptModule({ output }) as unknown as PromptModule };
  }
  return loaded.prompt;
}

let output: NodeJS.WritableStream = process.stderr;

/** Where prompts draw: stderr for a scripted command's question, stdout for a whole session. */
export function setPromptOutput(stream: NodeJS.WritableStream): void {
  output = stream;
}

/** What a prompt that was left answers: Esc (back) or Ctrl+C (exit). */
type Left = { left: "back" | "exit" };

function isLeft(value: unknown): value is Left {
  return typeof value === "object" && value !== null && "left" in value;
}

/** Runs an inquirer question; Esc aborts it (readline reports a lone Esc after a moment). */
async function run<T>(question: Question): Promise<T | Left> {
  const abort = new AbortController();
  const onKey = (_: string, key?: { name?: string }) => {
    if (key?.name === "escape") abort.abort();
  };
  process.stdin.on("keypress", onKey);
  try {
    const { type, ...config } = question;
    const prompt = type === "password" ? (require("./password-prompt").passwordPrompt as PromptFunction) : promptModule(output).prompts[type];
    return (await prompt(config, { output, signal: abort.signal })) as T;
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === "AbortPromptError") return { left: "back" };
    if (name === "ExitPromptError") return { left: "exit" };
    throw error;
  } finally {
    process.stdin.off("keypress", onKey);
  }
}

/** A scripted command's question: Ctrl+C cancels the command (exit 130). */
export async function ask<T>(question: Question): Promise<T> {
  const answer = await run<T>(question);
  if (isLeft(answer)) throw new CancelledError();
  return answer;
}

/** Rows the list itself may take: the terminal's, less the lines above and below it. */
function pageSize(headerLines: number): number {
  const rows = (output as NodeJS.WriteStream).rows ?? 24;
  return Math.max(5, rows - 8 - headerLines);
}

async function list<T>(message: string, choices: Array<Choice<T>>, options: SelectOptions<T> & { top?: boolean; numbered?: boolean }): Promise<T | null> {
  const { listPrompt } = require("./list-prompt") as typeof import("./list-prompt");
  const listed: Array<ListChoice<T>> = choices.map((choice, i) => ({
    name: options.numbered ? `${i + 1}. ${choice.name}` : choice.name,
    value: choice.value,
    key: options.numbered ? String(i + 1) : choice.key,
    disabled: choice.disabled,
    fixed: choice.fixed,
  }));
  const { header, filterable, onSearch, initial } = options;
  try {
    const answer = await listPrompt({ message, choices: listed, header, filterable, onSearch, initial, pageSize: pageSize(header ? header.split("\n").length : 0) }, { output });
    return answer === BACK ? null : (answer as T);
  } catch (error) {
    if ((error as Error)?.name !== "ExitPromptError") throw error;
    if (options.top) throw new CancelledError();
    return null;
  }
}

/** A list to choose from, with an optional header kept in view; `null` is Back (Esc, Ctrl+C). */
export function select<T>(message: string, choices: Array<Choice<T>>, options: SelectOptions<T> = {}): Promise<T | null> {
  return list(message, choices, options);
}

/** A menu, numbered, so a key from 1 to 9 picks an action; `null` is Back. Ctrl+C at the `top` menu leaves. */
export function menu<T>(message: string, choices: Array<Choice<T>>, options: { top?: boolean } = {}): Promise<T | null> {
  return list(message, choices, { ...options, numbered: true });
}

/**
 * A line of text checked as it is typed: the text shows red while `parse` refuses it and green once
 * it accepts it, `hint` may add a note (e.g. a byte count), and Enter on bad text shows the message.
 * Esc, Ctrl+C or an empty answer is `undefined`: back one step (for an `optional` one, empty is "").
 */
export async function input<T>(message: string, parse: (text: string) => T, hint?: (text: string) => string, options: { optional?: boolean } = {}): Promise<string | undefined> {
  const check = asValidator(parse);
  const validate = (text: string) => (text === "" ? true : check(text));
  const { palette } = require("../render/colours") as typeof import("../render/colours");
  const transformer = (text: string, { isFinal }: { isFinal: boolean }) => {
    if (isFinal || text === "") return text;
    const c = palette("stdout");
    const shown = check(text) === true ? c.ok(text) : c.fail(text);
    return hint ? `${shown}  ${c.dim(hint(text))}` : shown;
  };
  const answer = await run<string>({ type: "input", message: `${message} ${palette("stdout").dim("(esc back)")}`, validate, transformer });
  if (isLeft(answer)) return undefined;
  // An optional field's empty answer is an answer ("none"); elsewhere it goes back.
  return answer === "" && !options.optional ? undefined : answer;
}

/**
 * A hidden line in the session; `validate` may be async (a password checked against the chain), so a
 * wrong answer is asked again in place. Esc, Ctrl+C or an empty answer is `undefined`: back one step.
 */
export async function secret(message: string, validate?: (text: string) => true | string | Promise<true | string>): Promise<string | undefined> {
  const { palette } = require("../render/colours") as typeof import("../render/colours");
  const check = (text: string) => (text === "" || !validate ? true : validate(text));
  const answer = await run<string>({ type: "password", message: `${message} ${palette("stdout").dim("(esc back)")}`, mask: "*", validate: check });
  return isLeft(answer) || answer === "" ? undefined : answer;
}

/** A scripted command's hidden line: Ctrl+C cancels. */
export function password(message: string, validate?: (text: string) => true | string): Promise<string> {
  return ask<string>({ type: "password", message, mask: "*", ...(validate ? { validate } : {}) });
}

/** A yes or no in the session: Esc or Ctrl+C is "no", so leaving the question does nothing. */
export async function agree(message: string, defaultValue = false): Promise<boolean> {
  const answer = await run<boolean>({ type: "confirm", message, default: defaultValue });
  return isLeft(answer) ? false : answer;
}

export function confirm(message: string, defaultValue = true): Promise<boolean> {
  return ask<boolean>({ type: "confirm", message, default: defaultValue });
}
