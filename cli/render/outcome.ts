// A transaction's outcome (the contract's event: ✔ or ✘ and its message, with the transaction's
// hash, block and gas), as text and as JSON fields. Every renderer of a write starts from these, so
// a refusal reads the same after a purchase, an order or an enforcement.
import type { Outcome } from "../chain/outcome";
import { palette } from "./colours";
import { printable } from "./sanitize";

export function outcomeText(result: Outcome): string {
  const c = palette();
  const message = result.ok ? c.ok(`✔ ${printable(result.message)}`) : c.fail(`✘ ${printable(result.message)}`);
  // Two lines of detail: with the 66-character hash on one line, it would not fit in 80 columns.
  const warning = result.warning ? `\n${c.warn(`! ${printable(result.warning)}`)}` : "";
  return `${message}\n${c.dim("tx")} ${result.txHash}\n${c.dim("block")} ${result.block}  ${c.dim("gas used")} ${result.gasUsed}${warning}`;
}

export function outcomeJson(result: Outcome): Record<string, unknown> {
  return { message: result.message, event: result.event, txHash: result.txHash, block: result.block, gasUsed: result.gasUsed, ...(result.warning ? { warning: result.warning } : {}) };
}
