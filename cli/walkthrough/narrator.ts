// How the walkthrough speaks: a rule and a heading per step, its sentence wrapped to the terminal,
// the result, and a pause for Enter (unless --yes). Prose and results go to stdout, the pause's hint
// to stderr, and everything fits in 80 columns.
import readline from "node:readline";
import { palette } from "../render/colours";

/** At most 80 columns, fewer in a narrower terminal. */
export const WIDTH = Math.min(process.stdout.columns || 80, 80);

export function say(text = ""): void {
  process.stdout.write(text + "\n");
}

/** Words to lines of at most `width` columns. */
export function wrap(text: string, width = WIDTH - 2): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join("\n");
}

export function heading(number: number, total: number, title: string): void {
  const c = palette();
  say("");
  say(c.dim("─".repeat(WIDTH)));
  say(`${c.dim(`Step ${number} of ${total}`)}  ${c.heading(title)}`);
}

/** Reads lines from stdin for the pauses; at end of input (a closed pipe) the rest runs straight through. */
export class Pauses {
  private lines: string[] = [];
  private waiting?: () => void;
  private ended = false;
  private readonly reader?: readline.Interface;

  constructor(enabled: boolean) {
    if (!enabled) {
      this.ended = true;
      return;
    }
    // Not a terminal-mode interface: Ctrl+C stays a signal, which stops the walkthrough and its chain.
    this.reader = readline.createInterface({ input: process.stdin, terminal: false });
    this.reader.on("line", (line) => {
      this.lines.push(line);
      this.waiting?.();
    });
    this.reader.on("close", () => {
      this.ended = true;
      this.waiting?.();
    });
  }

  async next(what: string): Promise<void> {
    if (this.ended && this.lines.length === 0) return;
    const tty = process.stderr.isTTY;
    process.stderr.write(palette("stderr").dim(`Press Enter for ${what} (Ctrl+C stops)`) + (tty ? "" : "\n"));
    while (this.lines.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.waiting = resolve));
    this.lines.shift();
    // In a terminal, the hint and the Enter's new line are erased: the transcript stays clean.
    if (tty) process.stderr.write("\r\u001b[1A\u001b[2K");
  }

  close(): void {
    this.reader?.close();
  }
}
