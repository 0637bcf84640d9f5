// When the node under a session stops answering: a message that fits where the node is, and the
// offer to retry instead of quitting. The embedded chain is this machine's: retrying starts it again
// (its state is kept). A remote node is someone else's: retrying waits for it to answer again.
import { isEthereumNode } from "../chain/rpc";
import { UnavailableError } from "../support/errors";
import { shortPath } from "./shortpath";

export interface NodeWhere {
  url: string;
  /** The embedded chain this process started (and can start again), with its state folder. */
  embedded?: { dbPath: string };
}

export function nodeGoneMessage({ url, embedded }: NodeWhere): string {
  if (embedded) {
    return `the embedded chain stopped answering (at ${url}); what it confirmed is kept in ${shortPath(embedded.dbPath)}. Retry starts it again, or run \`npm start\` later`;
  }
  return `the node at ${url} is gone (it stopped answering); a transaction sent just before may still be mined there. Retry once it is back, or check later with \`carbon tx <hash>\``;
}

/** Asks whether to retry; without a terminal there is nobody to ask, and the answer is no. */
export async function offerRetry(where: NodeWhere): Promise<boolean> {
  process.stderr.write(`\n${nodeGoneMessage(where)}\n`);
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  const { confirm } = require("../interactive/prompt") as typeof import("../interactive/prompt");
  try {
    return await confirm(where.embedded ? "Start the embedded chain again and go on?" : `Try ${where.url} again?`, true);
  } catch {
    return false; // Ctrl+C at the question: quit.
  }
}

/** A remote node is waited for, a question at a time, until it answers; no (or no terminal) ends it (UnavailableError). */
export async function awaitNodeBack(url: string, label = url): Promise<void> {
  for (;;) {
    if (!(await offerRetry({ url: label }))) throw new UnavailableError(nodeGoneMessage({ url: label }));
    if (await isEthereumNode(url)) return;
  }
}
