// What the compliance commands share: the period a command names (by label, or the latest one), as
// the renderers show it on the chain's clock, and the compliance table's rows. The commands stay
// thin over the compliance client (chain/compliance.ts).
import { chainTime } from "../chain/clock";
import { complianceClient, type ComplianceClient, type PeriodInfo, type RecordInfo } from "../chain/compliance";
import type { Market } from "../chain/market";
import { UsageError } from "../errors";
import type { ComplianceRow, PeriodView } from "../render/compliance";

/** The period named by `label`, the latest one with it; without a label, the latest period. */
export async function findPeriod(client: ComplianceClient, label?: string): Promise<PeriodInfo> {
  const count = await client.periodCount();
  if (count === 0) throw new UsageError("no period has been opened yet; the regulator opens one with `carbon period open <label> --cap N --report-by +30d --surrender-by +60d --penalty-rate N`");
  if (label === undefined) return client.period(count - 1);
  for (let id = count - 1; id >= 0; id--) {
    const period = await client.period(id);
    if (period.label === label) return period;
  }
  throw new UsageError(`no period is labelled "${label}"; \`carbon period show\` shows the latest`);
}

/** A period with the chain's clock, for the renderers. */
export async function periodView(market: Market, period: PeriodInfo): Promise<PeriodView> {
  const { time } = await chainTime(market.rpc);
  return {
    id: period.periodId,
    label: period.label,
    cap: period.cap,
    allocated: period.allocated,
    reportBy: period.reportingDeadline,
    surrenderBy: period.surrenderDeadline,
    penaltyRate: period.penaltyRate,
    closed: period.closed,
    now: time,
  };
}

/** The client and the period a command acts in. */
export async function inPeriod(market: Market, label?: string): Promise<{ client: ComplianceClient; period: PeriodInfo }> {
  const client = complianceClient(market);
  return { client, period: await findPeriod(client, label) };
}

/** A customer's record in a period, and whether it is frozen now. */
export interface Participant {
  account: string;
  record: RecordInfo;
  frozen: boolean;
}

/**
 * Every registered customer that takes part in the period (quota allocated under its cap, a report,
 * a verifier appointed, a surrender, or a shortfall carried in), in registration order. A customer
 * that never took part is no participant: listing it as C would fine a bystander.
 */
export async function participants(market: Market, client: ComplianceClient, period: PeriodInfo): Promise<Participant[]> {
  const customers = await market.customers();
  const all = await Promise.all(
    customers.map(async (account) => {
      const [record, frozen] = await Promise.all([client.record(account, period.periodId), market.isFrozen(account)]);
      return { account, record, frozen };
    }),
  );
  return all.filter(({ record }) => record.allocated > 0n || record.reportState !== "None" || record.verifier !== undefined || record.surrendered > 0n || record.carried > 0n || record.enforced);
}

/** The compliance table's rows. */
export async function complianceRows(market: Market, client: ComplianceClient, period: PeriodInfo): Promise<ComplianceRow[]> {
  return (await participants(market, client, period)).map(({ account, record, frozen }) => ({
    account,
    allocated: record.allocated,
    ...(record.reportState === "Verified" || record.reportState === "Corrected" ? { verified: record.verified } : {}),
    surrendered: record.surrendered + record.lateSurrendered,
    status: record.status,
    penalty: record.penalty,
    frozen,
  }));
}

/**
 * Who `carbon enforce` sends a transaction for: each participant not yet enforced that is B or C, or
 * A with a shortfall carried in (its enforcement settles that shortfall).
 */
export async function dueForEnforcement(market: Market, client: ComplianceClient, period: PeriodInfo): Promise<Participant[]> {
  return (await participants(market, client, period)).filter(({ record }) => !record.enforced && (record.status === "B" || record.status === "C" || record.carried > 0n));
}
