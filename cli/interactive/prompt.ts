// The one prompt wrapper: every question the CLI asks, in a session or for a scripted password, goes
// through `ask`, so Ctrl+C anywhere becomes a CancelledError that the top level turns into a clean
// exit, and every prompt validates with the same parsers the commands use (input.ts).
import { CancelledError } from "../errors";
import { asValidator } from "../input";

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  disabled?: boolean | string;
}

type Question = Record<string, unknown> & { type: string; message: string };
type PromptModule = (questions: Array<Question & { name: string }>) => Promise<Record<string, unknown>>;

/** Rows a select list may take: a 24-row terminal keeps a heading, the question and its help line. */
const PAGE_SIZE = 12;

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

export async function ask<T>(question: Question): Promise<T> {
  try {
    const answers = await promptModule(output)([{ ...question, name: "answer" }]);
    return answers.answer as T;
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === "ExitPromptError" || name === "AbortPromptError") throw new CancelledError();
    throw error;
  }
}

export function select<T>(message: string, choices: Array<Choice<T>>): Promise<T> {
  return ask<T>({ type: "select", message, choices, pageSize: PAGE_SIZE, loop: false });
}

/** A menu: numbered, so a key from 1 to 9 jumps to an action (arrows work too). */
export function menu<T>(message: string, choices: Array<Choice<T>>): Promise<T> {
  return ask<T>({ type: "select", message, choices, pageSize: PAGE_SIZE, loop: false, theme: { indexMode: "number" } });
}

/**
 * A line of text checked as it is typed: the text shows red while `parse` refuses it and green once
 * it accepts it, `hint` may add a note (e.g. a byte count), and Enter on bad text shows the message.
 */
export function input<T>(message: string, parse: (text: string) => T, hint?: (text: string) => string): Promise<string> {
  const validate = asValidator(parse);
  const { palette } = require("../render/colours") as typeof import("../render/colours");
  const transformer = (text: string, { isFinal }: { isFinal: boolean }) => {
    if (isFinal || text === "") return text;
    const c = palette("stdout");
    const shown = validate(text) === true ? c.ok(text) : c.fail(text);
    return hint ? `${shown}  ${c.dim(hint(text))}` : shown;
  };
  return ask<string>({ type: "input", message, validate, transformer });
}

export function password(message: string, validate?: (text: string) => true | string): Promise<string> {
  return ask<string>({ type: "password", message, mask: "*", ...(validate ? { validate } : {}) });
}

export function confirm(message: string, defaultValue = true): Promise<boolean> {
  return ask<boolean>({ type: "confirm", message, default: defaultValue });
}
