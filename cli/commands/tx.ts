// `carbon tx <hash> [--wait [seconds]]`: a transaction's receipt with its decoded events, the way a
// block explorer shows it. It settles a write that was sent but whose outcome the CLI could not learn
// (exit 4): exit 0 for a mined success, 1 for a ✘ outcome or a revert (mined and paid all the same),
// 1 for a hash the node does not know, 4 for one still pending.
import type { Market } from "../chain/market";
import { EXIT_UNKNOWN } from "../chain/transactions";
import type { TransactionView } from "../chain/transaction-view";
import { CarbonError, UsageError } from "../support/errors";
import type { Flags } from "./command";

export interface TxOptions {
  txHash: string;
  /** Seconds to wait for a pending transaction; 0 looks once. */
  waitSeconds: number;
}

export const DEFAULT_WAIT_SECONDS = 60;

/** Still pending after the wait: the outcome is not known yet. */
export class PendingError extends CarbonError {
  constructor(readonly txHash: string) {
    super(`transaction ${txHash} is pending: sent, not yet mined; wait with \`carbon tx ${txHash} --wait\``, EXIT_UNKNOWN);
  }
}
const MAX_WAIT_SECONDS = 3600;

export function parse([hash]: string[], flags: Flags): TxOptions {
  if (!/^0[xX][0-9a-fA-F]{64}$/.test(hash)) throw new UsageError(`"${hash}" is not a transaction hash (0x and 64 hex digits)`);
  return { txHash: "0x" + hash.slice(2).toLowerCase(), waitSeconds: parseWait(flags.wait) };
}

function parseWait(wait: Flags[string]): number {
  if (wait === undefined || wait === false) return 0;
  if (wait === true) return DEFAULT_WAIT_SECONDS;
  const seconds = Number(wait);
  if (!/^\d+(\.\d+)?$/.test(wait) || seconds > MAX_WAIT_SECONDS) throw new UsageError(`--wait "${wait}" is not a number of seconds from 0 to ${MAX_WAIT_SECONDS}`);
  return seconds;
}

export async function run(market: Market, options: TxOptions): Promise<TransactionView> {
  const { transactionView } = require("../chain/transaction-view") as typeof import("../chain/transaction-view");
  const view = await transactionView(market, options.txHash, { waitSeconds: options.waitSeconds });
  if (view.status === "pending") throw new PendingError(view.txHash);
  return view;
}
