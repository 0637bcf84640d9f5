// `carbon verify <verifier> <customer> --approve | --reject <reason>`: the customer's accepted
// verifier confirms its reported emissions for the latest period, or sends them back with a reason.
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseReason } from "../chain/compliance-inputs";
import { UsageError } from "../support/errors";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";
import { inPeriod } from "./compliance-period";

export type Decision = { approve: true } | { reject: string };

export interface VerifyOptions {
  verifier: AccountRef;
  customer: AccountRef;
  decision: Decision;
  /** Default: the verifier. */
  from?: AccountRef;
}

export function parse([verifier, customer]: string[], flags: Flags): VerifyOptions {
  const reason = optionalString(flags, "reject");
  if (flags.approve && reason !== undefined) throw new UsageError("give --approve or --reject <reason>, not both");
  if (!flags.approve && reason === undefined) throw new UsageError("say --approve, or --reject <reason>");
  const from = optionalString(flags, "from");
  return {
    verifier: parseAccount(verifier, "verifier"),
    customer: parseAccount(customer, "customer"),
    decision: reason === undefined ? { approve: true } : { reject: parseReason(reason) },
    ...(from === undefined ? {} : { from: parseAccount(from, "--from") }),
  };
}

export async function run(market: Market, options: VerifyOptions): Promise<Outcome> {
  const [verifier, customer] = await Promise.all([market.resolve(options.verifier, "verifier"), market.resolve(options.customer, "customer")]);
  const from = options.from ? await market.resolve(options.from, "--from") : verifier;
  const { client, period } = await inPeriod(market);
  return "approve" in options.decision
    ? client.approveReport(verifier, customer, period.periodId, from)
    : client.rejectReport(verifier, customer, period.periodId, options.decision.reject, from);
}
