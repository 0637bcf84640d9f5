// The top level of the start-up commands (npm start, npm run chain/migrate/demo/walkthrough): one
// catch that prints the one-line reason and sets the exit code, after undoing what was started.
// Stacks only with --debug: a user error is a sentence, not a trace.
import { chalkStderr as stderr } from "chalk";
import { CarbonError } from "../errors";
import { handleSignals, runCleanups } from "./shutdown";

const DEBUG = process.argv.includes("--debug") || Boolean(process.env.CARBON_DEBUG);

export function runMain(main: () => Promise<number | void>): void {
  handleSignals();
  main()
    .then(
      (code) => code ?? 0,
      (error: unknown) => report(error),
    )
    .then(async (code) => {
      await runCleanups();
      // Exit now rather than when the event loop drains: a chain that failed half-way through its
      // start, or a wallet's polling, would otherwise keep the process alive.
      process.exit(code);
    });
}

function report(error: unknown): number {
  if (error instanceof CarbonError) {
    if (error.name !== "CancelledError") process.stderr.write(`${stderr.red("✖")} ${error.message}\n`);
    if (DEBUG && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${stderr.red("✖")} unexpected error: ${message.split("\n")[0]}\n`);
  process.stderr.write(DEBUG && error instanceof Error ? `${error.stack}\n` : "  (run again with --debug to see where it happened)\n");
  return 1;
}
