// Waiting out a node that went away: the embedded chain restarted (a kill, a Ctrl+C in its terminal,
// `npm start` starting it again), a class chain's laptop rebooted. What was confirmed on it is kept,
// so a long-running reader (`carbon watch`) waits for the node to answer again and goes on from where
// it was, instead of dying. A node that answers with another chain (a reset) holds another market:
// that is said, not waited out.
import { UnavailableError } from "../support/errors";
import { chainIdentity, isEthereumNode, NodeUnreachableError, NotANodeError, RpcTimeoutError, type Rpc } from "./rpc";

/** The node answers again, but with another chain: the market being read is not on it. Exit 3. */
export class ChainReplacedError extends UnavailableError {}

/** A failure below JSON-RPC: nothing listening, a dropped connection, no answer in time. */
export function isTransportFailure(error: unknown): boolean {
  return error instanceof RpcTimeoutError || error instanceof NotANodeError || error instanceof NodeUnreachableError;
}

/**
 * Whether `error` means the node went away. A node closing can answer its last requests with errors
 * of its own (Ganache's "database is not open"), so anything else counts too when the node no
 * longer answers at all.
 */
export async function nodeWentAway(rpc: Rpc, error: unknown): Promise<boolean> {
  return isTransportFailure(error) || !(await isEthereumNode(rpc.url));
}

/**
 * Polls until the node answers with the same chain (genesis hash) and resolves with its head block,
 * or with undefined if `stopped()` turns true first. Rejects with ChainReplacedError if another
 * chain answers.
 */
export async function waitForNode(rpc: Rpc, genesisHash: string, { pauseMs = 1_000, stopped = () => false }: { pauseMs?: number; stopped?: () => boolean } = {}): Promise<number | undefined> {
  for (;;) {
    if (stopped()) return undefined;
    try {
      const identity = await chainIdentity(rpc);
      if (identity.genesisHash !== genesisHash.toLowerCase()) {
        throw new ChainReplacedError(`the node at ${rpc.url} is back with another chain (it was reset): the market this was reading is not on it`);
      }
      return Number(await rpc.request<string>("eth_blockNumber"));
    } catch (error) {
      if (error instanceof ChainReplacedError) throw error;
      // Anything else is "not back yet": nothing listening, or a chain still opening its database.
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
