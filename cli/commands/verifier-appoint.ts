// `carbon verifier appoint <customer> <verifier>`: a customer appoints an accredited verifier for the
// latest period (the first key; the verifier accepts with `carbon verifier accept`).
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";
import { inPeriod } from "./compliance-period";

export interface AppointOptions {
  customer: AccountRef;
  verifier: AccountRef;
  /** Default: the customer. */
  from?: AccountRef;
}

export function parse([customer, verifier]: string[], flags: Flags): AppointOptions {
  const from = optionalString(flags, "from");
  return { customer: parseAccount(customer, "customer"), verifier: parseAccount(verifier, "verifier"), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: AppointOptions): Promise<Outcome> {
  const [customer, verifier] = await Promise.all([market.resolve(options.customer, "customer"), market.resolve(options.verifier, "verifier")]);
  const from = options.from ? await market.resolve(options.from, "--from") : customer;
  const { client, period } = await inPeriod(market);
  return client.appointVerifier(customer, period.periodId, verifier, from);
}
