// `carbon obligation <customer> [label]`: one customer's record in a period: its report and where it
// stands (submitted, rejected with the verifier's reason, verified, corrected by the regulator), its
// verifier, what it surrendered, its status and penalty, and what it still owes across periods.
import type { Standing } from "../chain/compliance-types";
import type { Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input/values";
import { inPeriod, periodView, type Participant, type PeriodView } from "./compliance-period";

export interface ObligationOptions {
  customer: AccountRef;
  /** Default: the latest period. */
  period?: string;
}

export interface Obligation extends Participant {
  period: PeriodView;
  /** What the customer owes across periods. */
  standing: Standing;
}

export function parse([customer, period]: string[]): ObligationOptions {
  return { customer: parseAccount(customer, "customer"), ...(period === undefined ? {} : { period }) };
}

export async function run(market: Market, options: ObligationOptions): Promise<Obligation> {
  const account = await market.resolve(options.customer, "customer");
  const { client, period } = await inPeriod(market, options.period);
  const [view, record, standing, frozen] = await Promise.all([periodView(client, period), client.record(account, period.periodId), client.standing(account), market.isFrozen(account)]);
  return { account, period: view, record, standing, frozen };
}
