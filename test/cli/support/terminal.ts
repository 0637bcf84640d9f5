// Driving the interactive session in a pseudo-terminal of 80×24, as a person would: keys in, the
// screen's text out (escape codes stripped), waiting for what should appear after each key.
import * as pty from "node-pty";
import { PROJECT_ROOT } from "../../../cli/chain/home";
import { CARBON } from "./cli";

const ESCAPES = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007|\u001b[()][A-Z0-9]|\u001b[=>78]/g;

/** The text of terminal output: no escape codes, and the terminal's CR LF as plain newlines. */
export function stripAnsi(text: string): string {
  return text.replace(ESCAPES, "").replace(/\r\n/g, "\n");
}

export class Terminal {
  readonly cols = 80;
  readonly rows = 24;
  private output = "";
  /** Where the output since the last key starts. */
  private mark = 0;
  private readonly process: pty.IPty;
  readonly exited: Promise<number>;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.process = pty.spawn(process.execPath, [CARBON, ...args], {
      name: "xterm-256color",
      cols: this.cols,
      rows: this.rows,
      cwd: PROJECT_ROOT,
      env: env as Record<string, string>,
    });
    this.process.onData((data) => (this.output += data));
    this.exited = new Promise((resolve) => this.process.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** All the bytes written so far, escape codes and all: what colour tests look at. */
  get raw(): string {
    return this.output;
  }

  /** All the text written so far, without escape codes. */
  get transcript(): string {
    return stripAnsi(this.output);
  }

  /** The text written since the last key. */
  get recent(): string {
    return stripAnsi(this.output.slice(this.mark));
  }

  /** Types keys; a number key for a menu waits a moment so the prompt moves before Enter. */
  async type(keys: string): Promise<void> {
    this.mark = this.output.length;
    this.process.write(keys);
    await delay(60);
  }

  /** Picks a numbered menu entry (inquirer's number keys), then Enter. */
  async choose(number: number): Promise<void> {
    await this.type(String(number));
    await delay(150);
    await this.type("\r");
  }

  async line(text: string): Promise<void> {
    await this.type(text + "\r");
  }

  /** Waits until the output since the last key matches. */
  async waitFor(pattern: RegExp | string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const recent = this.recent;
      if (typeof pattern === "string" ? recent.includes(pattern) : pattern.test(recent)) return recent;
      if (Date.now() > deadline) throw new Error(`the screen never showed ${pattern}; since the last key it showed:\n${recent}`);
      await delay(50);
    }
  }

  kill(): void {
    try {
      this.process.kill();
    } catch {
      // Already gone.
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
