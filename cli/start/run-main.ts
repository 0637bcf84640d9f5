// The top level of the start-up commands (npm start, npm run chain/migrate/demo/walkthrough): one
// catch that undoes what was started, prints the one-line reason the way the carbon CLI does
// (`error: …`, the stack only with --debug) and exits with the error's code.
import { reportError } from "../dispatch";
import { handleSignals, runCleanups } from "./shutdown";

const DEBUG = process.argv.includes("--debug") || Boolean(process.env.CARBON_DEBUG);

export function runMain(main: () => Promise<number | void>): void {
  handleSignals();
  main()
    .then(
      (code) => code ?? 0,
      (error: unknown) => reportError(error, { debug: DEBUG }),
    )
    .then(async (code) => {
      await runCleanups();
      // Exit now rather than when the event loop drains: a chain that failed half-way through its
      // start, or a wallet's polling, would otherwise keep the process alive.
      process.exit(code);
    });
}
