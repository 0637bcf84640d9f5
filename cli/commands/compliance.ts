// `carbon compliance [label] [--csv]`: the registry's compliance table for a period: each taking
// part account's allocation, verified emissions, surrenders, status (A, B, C, pending) and penalty.
import type { Market } from "../chain/market";
import type { Flags } from "./command";
import { complianceRow, inPeriod, participants, periodView, type ComplianceRow, type PeriodView } from "./compliance-period";

export interface ComplianceTable {
  period: PeriodView;
  rows: ComplianceRow[];
  /** Print CSV instead of a table (`--csv`). */
  csv?: boolean;
}

export interface ComplianceOptions {
  /** Default: the latest period. */
  period?: string;
  csv?: boolean;
}

export function parse([period]: string[], flags: Flags = {}): ComplianceOptions {
  return { ...(period === undefined ? {} : { period }), ...(flags.csv ? { csv: true } : {}) };
}

export async function run(market: Market, options: ComplianceOptions = {}): Promise<ComplianceTable> {
  const { client, period } = await inPeriod(market, options.period);
  const [view, taking] = await Promise.all([periodView(client, period), participants(market, client, period)]);
  return { period: view, rows: taking.map(complianceRow), ...(options.csv ? { csv: true } : {}) };
}
