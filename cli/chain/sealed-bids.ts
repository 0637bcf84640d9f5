// A bidder's sealed bids, kept until it reveals them: the auction holds only their hash, so the bids
// and the salt must survive on this machine from sealing to revealing (a closed terminal, a reboot).
// In $CARBON_HOME/sealed-bids.json, 0600: anyone who read it would know the bids before the reveal.
// Saved before the seal is sent, so a seal that is mined while this process dies is never orphaned.
import path from "node:path";
import { carbonHome } from "./home";
import { readPrivateJson, writePrivateJson } from "./private-file";

export interface SealedBids {
  quantities: bigint[];
  /** Wei per unit, falling. */
  prices: bigint[];
  /** 0x and 64 hex digits. */
  salt: string;
}

interface StoredBids {
  version: 1;
  /** By `auction address:auction id:bidder`, all lower case. */
  sealed: Record<string, { quantities: string[]; prices: string[]; salt: string }>;
}

const WHAT = "your sealed bids";

function isStored(value: unknown): value is StoredBids {
  const stored = value as StoredBids | undefined;
  return stored?.version === 1 && typeof stored.sealed === "object" && stored.sealed !== null;
}

export function sealedBidsPath(): string {
  return path.join(carbonHome(), "sealed-bids.json");
}

function keyOf(auction: string, id: number, bidder: string): string {
  return `${auction.toLowerCase()}:${id}:${bidder.toLowerCase()}`;
}

export function readSealedBids(auction: string, id: number, bidder: string, file = sealedBidsPath()): SealedBids | undefined {
  const entry = readPrivateJson(file, WHAT, isStored)?.sealed[keyOf(auction, id, bidder)];
  if (!entry) return undefined;
  return { quantities: entry.quantities.map(BigInt), prices: entry.prices.map(BigInt), salt: entry.salt };
}

/** Keeps `bids` for the bidder (replacing bids it sealed before in the same auction). */
export function saveSealedBids(auction: string, id: number, bidder: string, bids: SealedBids, file = sealedBidsPath()): void {
  const stored = readPrivateJson(file, WHAT, isStored) ?? { version: 1, sealed: {} };
  stored.sealed[keyOf(auction, id, bidder)] = { quantities: bids.quantities.map(String), prices: bids.prices.map(String), salt: bids.salt };
  writePrivateJson(file, stored);
}
