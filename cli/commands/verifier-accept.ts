// `carbon verifier accept <verifier> <customer>`: the verifier accepts a customer's appointment for
// the latest period (the second key): from then on it alone confirms that customer's emissions.
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";
import { inPeriod } from "./compliance-period";

export interface AcceptOptions {
  verifier: AccountRef;
  customer: AccountRef;
  /** Default: the verifier. */
  from?: AccountRef;
}

export function parse([verifier, customer]: string[], flags: Flags): AcceptOptions {
  const from = optionalString(flags, "from");
  return { verifier: parseAccount(verifier, "verifier"), customer: parseAccount(customer, "customer"), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: AcceptOptions): Promise<Outcome> {
  const [verifier, customer] = await Promise.all([market.resolve(options.verifier, "verifier"), market.resolve(options.customer, "customer")]);
  const from = options.from ? await market.resolve(options.from, "--from") : verifier;
  const { client, period } = await inPeriod(market);
  return client.acceptAppointment(verifier, customer, period.periodId, from);
}
