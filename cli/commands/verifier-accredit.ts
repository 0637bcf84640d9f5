// `carbon verifier accredit <account>`: the regulator accredits a verifier.
import { Compliance } from "../chain/compliance";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";

export interface VerifierOptions {
  account: AccountRef;
  /** Default: the regulator. */
  from?: AccountRef;
}

/** Shared with revoke, whose options are the same. */
export function parse([account]: string[], flags: Flags): VerifierOptions {
  const from = optionalString(flags, "from");
  return { account: parseAccount(account, "verifier"), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: VerifierOptions): Promise<Outcome> {
  const verifier = await market.resolve(options.account, "verifier");
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  return new Compliance(market).accreditVerifier(verifier, from);
}
