// A bulk action's result (commands/bulk.ts): one line per account as each is settled (the session
// prints them as they come), then a count of what succeeded, failed and was skipped.
import type { BulkResult, BulkRow } from "../commands/bulk";
import { palette } from "./colours";
import { accountLabel } from "./account-label";
import { outcomeJson } from "./outcome";
import { printable } from "./sanitize";

export function bulkLine(row: BulkRow): string {
  const c = palette();
  const who = `${accountLabel(row.account, { short: true })}${row.amount === undefined ? "" : `  ${row.amount}`}`;
  if (row.skipped) return c.dim(`- ${who}  ${printable(row.error ?? "skipped")}`);
  if (!row.outcome) return c.fail(`✘ ${who}  ${printable(row.error ?? "not sent")}`);
  const mark = row.outcome.ok ? c.ok(`✔ ${who}  ${printable(row.outcome.message)}`) : c.fail(`✘ ${who}  ${printable(row.outcome.message)}`);
  return `${mark}  ${c.dim(`block ${row.outcome.block}`)}`;
}

export function bulkSummary(result: BulkResult): string {
  const c = palette();
  const ok = result.rows.filter((row) => row.outcome?.ok).length;
  const skipped = result.rows.filter((row) => row.skipped).length;
  const failed = result.rows.length - ok - skipped;
  const parts = [`${ok} of ${result.rows.length} succeeded`, ...(failed ? [`${failed} failed`] : []), ...(skipped ? [`${skipped} skipped`] : [])];
  return (failed ? c.fail : c.ok)(parts.join(", "));
}

export function bulkText(result: BulkResult): string {
  return [...result.rows.map(bulkLine), bulkSummary(result)].join("\n");
}

export function bulkJson(result: BulkResult): Record<string, unknown> {
  return {
    rows: result.rows.map((row) => ({
      account: row.account,
      ...(row.amount === undefined ? {} : { amount: row.amount.toString() }),
      ok: row.outcome?.ok ?? false,
      ...(row.outcome ? outcomeJson(row.outcome) : {}),
      ...(row.error ? { error: row.error } : {}),
      ...(row.skipped ? { skipped: true } : {}),
    })),
  };
}
