// `carbon regulator accept --from <address>`: the proposed account accepts the handover (the second
// step) and is the regulator of the market, its compliance cycle and its order book from then on.
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { UsageError } from "../support/errors";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";

export interface AcceptRegulatorOptions {
  /** Default: the proposed account. */
  from?: AccountRef;
}

export function parse(args: string[], flags: Flags): AcceptRegulatorOptions {
  if (args.length > 0) throw new UsageError("accept takes no argument: the proposed account accepts with --from (or its wallet key)");
  const from = optionalString(flags, "from");
  return from === undefined ? {} : { from: parseAccount(from, "--from") };
}

export async function run(market: Market, options: AcceptRegulatorOptions): Promise<Outcome> {
  const pending = await market.pendingRegulator();
  const from = options.from ? await market.resolve(options.from, "--from") : pending;
  if (from === undefined) throw new UsageError("no handover is proposed; the regulator proposes one with `carbon regulator propose <address>`");
  return market.acceptRegulator(from);
}
