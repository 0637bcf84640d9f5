// The Lesson module's ABI as the contract tests use it (beside truffle-globals.d.ts).
import type BN from "bn.js";

declare global {
  interface FirmResult {
    number: string;
    baseline: string;
    abatable: string;
    tonnes: string[];
    costs: string[];
  }

  interface LessonInstance {
    address: string;
    abi: readonly AbiFunction[];

    addFirm(firm: string, baseline: Uint, tonnes: Uint[], costs: Uint[], options?: TruffleOptions): Send;
    markRound(periodId: Uint, cut: Uint, options?: TruffleOptions): Send;
    abate(tonnes: Uint, options?: TruffleOptions): Send;
    verify(firm: string, periodId: Uint, options?: TruffleOptions): Send;

    market(): Promise<string>;
    compliance(): Promise<string>;
    MAX_BLOCKS(): Promise<BN>;
    abatementCost(firm: string, periodId: Uint, tonnes: Uint): Promise<BN>;
    firmCount(): Promise<BN>;
    firms(offset: Uint, limit: Uint): Promise<string[]>;
    isFirm(account: string): Promise<boolean>;
    getFirm(firm: string): Promise<FirmResult>;
    firmRound(firm: string, periodId: Uint): Promise<{ abated: BN; paid: BN; emissions: BN; verified: boolean }>;
    emissionsOf(firm: string, periodId: Uint): Promise<BN>;
    getRound(periodId: Uint): Promise<{ cut: BN; abated: BN; paid: BN }>;
    totalBaseline(): Promise<BN>;
    spent(): Promise<BN>;
  }
}

export {};
