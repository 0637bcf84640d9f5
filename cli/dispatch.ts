// Running one scripted command: parse its options (bad input stops here, before any connection),
// connect, run, render as text or JSON, and turn the result or the error into the exit code. The
// top-level catch of the whole CLI is `reportError`.
import type { CommandModule, Flags } from "./commands/command";
import { NodeUnreachableError } from "./chain/rpc";
import { CarbonError, EXIT, UnavailableError } from "./support/errors";
import { disableColour, palette } from "./render/colours";

export interface GlobalOptions {
  rpc?: string;
  network?: string;
  json?: boolean;
  debug?: boolean;
  color?: "auto" | "always" | "never";
}

/** The renderers a command's result can go through; each exists in render/text.ts and render/json.ts. */
export type RendererName = "outcome" | "accounts" | "registered" | "login" | "balance" | "lots" | "lot" | "records" | "market" | "transaction"
  | "placement" | "book" | "orders" | "trades" | "chart" | "tradingStatus" | "band" | "withdrawal" | "sweep"
  | "period" | "compliance" | "enforcement" | "clock" | "obligation" | "verifiers" | "regulator" | "funded" | "bulk"
  | "firm" | "abated" | "lessonRound" | "lessonClose" | "lessonReport" | "lessonResults" | "lessonPlay"
  | "auction" | "auctionBids";

export async function runCommand(name: string, renderer: RendererName, args: string[], flags: Flags, globals: GlobalOptions): Promise<number> {
  if (globals.json) disableColour();
  const command = require(`./commands/${name}`) as CommandModule<unknown, unknown>;
  const options = command.parse(args, flags);

  const { connect, connectEarly } = require("./chain/connect") as typeof import("./chain/connect");
  const connectOptions = { rpc: globals.rpc, network: globals.network };
  const runOn = async (market: import("./chain/market").Market): Promise<unknown> => {
    const stopSpinner = globals.json ? () => undefined : (require("./render/spinner") as typeof import("./render/spinner")).spinWhileMining(market);
    // The hash goes to stderr as soon as it is known, before the wait: if the wait fails, it was seen.
    const stopHash = globals.json ? () => undefined : market.watch((event) => {
      if (event.phase !== "sent") return;
      process.stderr.write(event.resumed ? `tx ${event.txHash} (an earlier identical transaction, not yet confirmed: waiting for it instead of sending another)\n` : `tx ${event.txHash} sent; waiting for it to be mined\n`);
    });
    try {
      const value = await command.run(market, options);
      // Every account the result shows is shown with its name: one batch for the whole result.
      const labels = require("./render/account-label") as typeof import("./render/account-label");
      labels.rememberNames(await market.names.namesOf([...labels.addressesIn(value)]));
      return value;
    } finally {
      stopSpinner();
      stopHash();
      market.close();
    }
  };
  // The market of the last connect, proved in the same round trip as the command's first reads
  // (connect.ts connectEarly); what was read on a market the chain did not prove is thrown away.
  const early = connectEarly(connectOptions);
  let result: unknown;
  if (early) {
    const settled = await runOn(early.market).then(
      (value) => ({ ok: true as const, value }),
      (reason: unknown) => ({ ok: false as const, reason }),
    );
    if (await early.confirmed) {
      if (!settled.ok) throw settled.reason;
      result = settled.value;
    } else {
      result = await runOn(await connect(connectOptions));
    }
  } else {
    result = await runOn(await connect(connectOptions));
  }

  const refused = (result as { ok?: boolean }).ok === false;
  if (globals.json) {
    const json = require("./render/json") as typeof import("./render/json") & Record<RendererName, (value: unknown) => Record<string, unknown>>;
    const { withNames } = require("./render/account-label") as typeof import("./render/account-label");
    process.stdout.write(JSON.stringify(json.envelope(withNames(json[renderer](result)) as Record<string, unknown>, refused)) + "\n");
  } else {
    const text = require("./render/text") as Record<RendererName, (value: unknown) => string>;
    process.stdout.write(text[renderer](result) + "\n");
    // Where a page sits in its list goes to stderr, so stdout stays the table alone.
    const { pageLine } = require("./commands/paging") as typeof import("./commands/paging");
    const line = pageLine((result as { page?: import("./commands/paging").PageInfo }).page);
    if (line) process.stderr.write(line + "\n");
  }
  // An isSuccess=false outcome or a failed login: the contract said no.
  return refused ? EXIT.refused : EXIT.ok;
}

/** The top-level catch: one line on stderr (and one JSON object with --json); a stack only with --debug. */
export function reportError(error: unknown, globals: GlobalOptions): number {
  const known = asCarbonError(error);
  const exitCode = known?.exitCode ?? EXIT.refused;
  const message = known ? known.message : `unexpected error: ${(error as Error)?.message ?? String(error)}${globals.debug ? "" : " (run with --debug for details)"}`;
  if (globals.json) {
    // With --json the error is the one object on stdout, and stderr stays empty.
    const { error: envelope } = require("./render/json") as typeof import("./render/json");
    process.stdout.write(JSON.stringify(envelope(message, exitCode, errorFields(error))) + "\n");
    return exitCode;
  }
  if (!(known && known.exitCode === EXIT.cancelled)) {
    const { printable } = require("./render/sanitize") as typeof import("./render/sanitize");
    process.stderr.write(palette("stderr").fail(`error: ${printable(message)}`) + "\n");
  }
  if (globals.debug && error instanceof Error && error.stack) process.stderr.write(error.stack + "\n");
  return exitCode;
}

/** What an error carries beyond its message for the JSON envelope: a sent write's hash (exit 4), etc. */
function errorFields(error: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (error && typeof error === "object") {
    for (const key of ["txHash", "block", "gasUsed"]) {
      const value = (error as Record<string, unknown>)[key];
      if (value !== undefined) fields[key] = typeof value === "bigint" ? value.toString() : value;
    }
  }
  return fields;
}

function asCarbonError(error: unknown): CarbonError | undefined {
  if (error instanceof CarbonError) return error;
  // A node that goes away in the middle of a command.
  if (error instanceof NodeUnreachableError) {
    const { noNodeMessage } = require("./chain/connect") as typeof import("./chain/connect");
    return new UnavailableError(noNodeMessage(error.url));
  }
  return undefined;
}
