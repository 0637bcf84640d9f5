// `carbon regulator propose <address>`: the regulator proposes its successor (the first of two steps,
// as OpenZeppelin's Ownable2Step); nothing changes until that account accepts. `--withdraw` takes a
// proposal back.
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { UsageError } from "../support/errors";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";

const ZERO_ADDRESS = "0x" + "0".repeat(40);

export interface ProposeRegulatorOptions {
  /** Undefined: withdraw the proposal. */
  proposed?: AccountRef;
  /** Default: the regulator. */
  from?: AccountRef;
}

export function parse([proposed]: string[], flags: Flags): ProposeRegulatorOptions {
  const withdraw = flags.withdraw === true;
  if (withdraw === (proposed !== undefined)) throw new UsageError("name the proposed regulator, or --withdraw a proposal (not both)");
  const from = optionalString(flags, "from");
  return { ...(proposed === undefined ? {} : { proposed: parseAccount(proposed, "address") }), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: ProposeRegulatorOptions): Promise<Outcome> {
  const proposed = options.proposed ? await market.resolve(options.proposed, "address") : ZERO_ADDRESS;
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  return market.proposeRegulator(proposed, from);
}
