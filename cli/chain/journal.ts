// The pending journal: every transaction signed and handed to a node, until its receipt is seen.
// $CARBON_HOME/pending/<chainId>/<hash>.json holds what is needed to find it again and to tell it
// from a new one: sender, contract, call data, nonce, and the signed bytes when signed here (so a
// retry can hand the very same transaction to the node again, which can never spend twice).
//
// A retry of the same command (same sender, contract and call data) looks here first and never
// sends a second transaction while the first may still be mined (see transactions.ts).
import fs from "node:fs";
import path from "node:path";
import { carbonHome } from "./home";

export interface PendingTransaction {
  hash: string;
  chainId: number;
  from: string;
  to: string;
  data: string;
  nonce: string;
  /** The signed transaction, when it was signed on this machine. */
  raw?: string;
  /** The market method, for messages. */
  method: string;
  sentAt: string;
}

function directory(chainId: number): string {
  return path.join(carbonHome(), "pending", String(chainId));
}

export function record(entry: PendingTransaction): void {
  const dir = directory(entry.chainId);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${entry.hash}.json`);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(entry));
  fs.renameSync(temporary, file);
}

export function settle(chainId: number, hash: string): void {
  fs.rmSync(path.join(directory(chainId), `${hash.toLowerCase()}.json`), { force: true });
}

export function find(chainId: number, hash: string): PendingTransaction | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(directory(chainId), `${hash.toLowerCase()}.json`), "utf8")) as PendingTransaction;
  } catch {
    return undefined;
  }
}

/** Entries for the same call (sender, contract, data), oldest first. */
export function matching(chainId: number, call: { from: string; to: string; data: string }): PendingTransaction[] {
  let names: string[];
  try {
    names = fs.readdirSync(directory(chainId)).filter((name) => name.endsWith(".json"));
  } catch {
    return [];
  }
  const found: PendingTransaction[] = [];
  for (const name of names) {
    try {
      const entry = JSON.parse(fs.readFileSync(path.join(directory(chainId), name), "utf8")) as PendingTransaction;
      if (entry.from === call.from.toLowerCase() && entry.to === call.to.toLowerCase() && entry.data === call.data.toLowerCase()) found.push(entry);
    } catch {
      // Removed by another process meanwhile, or half-written by one killed: not ours to judge.
    }
  }
  return found.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
}
