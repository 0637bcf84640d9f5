// `carbon enforce [label]`: after closing, the regulator enforces the period on each B or C account,
// one transaction each (the contract keeps every call O(1)): the account is frozen, its penalty
// recorded and its shortfall carried into its next obligation. An A account that carried a shortfall
// in is enforced too, which settles that shortfall. Accounts already enforced are skipped, so a
// second run sends nothing.
import { notClosedYet } from "../chain/compliance";
import type { ComplianceStatus } from "../chain/compliance-types";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { UsageError } from "../support/errors";
import { dueForEnforcement, inPeriod, periodView, type PeriodView } from "./compliance-period";
import type { PeriodCloseOptions } from "./period-close";

export interface EnforcementRow {
  account: string;
  status: ComplianceStatus;
  /** The mined outcome; undefined when the contract's refusal was foreseen and nothing was sent. */
  outcome?: Outcome;
  /** Why nothing was sent for this account (a C account without the regulator's estimate). */
  refusal?: string;
}

export interface Enforcement {
  period: PeriodView;
  enforced: EnforcementRow[];
  /** False when any enforcement came back ✘ (exit 1). */
  ok: boolean;
}

export { parse } from "./period-close";
export type EnforceOptions = PeriodCloseOptions;

export async function run(market: Market, options: EnforceOptions = {}): Promise<Enforcement> {
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  const { client, period } = await inPeriod(market, options.period);
  const open = notClosedYet(period);
  if (open) throw new UsageError(open);
  const enforced: EnforcementRow[] = [];
  // One at a time, in order: each is a transaction of the regulator's, and a refusal stops nothing.
  for (const { account, record } of await dueForEnforcement(market, client, period)) {
    const refusal = await client.enforcementRefusal(account, period.periodId);
    // Checked just above: the client need not read the same record again before sending.
    enforced.push(refusal ? { account, status: record.status, refusal } : { account, status: record.status, outcome: await client.enforceCompliance(account, period.periodId, from, { precheck: false }) });
  }
  return { period: await periodView(client, period), enforced, ok: enforced.every((row) => row.outcome?.ok === true) };
}
