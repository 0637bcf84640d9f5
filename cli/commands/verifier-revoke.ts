// `carbon verifier revoke <account>`: the regulator revokes a verifier's accreditation.
import { Compliance } from "../chain/compliance";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import type { VerifierOptions } from "./verifier-accredit";

export { parse } from "./verifier-accredit";

export async function run(market: Market, options: VerifierOptions): Promise<Outcome> {
  const verifier = await market.resolve(options.account, "verifier");
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  return new Compliance(market).revokeVerifier(verifier, from);
}
