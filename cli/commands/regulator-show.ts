// `carbon regulator show`: the market's regulator now, and the account proposed to succeed it if any.
import type { Market } from "../chain/market";
import { UsageError } from "../support/errors";
import type { Flags } from "./command";

export interface RegulatorView {
  regulator: string;
  /** The proposed successor, undefined if none. */
  pending?: string;
}

export function parse(args: string[], _flags: Flags): Record<string, never> {
  if (args.length > 0) throw new UsageError("show takes no argument");
  return {};
}

export async function run(market: Market): Promise<RegulatorView> {
  const [regulator, pending] = await Promise.all([market.refreshRegulator(), market.pendingRegulator()]);
  return { regulator, ...(pending === undefined ? {} : { pending }) };
}
