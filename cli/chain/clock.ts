// The chain's clock: the latest block's time, which every deadline of the compliance cycle is held
// to, and on a development chain (Ganache, anvil) a way to move it forward, so a class reaches a
// deadline in a minute instead of a month. Other nodes are never asked to: a real network's clock is
// not ours to move.
import { UsageError } from "../support/errors";
import { RpcError, type Rpc } from "./rpc";

/** The latest block's number and time (unix seconds). */
export async function chainTime(rpc: Rpc): Promise<{ block: number; time: number }> {
  const block = await rpc.request<{ number: string; timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  return { block: Number(block.number), time: Number(block.timestamp) };
}

/** Ganache (its client version says Ganache or EthereumJS TestRPC) or anvil. */
export function isDevelopmentNode(clientVersion: string): boolean {
  return /ganache|testrpc|^anvil\b/i.test(clientVersion);
}

export interface Advanced {
  node: string;
  /** As asked; the blocks' times differ by this plus the time since the last block was mined. */
  seconds: number;
  before: number;
  after: number;
  block: number;
}

/**
 * Moves a development chain's clock `seconds` forward and mines a block at the new time. Refuses
 * (UsageError, exit 2) on any other node, before sending anything.
 */
export async function advanceTime(rpc: Rpc, seconds: number): Promise<Advanced> {
  const node = await rpc.request<string>("web3_clientVersion").catch(() => "an unknown node");
  if (!isDevelopmentNode(node)) {
    throw new UsageError(`the chain's clock can be moved only on a development chain (Ganache or anvil); ${rpc.url} runs ${node}, whose clock is its own`);
  }
  const before = await chainTime(rpc);
  try {
    await rpc.request("evm_increaseTime", [seconds]);
    await rpc.request("evm_mine", []);
  } catch (error) {
    // A served class chain lets only its teacher's loopback connection move time.
    if (error instanceof RpcError) throw new UsageError(`${rpc.url} refused to move its clock (${error.message}); only the machine running the chain can`);
    throw error;
  }
  const after = await chainTime(rpc);
  return { node, seconds, before: before.time, after: after.time, block: after.block };
}
