// `carbon issue <customer> <amount>`: the regulator issues quota (sendCarbonToCustomer). To many at
// once, `--all` and `--file`: issue-bulk.ts.
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseAccount, parseAmount, type AccountRef } from "../input/values";
import { UsageError } from "../support/errors";
import { optionalString, type Flags } from "./command";

export interface IssueOptions {
  customer: AccountRef;
  amount: bigint;
  /** Default: the regulator. */
  from?: AccountRef;
}

export function parse([customer, amount]: string[], flags: Flags): IssueOptions {
  const from = optionalString(flags, "from");
  // Commander's own words, as when the arguments were required: scripts may match them.
  if (customer === undefined) throw new UsageError("missing required argument 'customer' (or --all <amount> for every customer, or --file <csv>)");
  if (amount === undefined) throw new UsageError("missing required argument 'amount'");
  return { customer: parseAccount(customer, "customer"), amount: parseAmount(amount), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: IssueOptions): Promise<Outcome> {
  const customer = await market.resolve(options.customer, "customer");
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  return market.sendCarbonToCustomer(customer, options.amount, from);
}
