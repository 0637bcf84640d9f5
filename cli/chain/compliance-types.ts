// The compliance module's terms as the contract states them (contracts/Compliance.sol): the
// statuses and report states in its enums' order, its limits, and a period, a customer's record
// and its standing as the client reads them.

/**
 * A customer's compliance status for a period, as the registries write it (A, B, C), the two before it
 * is decided, and "not covered": it took no part in the period (no allocation, report, verifier or
 * surrender in it), so it is never C.
 */
export type ComplianceStatus = "unreported" | "pending" | "A" | "B" | "C" | "not covered";
/** Compliance.Status, in the enum's order. */
export const STATUSES: readonly ComplianceStatus[] = ["unreported", "pending", "A", "B", "C", "not covered"];
/** How much the regulator's estimate is raised before a C account's obligation and penalty are counted on it. */
export const ESTIMATE_SURCHARGE_PERCENT = 10n;

/** Where a report stands. "corrected": the verified figure is the regulator's. */
export type ReportState = "none" | "submitted" | "rejected" | "verified" | "corrected";
/** Compliance.ReportState, in the enum's order. */
export const REPORT_STATES: readonly ReportState[] = ["none", "submitted", "rejected", "verified", "corrected"];

/** The most a record's amount may be (tonnes reported or corrected, a surrender): 96 bits, like a balance. */
export const MAX_TONNES = 2n ** 96n - 1n;
/** The most a period's cap may be. */
export const MAX_CAP = 2n ** 128n - 1n;
/** The most a penalty rate (per tonne) may be. */
export const MAX_PENALTY_RATE = 2n ** 64n - 1n;
/** A rejection's or correction's reason: 1 to this many bytes of UTF-8. */
export const MAX_REASON_BYTES = 256;

export interface Period {
  periodId: number;
  label: string;
  cap: bigint;
  /** Quota issued while the period was open (counts against the cap). */
  allocated: bigint;
  /** Unix seconds (the chain's clock). */
  reportingDeadline: number;
  surrenderDeadline: number;
  /** Penalty per tonne of shortfall (for C: per tonne of the raised estimate). */
  penaltyRate: bigint;
  openedAt: number;
  closed: boolean;
  /** Customers who reported; with a verified (or corrected) figure; enforced; enforced as B or C. */
  reportCount: number;
  verifiedCount: number;
  enforcedCount: number;
  nonCompliantCount: number;
  /** Quota surrendered toward this period on time, and penalties recorded in it. */
  surrendered: bigint;
  penalties: bigint;
}

export interface PeriodSpec {
  /** 1 to 32 bytes, the rule of a lot ID (e.g. "2026"). */
  label: string;
  cap: bigint;
  /** Unix seconds on the chain's clock (currentTime()): now < reportingDeadline <= surrenderDeadline. */
  reportingDeadline: number;
  surrenderDeadline: number;
  /** Per tonne; 0 records no penalties. */
  penaltyRate: bigint;
}

/** A customer's record for a period (all zero for a customer that did nothing in it). */
export interface ComplianceRecord {
  customer: string;
  periodId: number;
  allocated: bigint;
  reported: bigint;
  verified: bigint;
  /** Surrendered on time toward this period. */
  surrendered: bigint;
  /** The regulator's estimate of a silent account's emissions (0: none), and the obligation it sets (+ 10 %). */
  estimated: bigint;
  obligation: bigint;
  /** The shortfall recorded at enforcement (0 for A, and before enforcement): added to what the account owes. */
  shortfall: bigint;
  penalty: bigint;
  /** Now: from closing on, the closing snapshot (the one pure function Compliance.complianceStatus decides it). */
  status: ComplianceStatus;
  reportState: ReportState;
  enforced: boolean;
  /** The appointed verifier, undefined if none. */
  verifier?: string;
  verifierAccepted: boolean;
  /** 0x and 64 hex digits; undefined before a report. */
  evidence?: string;
  rejectionReason?: string;
  correctionReason?: string;
  estimateReason?: string;
}

/** What an account owes across periods (every enforced period's shortfall less late surrenders): the regulator unfreezes a compliance-frozen account once `outstanding` is 0. */
export interface Standing {
  outstanding: bigint;
  /** The period enforced on the account last, undefined if none. */
  lastEnforcedPeriod?: number;
}
