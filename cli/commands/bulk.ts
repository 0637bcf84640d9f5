// What the bulk actions share (quota to every customer, several verifiers accredited at once): one
// transaction per account, in order, each outcome handed on as it comes. A refusal on one account
// (a ✘ outcome, or an input the market refuses before sending) is that account's row and the rest
// still run; only the node going away or Ctrl+C stops the loop, since every later send would fail too.
import type { Outcome } from "../chain/outcome";
import { CancelledError, CarbonError, UnavailableError } from "../support/errors";

export interface BulkRow {
  account: string;
  /** The quota issued, for a bulk issue. */
  amount?: bigint;
  /** The mined outcome; undefined when the send was refused, skipped or left unsettled. */
  outcome?: Outcome;
  /** Why nothing was mined for this account, or why its outcome is unknown. */
  error?: string;
  /** Left out on purpose, without sending (e.g. a frozen customer). */
  skipped?: boolean;
}

export interface BulkResult {
  /** Every row sent succeeded (a skipped row is not a failure). */
  ok: boolean;
  rows: BulkRow[];
}

export function succeeded(row: BulkRow): boolean {
  return row.outcome?.ok === true;
}

/** Sends `send(row)` for each row not skipped, in order; `onEach` sees each row once it is settled. */
export async function eachAccount(rows: BulkRow[], send: (row: BulkRow) => Promise<Outcome>, onEach: (row: BulkRow) => void = () => undefined): Promise<BulkResult> {
  const done: BulkRow[] = [];
  for (const row of rows) {
    let settled: BulkRow = row;
    if (!row.skipped) {
      try {
        settled = { ...row, outcome: await send(row) };
      } catch (error) {
        if (!(error instanceof CarbonError) || error instanceof UnavailableError || error instanceof CancelledError) throw error;
        settled = { ...row, error: error.message };
      }
    }
    done.push(settled);
    onEach(settled);
  }
  return { ok: done.every((row) => row.skipped || succeeded(row)), rows: done };
}
