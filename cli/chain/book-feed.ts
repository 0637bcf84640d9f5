// The live feed of `carbon watch`: the book's events as blocks arrive (new orders, fills, cancels and
// expiries, the regulator's band and halts), read by polling the head and then the new blocks' logs,
// a bounded range at a time, so a feed that fell behind catches up without one huge query. A node
// that goes away (the chain restarted) is waited for, and the feed goes on from the block it had
// reached (reconnect.ts).
import { OPERATIONS } from "./activity-history";
import type { Market } from "./market";
import type { ContractEvent } from "./market-contracts";
import { OrderBook } from "./order-book";
import { NEVER } from "./order-book-types";
import { nodeWentAway, waitForNode } from "./reconnect";
import type { DatedTrade } from "./trade-history";

/** The most blocks one poll reads: a feed far behind catches up in steps. */
const STEP = 1_000;

export type FeedEvent =
  | { kind: "order"; block: number; time: number; order: { id: bigint; side: "bid" | "ask"; owner: string; price: bigint; quantity: bigint; filled: bigint; expiry?: number } }
  | { kind: "cancel"; block: number; time: number; id: bigint; owner: string; reason: "cancelled" | "expired" }
  | { kind: "trade"; block: number; time: number; trade: DatedTrade }
  | { kind: "market"; block: number; time: number; message: string };

export interface Feed {
  /** Stops polling; `done` then resolves. */
  stop(): void;
  /** Resolves once stopped; rejects if the node fails (e.g. goes away). */
  done: Promise<void>;
}

export interface FeedOptions {
  /** The first block to show; the next block after the head when absent (only what is new). */
  fromBlock?: number;
  pollMs?: number;
  /** Told when the node stops answering, and again when it is back (at its head block). */
  onConnection?: (change: { state: "lost" } | { state: "back"; block: number }) => void;
  /** Awaited with each batch of events before any of them is shown (e.g. to read their accounts' names). */
  beforeBatch?: (events: readonly FeedEvent[]) => Promise<void>;
}

/** Calls `onEvent` for each of the book's events, in chain order, until stopped. */
export function watchBook(market: Market, onEvent: (event: FeedEvent) => void, options: FeedOptions = {}): Feed {
  const book = new OrderBook(market);
  const pollMs = options.pollMs ?? 500;
  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const done = (async () => {
    let next = options.fromBlock ?? (await market.blockNumber()) + 1;
    while (!stopped) {
      try {
        const head = await market.blockNumber();
        if (head >= next) {
          const to = Math.min(head, next + STEP - 1);
          // Read whole before any is shown: a node lost halfway leaves nothing shown twice.
          const events = await eventsIn(market, book, next, to);
          if (events.length > 0) await options.beforeBatch?.(events);
          for (const event of events) {
            if (stopped) return;
            onEvent(event);
          }
          next = to + 1;
          if (to < head) continue;
        }
      } catch (error) {
        if (stopped || !(await nodeWentAway(market.rpc, error))) throw error;
        options.onConnection?.({ state: "lost" });
        const head = await waitForNode(market.rpc, market.genesisHash, { stopped: () => stopped });
        if (head === undefined) return;
        // A chain opened with --accept-rollback can be back lower than it was.
        next = Math.min(next, head + 1);
        options.onConnection?.({ state: "back", block: head });
        continue;
      }
      await pause();
    }
  })();
  return {
    stop() {
      stopped = true;
      wake?.();
    },
    done,
  };
}

/** The book's events in blocks `from` to `to`, in chain order, with their blocks' times (what the projector streams too). */
export function bookEventsIn(market: Market, from: number, to: number): Promise<FeedEvent[]> {
  return eventsIn(market, new OrderBook(market), from, to);
}

async function eventsIn(market: Market, book: OrderBook, from: number, to: number): Promise<FeedEvent[]> {
  const [placed, trades, activity] = await Promise.all([
    book.placedOrders(from, to),
    book.trades(from, to),
    market.events("OrderBook", "Activity", from, to),
  ]);
  const blocks = [...new Set([...placed, ...trades, ...activity].map((e) => e.block))];
  const times = new Map(await Promise.all(blocks.map(async (block) => [block, await market.blockTime(block)] as const)));
  const at = (e: { block: number; logIndex: number }) => ({ block: e.block, time: times.get(e.block)!, position: e.logIndex });
  const events: Array<FeedEvent & { position: number }> = [
    ...placed.map((o) => ({ kind: "order" as const, ...at(o), order: { id: o.id, side: o.side, owner: o.owner, price: o.price, quantity: o.quantity, filled: o.filled, ...(o.expiry === undefined || o.expiry === NEVER ? {} : { expiry: o.expiry }) } })),
    ...trades.map((t) => ({ kind: "trade" as const, ...at(t), trade: { ...t, time: times.get(t.block)! } })),
    ...activity.flatMap((a) => fromActivity(a, at(a))),
  ];
  return events.sort((a, b) => a.block - b.block || a.position - b.position).map(({ position: _position, ...event }) => event as FeedEvent);
}

/** The Activity records the feed shows: successful cancels and expiries, and the regulator's acts. */
function fromActivity(event: ContractEvent, at: { block: number; time: number; position: number }): Array<FeedEvent & { position: number }> {
  const { args } = event;
  if (!args.isSuccess) return [];
  const operation = OPERATIONS[Number(args.operation)];
  const owner = String(args.account).toLowerCase();
  switch (operation) {
    case "CancelOrder":
    case "ExpireOrder":
      return [{ kind: "cancel", ...at, id: BigInt(String(args.carbonId)), owner, reason: operation === "CancelOrder" ? "cancelled" : "expired" }];
    case "SetPriceBand": {
      const bps = Number(args.amount);
      return [{ kind: "market", ...at, message: bps ? `price band set to ±${bps / 100}% of the reference price` : "price band lifted" }];
    }
    case "HaltTrading":
      return [{ kind: "market", ...at, message: "trading halted by the regulator" }];
    case "ResumeTrading":
      return [{ kind: "market", ...at, message: "trading resumed" }];
    default:
      return [];
  }
}
