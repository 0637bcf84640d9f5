// Progress on stderr while something slow happens (the chain booting, Truffle deploying): a spinner
// in a terminal, and only the outcome line elsewhere (a pipe, a test, a CI log).
import ora from "ora";
import { palette } from "../render/colours";

/** Runs `work` under a spinner showing `text`; on success the spinner becomes `done(result)`. */
export async function step<T>(text: string, work: () => Promise<T>, done: (result: T) => string): Promise<T> {
  // A terminal that reports 0 columns (a pty nobody sized: `script`, some CI runners and editors' shells)
  // would send ora's line count to Infinity and its redraw into an endless loop: no spinner there.
  const sized = process.stderr.columns !== 0;
  const spinner = ora({ text, stream: process.stderr, discardStdin: false, ...(sized ? {} : { isEnabled: false }) });
  spinner.start();
  try {
    const result = await work();
    spinner.succeed(done(result));
    return result;
  } catch (error) {
    // The top-level handler prints the one-line reason; the spinner just goes away.
    spinner.stop();
    throw error;
  }
}

/** A finished step that needed no waiting, in the same shape as the spinner's outcome. */
export function note(text: string): void {
  process.stderr.write(`${palette("stderr").ok("✔")} ${text}\n`);
}

export function warn(text: string): void {
  process.stderr.write(`${palette("stderr").warn("!")} ${text}\n`);
}
