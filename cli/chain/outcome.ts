// What came of a write: the thesis's outcome event as the CLI reports it, the stages of a
// transaction as spinners and the printed hash follow them, and a transaction looked up by hash.

export interface Outcome {
  /** The thesis's isSuccess. */
  ok: boolean;
  /** The thesis's message, e.g. "Buy successfully". */
  message: string;
  /** The outcome event's name, e.g. "BuyCarbon". */
  event: string;
  txHash: string;
  block: number;
  gasUsed: number;
  /** Something the sender should know that the outcome does not say (shown under it, and in JSON). */
  warning?: string;
}


/**
 * What a transaction is doing, for spinners and the printed hash: `sending` before it is signed,
 * `sent` once its hash is known (before waiting; `resumed` when it is an earlier identical
 * transaction found in the journal), `accepted` once the node has it, then `mined` or `failed`;
 * `queued` in between, once the write is in line for its account's nonce.
 */
export interface TransactionEvent {
  phase: "sending" | "queued" | "sent" | "accepted" | "mined" | "failed";
  method: string;
  txHash?: string;
  resumed?: boolean;
}

/** A transaction looked up by hash (`carbon tx`). */
export interface TransactionStatus {
  state: "mined" | "pending" | "unknown";
  txHash: string;
  block?: number;
  gasUsed?: number;
  /** Mined with status 0. */
  reverted?: boolean;
  /** The thesis's outcome, when it is one of the market's writes. */
  outcome?: Outcome;
}
