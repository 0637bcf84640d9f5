// What the compliance commands share: the period a command names (by label, or the latest one), as
// the renderers show it on the chain's clock, the customers taking part in it, and the compliance
// table's rows. The commands stay thin over the compliance client (chain/compliance.ts).
import { Compliance } from "../chain/compliance";
import type { ComplianceRecord, ComplianceStatus, Period } from "../chain/compliance-types";
import type { Market } from "../chain/market";
import { UsageError } from "../support/errors";

/** A period as the commands show it. */
export interface PeriodView {
  /** The period's number, from 1 in opening order. */
  id: number;
  label: string;
  cap: bigint;
  /** Quota issued under the cap so far. */
  allocated: bigint;
  /** Unix seconds. */
  reportBy: number;
  surrenderBy: number;
  penaltyRate: bigint;
  closed: boolean;
  /** The chain's clock when it was read (the latest block's time). */
  now: number;
  /** The machine's clock at the same moment: after `carbon time advance` the two differ, and a class should see by how much. */
  realTime: number;
}

export interface ComplianceRow {
  account: string;
  allocated: bigint;
  /** Undefined until a verifier approves a report (or the regulator corrects one). */
  verified?: bigint;
  surrendered: bigint;
  status: ComplianceStatus;
  penalty: bigint;
  frozen: boolean;
}

/** The period named by `label` (the latest one with it); without a label, the latest period. */
export async function findPeriod(client: Compliance, label?: string): Promise<Period> {
  if (label === undefined) {
    const current = await client.currentPeriod();
    if (!current) throw new UsageError("no period has been opened yet; the regulator opens one with `carbon period open <label> --cap N --report-by +30d --surrender-by +60d --penalty-rate N`");
    return client.period(current.periodId);
  }
  const period = await client.periodByLabel(label);
  if (!period) throw new UsageError(`no period is labelled "${label}"; \`carbon period show\` shows the latest`);
  return period;
}

/** A period with the chain's clock, for the renderers. */
export async function periodView(client: Compliance, period: Period): Promise<PeriodView> {
  return {
    id: period.periodId,
    label: period.label,
    cap: period.cap,
    allocated: period.allocated,
    reportBy: period.reportingDeadline,
    surrenderBy: period.surrenderDeadline,
    penaltyRate: period.penaltyRate,
    closed: period.closed,
    now: await client.currentTime(),
    realTime: Math.floor(Date.now() / 1000),
  };
}

/** The client and the period a command acts in. */
export async function inPeriod(market: Market, label?: string): Promise<{ client: Compliance; period: Period }> {
  const client = new Compliance(market);
  return { client, period: await findPeriod(client, label) };
}

/** A customer's record in a period, and whether it is frozen now. */
export interface Participant {
  account: string;
  record: ComplianceRecord;
  frozen: boolean;
}

/** Whether a record shows the customer taking part, as the contract decides it: quota allocated under the cap, a report, a verifier, a surrender toward the period. */
export function takesPart(record: ComplianceRecord): boolean {
  return record.allocated > 0n || record.reportState !== "none" || record.verifier !== undefined || record.surrendered > 0n;
}

/**
 * Every registered customer taking part in the period, in registration order. A customer that never
 * took part is no participant: listing it as C (no verified emissions) would fine a bystander.
 */
export async function participants(market: Market, client: Compliance, period: Period): Promise<Participant[]> {
  const customers = await market.customers();
  const all = await Promise.all(
    customers.map(async (account) => {
      const [record, frozen] = await Promise.all([client.record(account, period.periodId), market.isFrozen(account)]);
      return { account, record, frozen };
    }),
  );
  return all.filter(({ record }) => takesPart(record));
}

/** A participant as a row of the compliance table. */
export function complianceRow({ account, record, frozen }: Participant): ComplianceRow {
  return {
    account,
    allocated: record.allocated,
    ...(record.reportState === "verified" || record.reportState === "corrected" ? { verified: record.verified } : {}),
    surrendered: record.surrendered,
    status: record.status,
    penalty: record.penalty,
    frozen,
  };
}

/**
 * Who `carbon enforce` sends a transaction for: each participant not yet enforced that is B or C (a C
 * without the regulator's estimate is refused by the contract, and the row says so: `carbon estimate`).
 */
export async function dueForEnforcement(market: Market, client: Compliance, period: Period): Promise<Participant[]> {
  return (await participants(market, client, period)).filter(({ record }) => !record.enforced && (record.status === "B" || record.status === "C"));
}
