// `carbon report <customer> <tonnes> --evidence <file|hash>`: a customer reports its emissions for the
// latest period, with the keccak256 of its evidence document (a rejected report is corrected and
// reported again the same way).
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseTonnes } from "../input/compliance";
import { UsageError } from "../support/errors";
import { parseEvidence, type Evidence } from "../input/evidence";
import { parseAccount, type AccountRef } from "../input/values";
import { optionalString, type Flags } from "./command";
import { inPeriod } from "./compliance-period";

export interface ReportOptions {
  customer: AccountRef;
  tonnes: bigint;
  evidence: Evidence;
  /** Default: the customer. */
  from?: AccountRef;
}

export function parse([customer, tonnes]: string[], flags: Flags): ReportOptions {
  const evidence = optionalString(flags, "evidence");
  if (evidence === undefined) throw new UsageError("--evidence is required: the emissions report's file, or its keccak256");
  const from = optionalString(flags, "from");
  return { customer: parseAccount(customer, "customer"), tonnes: parseTonnes(tonnes), evidence: parseEvidence(evidence), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: ReportOptions): Promise<Outcome> {
  const customer = await market.resolve(options.customer, "customer");
  const from = options.from ? await market.resolve(options.from, "--from") : customer;
  const { client, period } = await inPeriod(market);
  return client.reportEmissions(customer, period.periodId, options.tonnes, options.evidence.hash, from);
}
