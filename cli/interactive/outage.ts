// When the node goes away under the session (the chain restarted, a class chain's laptop rebooted):
// whoever runs the session is asked what to do (start the embedded chain again, or wait for the
// remote node), and once the same chain answers, the menu the user was in comes back, still signed
// in. Nothing of the session lives on the node: the signed-in account is this process's, so nobody
// retypes a password after an outage.
import type { Market } from "../chain/market";
import { nodeWentAway, waitForNode } from "../chain/reconnect";
import { isEthereumNode } from "../chain/rpc";
import { OutcomeUnknownError } from "../chain/transactions";
import { CancelledError } from "../support/errors";
import { palette } from "../render/colours";
import { say } from "./say";

/** Resolves once the node should answer again; rejects (UnavailableError) to end the session. */
export type NodeGoneHandler = (market: Market) => Promise<void>;

let watched: { market: Market; handler: NodeGoneHandler } | undefined;

/** Makes `handler` the session's answer to its node going away; returns how to stop. */
export function whenNodeGoes(market: Market, handler: NodeGoneHandler): () => void {
  watched = { market, handler };
  return () => {
    watched = undefined;
  };
}

/**
 * Whether the session outlasted `error`: true once the node is back with the same chain (the menu
 * goes on); false when the error is not the node going away (the caller rethrows it). Rejects when
 * the user chose to end the session, or when the node came back with another chain (a reset).
 */
export async function outlasted(error: unknown): Promise<boolean> {
  if (!watched || error instanceof CancelledError) return false;
  const { market, handler } = watched;
  if (!(await nodeWentAway(market.rpc, error))) return false;
  // A write cut off by the outage says what became of it (its hash, to look up later).
  if (error instanceof OutcomeUnknownError) say(palette().fail(`✘ ${error.message}`));
  if (await isEthereumNode(market.rpc.url)) {
    // A dropped connection, and the node answers again already: nothing to start or wait for.
    if (!(error instanceof OutcomeUnknownError)) say(palette().fail(`✘ ${(error as Error).message.split("\n")[0]}; try again`));
    return true;
  }
  await handler(market);
  await waitForNode(market.rpc, market.genesisHash);
  say(palette().ok(`✔ Back on the chain at ${market.label}: go on where you were`));
  return true;
}
