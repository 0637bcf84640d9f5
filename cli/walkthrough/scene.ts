// What every chapter of the walkthrough plays on: the scene (the market, the cast, what was sent),
// the shape of a step, and how a transaction is announced, paused on and shown. The chapters
// (steps.ts, matchmaking.ts, compliance-chapter.ts, lesson-chapter.ts) import it; it imports none of them.
import { STATUSES } from "../chain/compliance-types";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { NEVER } from "../chain/order-book-types";
import { exactEther, transactionView } from "../chain/transaction-view";
import { formatEther } from "../input/order-book";
import { palette } from "../render/colours";
import { shortAddress } from "../render/format";
import { displayId, printable } from "../render/sanitize";
import type { Cast } from "./cast";
import { say, WIDTH, wrap } from "./narrator";

export interface Scene {
  market: Market;
  cast: Cast;
  /** Every transaction the walkthrough sent, for the closing tally. */
  sent: Outcome[];
  /** The chain's last block before the first step: the history shown is this run's. */
  startBlock: number;
  /** Waits before a result is shown, so a class can predict it (nothing with --yes). */
  pause(): Promise<void>;
}

export interface Step {
  module: string;
  /** What happens and why, in a sentence or two. */
  says(scene: Scene): string;
  /** Runs the step on the chain, showing each call and its result as it goes; returns what is left to show. */
  run(scene: Scene): Promise<string | void>;
  /** The name `--chapter` runs it by, alone: only chapters that need nothing of the steps before them have one. */
  chapter?: string;
}

export const who = (player: { address: string; index: number }) => `${shortAddress(player.address)} (account ${player.index})`;
export const address = (player: { address: string }) => ({ address: player.address });

/**
 * A transaction: the call as the contract sees it, a pause for the class to predict the answer, then
 * the outcome, the receipt's decoded events, its transaction, gas and cost.
 */
export async function transact(scene: Scene, call: string, send: () => Promise<Outcome>, note?: (outcome: Outcome) => string | undefined): Promise<void> {
  say(`→ ${call}`);
  await scene.pause();
  const outcome = await send();
  scene.sent.push(outcome);
  const view = await transactionView(scene.market, outcome.txHash);
  const extra = note?.(outcome);
  say([shown(outcome, view.events, view.cost ?? 0n), ...(extra ? [extra] : [])].join("\n"));
}

/**
 * A command that sends several transactions of kinds the compliance chapter shows in full (a period
 * opened, a report verified, a surrender): announced once, then a line per transaction, so that a
 * chapter's point is not lost in receipts.
 */
export async function transactEach(scene: Scene, call: string, send: () => Promise<Outcome[]>): Promise<void> {
  say(`→ ${call}`);
  await scene.pause();
  const c = palette();
  for (const outcome of await send()) {
    scene.sent.push(outcome);
    const message = outcome.ok ? c.ok(`✔ ${printable(outcome.message)}`) : c.fail(`✘ ${printable(outcome.message)}`);
    say(`${message}  ${c.dim("block")} ${outcome.block}  ${c.dim("gas used")} ${outcome.gasUsed.toLocaleString("en-US")}`);
  }
}

/** The outcome, its events and its cost, each on lines of their own so a projector's 80 columns hold them. */
function shown(outcome: Outcome, events: Array<{ name: string; args: Record<string, string | boolean> }>, cost: bigint): string {
  const c = palette();
  const message = outcome.ok ? c.ok(`✔ ${printable(outcome.message)}`) : c.fail(`✘ ${printable(outcome.message)}`);
  const lines = [message];
  for (const event of events) {
    const fields = Object.entries(event.args).map(([name, value]) => `${name}=${fieldValue(name, value)}`);
    lines.push(indent(wrap(`${c.heading(event.name)} ${fields.join(" ")}`, WIDTH - 6), "  event ", "        "));
  }
  lines.push(`  ${c.dim("tx")} ${outcome.txHash}`);
  lines.push(`  ${c.dim("block")} ${outcome.block}  ${c.dim("gas used")} ${outcome.gasUsed.toLocaleString("en-US")}  ${c.dim("cost")} ${exactEther(cost)} ETH`);
  if (!outcome.ok) {
    lines.push(
      indent(
        wrap(`✘ is the contract's answer, not a failed transaction: it was mined in block ${outcome.block} and its gas was paid; only the market's state stayed as it was.`, WIDTH - 4),
        "  ",
        "  ",
      ),
    );
  }
  return lines.join("\n");
}

function fieldValue(name: string, value: string | boolean): string {
  if (typeof value === "boolean") return String(value);
  if (/^0x0{40}$/.test(value)) return "none";
  if (/^0x[0-9a-f]{40}$/.test(value)) return shortAddress(value);
  if (/carbonId/i.test(name)) return displayId(value);
  // The order book's prices are in wei: shown in ether.
  if (name === "price" && /^\d{13,}$/.test(value)) return `${formatEther(BigInt(value))} ETH`;
  if (name === "expiry" && value === String(NEVER)) return "never";
  // The compliance events' period label (packed like a lot ID) and status (Compliance.Status).
  if (name === "label" && /^0x[0-9a-f]{64}$/i.test(value)) return displayId(Buffer.from(value.slice(2), "hex").toString("utf8").replace(/\0+$/, ""));
  if (name === "status" && /^\d$/.test(value)) return STATUSES[Number(value)] ?? value;
  return name === "message" ? `"${printable(value)}"` : printable(value);
}

function indent(text: string, first: string, rest: string): string {
  return text
    .split("\n")
    .map((line, i) => (i === 0 ? first : rest) + line)
    .join("\n");
}
