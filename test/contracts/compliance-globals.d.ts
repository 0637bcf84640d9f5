// The Compliance module's ABI as the contract tests use it (beside truffle-globals.d.ts). Structs come
// back from @truffle/contract with named members as decimal strings; enums as decimal strings.
import type BN from "bn.js";

declare global {
  interface PeriodResult {
    periodId: string;
    label: string;
    cap: string;
    allocated: string;
    reportingDeadline: string;
    surrenderDeadline: string;
    penaltyRate: string;
    openedAt: string;
    closed: boolean;
    reportCount: string;
    verifiedCount: string;
    enforcedCount: string;
    nonCompliantCount: string;
    surrendered: string;
    penalties: string;
  }

  interface RecordResult {
    allocated: string;
    reported: string;
    verified: string;
    surrendered: string;
    estimated: string;
    obligation: string;
    shortfall: string;
    penalty: string;
    status: string;
    reportState: string;
    enforced: boolean;
    verifier: string;
    verifierAccepted: boolean;
    evidence: string;
    rejectionReason: string;
    correctionReason: string;
    estimateReason: string;
  }

  interface StandingResult {
    outstanding: string;
    enforcedAny: boolean;
    lastEnforcedPeriod: string;
  }

  interface ComplianceInstance {
    address: string;
    abi: readonly AbiFunction[];

    openPeriod(label: string, cap: Uint, reportingDeadline: Uint, surrenderDeadline: Uint, penaltyRate: Uint, options?: TruffleOptions): Send;
    closePeriod(periodId: Uint, options?: TruffleOptions): Send;
    allocate(customer: string, amount: Uint, options?: TruffleOptions): Send;
    accreditVerifier(verifier: string, options?: TruffleOptions): Send;
    revokeVerifier(verifier: string, options?: TruffleOptions): Send;
    appointVerifier(customer: string, periodId: Uint, verifier: string, options?: TruffleOptions): Send;
    acceptAppointment(verifier: string, customer: string, periodId: Uint, options?: TruffleOptions): Send;
    reportEmissions(customer: string, periodId: Uint, tonnes: Uint, evidence: string, options?: TruffleOptions): Send;
    approveReport(verifier: string, customer: string, periodId: Uint, options?: TruffleOptions): Send;
    rejectReport(verifier: string, customer: string, periodId: Uint, reason: string, options?: TruffleOptions): Send;
    correctEmissions(customer: string, periodId: Uint, tonnes: Uint, reason: string, options?: TruffleOptions): Send;
    estimateEmissions(customer: string, periodId: Uint, tonnes: Uint, reason: string, options?: TruffleOptions): Send;
    surrenderCarbon(customer: string, amount: Uint, options?: TruffleOptions): Send;
    enforceCompliance(customer: string, periodId: Uint, options?: TruffleOptions): Send;

    market(): Promise<string>;
    ESTIMATE_SURCHARGE_PERCENT(): Promise<BN>;
    currentTime(): Promise<BN>;
    periodCount(): Promise<BN>;
    currentPeriod(): Promise<{ 0: boolean; 1: BN; isOpen: boolean; periodId: BN }>;
    getPeriod(periodId: Uint): Promise<PeriodResult>;
    getRecord(customer: string, periodId: Uint): Promise<RecordResult>;
    statusOf(customer: string, periodId: Uint): Promise<BN>;
    complianceStatus(report: Uint, verified: Uint, surrendered: Uint, tookPart: boolean, reportingOver: boolean, surrenderOver: boolean): Promise<BN>;
    standingOf(account: string): Promise<StandingResult>;
    isVerifier(account: string): Promise<boolean>;
    getVerifierCount(): Promise<BN>;
    getVerifiers(offset: Uint, limit: Uint): Promise<string[]>;
    getAppointmentCount(periodId: Uint, verifier: string): Promise<BN>;
    getAppointments(periodId: Uint, verifier: string, offset: Uint, limit: Uint): Promise<string[]>;
    surrenderedCarbonAmount(): Promise<BN>;
    penaltyTotal(): Promise<BN>;
  }
}

export {};
