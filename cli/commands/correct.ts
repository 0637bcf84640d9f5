// `carbon correct <customer> <tonnes> --reason <text>`: the regulator sets a customer's verified
// emissions for the latest period, saying why; the history keeps the correction.
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseReason } from "../chain/compliance-inputs";
import { parseTonnes } from "../input/compliance";
import { UsageError } from "../support/errors";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";
import { inPeriod } from "./compliance-period";

export interface CorrectOptions {
  customer: AccountRef;
  tonnes: bigint;
  reason: string;
  /** Default: the regulator. */
  from?: AccountRef;
}

export function parse([customer, tonnes]: string[], flags: Flags): CorrectOptions {
  const reason = optionalString(flags, "reason");
  if (reason === undefined) throw new UsageError("--reason is required: a correction says why");
  const from = optionalString(flags, "from");
  return { customer: parseAccount(customer, "customer"), tonnes: parseTonnes(tonnes), reason: parseReason(reason), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: CorrectOptions): Promise<Outcome> {
  const customer = await market.resolve(options.customer, "customer");
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  const { client, period } = await inPeriod(market);
  return client.correctEmissions(customer, period.periodId, options.tonnes, options.reason, from);
}
