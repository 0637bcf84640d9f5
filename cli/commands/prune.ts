// `carbon prune <account> <bid|ask> <price> [--max N]`: anybody (the account, who pays the gas) sweeps one price level of orders that can no
// longer trade (past their expiry, or a frozen owner's), returning their escrow to their owners. A
// taker removes such orders on its way too; this clears a level left full of them in one call.
import type { Market } from "../chain/market";
import { OrderBook } from "../chain/order-book";
import { MAX_PRUNES, type Side } from "../chain/order-book-types";
import { parseOrderPrice, parseWhole } from "../input/order-book";
import { parseAccount, type AccountRef } from "../input/values";
import type { Sweep } from "../render/order-book";
import { UsageError } from "../support/errors";
import { optionalString, type Flags } from "./command";

export interface PruneOptions {
  side: Side;
  price: bigint;
  maxOrders: number;
  /** Who sends the sweep: anybody may. */
  from: AccountRef;
}

export function parse([from, side, price]: string[], flags: Flags = {}): PruneOptions {
  if (side !== "bid" && side !== "ask") throw new UsageError(`the side is bid or ask, not "${side ?? ""}"`);
  const max = optionalString(flags, "max");
  return {
    from: parseAccount(from, "account"),
    side,
    price: parseOrderPrice(price ?? ""),
    maxOrders: max === undefined ? MAX_PRUNES : parseWhole(max, "--max", 1, MAX_PRUNES),
  };
}

export async function run(market: Market, options: PruneOptions): Promise<Sweep> {
  const from = await market.resolve(options.from, "account");
  const outcome = await new OrderBook(market).pruneLevel(options.side, options.price, from, options.maxOrders);
  return { ...outcome, side: options.side, price: options.price };
}
