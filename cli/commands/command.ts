// What every command module exports: a pure `parse` from the command line's strings to its typed
// options (bad input throws a UsageError before anything connects), and `run`, from a connected
// market and those options to a plain result. main.ts declares the command line and dispatches to
// these; the interactive session builds the same options and calls the same `run`.
import type { Market } from "../chain/market";

/** The command line's flags after commander, e.g. { from: "2", unsold: true }. */
export type Flags = Record<string, string | boolean | undefined>;

export interface CommandModule<Options, Result> {
  parse(args: string[], flags: Flags): Options;
  run(market: Market, options: Options): Promise<Result>;
}

/** An optional account flag, e.g. --from. */
export function optionalString(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}
