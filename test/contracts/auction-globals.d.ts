// The Auction module's ABI as the contract tests use it (beside truffle-globals.d.ts).
import type BN from "bn.js";

declare global {
  interface AuctionResult {
    phase: string;
    periodId: string;
    supply: string;
    reservePrice: string;
    maxWin: string;
    commitDeadline: string;
    revealDeadline: string;
    bidders: string;
    demand: string;
    clearingPrice: string;
    marginalQuantity: string;
    marginalFill: string;
    issued: string;
    revenue: string;
    escrow: string;
  }

  interface BidderResult {
    committed: boolean;
    revealed: boolean;
    settled: boolean;
    escrow: string;
    won: string;
    quantities: string[];
    prices: string[];
  }

  interface AuctionInstance {
    address: string;
    abi: readonly AbiFunction[];

    openAuction(supply: Uint, reservePrice: Uint, maxShareBps: Uint, commitDeadline: Uint, revealDeadline: Uint, options?: TruffleOptions): Send;
    commitBids(id: Uint, commitment: string, options?: TruffleOptions): Send;
    revealBids(id: Uint, quantities: Uint[], prices: Uint[], salt: string, options?: TruffleOptions): Send;
    clearAuction(id: Uint, maxLevels: Uint, options?: TruffleOptions): Send;
    settleBidder(id: Uint, account: string, options?: TruffleOptions): Send;
    withdrawRefund(options?: TruffleOptions): Send;

    market(): Promise<string>;
    compliance(): Promise<string>;
    commitmentOf(id: Uint, bidder: string, quantities: Uint[], prices: Uint[], salt: string): Promise<string>;
    auctionCount(): Promise<BN>;
    getAuction(id: Uint): Promise<AuctionResult>;
    getBidder(id: Uint, account: string): Promise<BidderResult>;
    allocationOf(id: Uint, account: string): Promise<{ won: BN; payment: BN }>;
    levels(id: Uint, offset: Uint, limit: Uint): Promise<{ price: string; quantity: string }[]>;
    bidders(id: Uint, offset: Uint, limit: Uint): Promise<string[]>;
    withdrawable(account: string): Promise<BN>;
    withdrawableEther(): Promise<BN>;
  }
}

export {};
