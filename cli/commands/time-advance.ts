// `carbon time advance <duration>`: on a development chain (Ganache, anvil), moves the chain's clock
// forward (evm_increaseTime, then evm_mine), so a class can reach a reporting or surrender deadline in
// a minute. Refuses on any other node (exit 2).
import { advanceTime } from "../chain/clock";
import type { Market } from "../chain/market";
import { parseDuration } from "../input/time";

export interface ClockMove {
  /** The node, as web3_clientVersion names it. */
  node: string;
  /** The move asked for. */
  seconds: number;
  before: number;
  after: number;
  /** The block mined at the new time. */
  block: number;
}

export interface TimeAdvanceOptions {
  /** Seconds. */
  seconds: number;
}

export function parse([duration]: string[]): TimeAdvanceOptions {
  return { seconds: parseDuration(duration) };
}

export async function run(market: Market, options: TimeAdvanceOptions): Promise<ClockMove> {
  return advanceTime(market.rpc, options.seconds);
}
