// `carbon watch [--count N]`: a live feed of the book, one line per new order, fill, cancel or
// expiry and per act of the regulator, as blocks arrive, until Ctrl+C (exit 130) or, with --count,
// until that many events were shown (exit 0). It needs no terminal: piped, each line is flushed as it
// comes; with --json each event is one JSON object on a line of its own (JSON Lines). When the node
// goes away (the chain restarted) it says so on stderr, waits for it, and goes on where it was.
import type { GlobalOptions } from "../dispatch";
import { EXIT } from "../support/errors";
import { parseWhole } from "../input/order-book";
import { optionalString, type Flags } from "./command";

export interface WatchOptions {
  /** Stop after this many events. */
  count?: number;
  /** Milliseconds between polls of the head. */
  pollMs?: number;
}

export function parse(_args: string[] = [], flags: Flags = {}): WatchOptions {
  const count = optionalString(flags, "count");
  return count === undefined ? {} : { count: parseWhole(count, "--count", 1, 1_000_000) };
}

export async function runWatch(options: WatchOptions, globals: GlobalOptions): Promise<number> {
  const { connect } = require("../chain/connect") as typeof import("../chain/connect");
  const { watchBook } = require("../chain/book-feed") as typeof import("../chain/book-feed");
  const render = require("../render/order-book") as typeof import("../render/order-book");
  const { palette } = require("../render/colours") as typeof import("../render/colours");
  const labels = () => require("../render/account-label") as typeof import("../render/account-label");
  const market = await connect({ rpc: globals.rpc, network: globals.network });
  let shown = 0;
  let interrupted = false;
  const stderr = palette("stderr");
  const feed = watchBook(
    market,
    (event) => {
      process.stdout.write((globals.json ? JSON.stringify(labels().withNames(render.feedJson(event))) : render.feedLine(event)) + "\n");
      if (options.count !== undefined && ++shown >= options.count) feed.stop();
    },
    {
      pollMs: options.pollMs,
      // One read of the batch's names, so every line names its accounts (not one read per line).
      beforeBatch: async (events) => {
        labels().rememberNames(await market.names.namesOf([...labels().addressesIn(events)]));
      },
      onConnection: (change) =>
        process.stderr.write(
          (change.state === "lost"
            ? stderr.warn(`Lost the node at ${market.label}: it stopped answering; waiting for it to come back (Ctrl+C stops)`)
            : stderr.dim(`The node at ${market.label} is back at block ${change.block}; watching again`)) + "\n",
        ),
    },
  );
  const onSignal = () => {
    interrupted = true;
    feed.stop();
  };
  process.once("SIGINT", onSignal);
  if (!globals.json) process.stderr.write(stderr.dim(`Watching the order book at ${market.label}: new orders and trades as blocks arrive (Ctrl+C stops)`) + "\n");
  try {
    await feed.done;
  } finally {
    process.off("SIGINT", onSignal);
    market.close();
  }
  return interrupted ? EXIT.cancelled : EXIT.ok;
}
