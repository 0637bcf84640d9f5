// Nonces under a cross-process lock per (chain, address), so that CLI processes, sessions and
// scripts sending from one account at once never sign two transactions with the same nonce.
//
// The lock is a directory ($CARBON_HOME/locks/<chainId>-<address>.lock, mkdir is atomic) holding
// the owner's pid and the time it was taken. A lock whose owner is dead, or that is older than
// STALE_MS (a process stopped in a debugger, a pid reused), is broken and retaken, so a kill -9
// never leaves an account stuck. Beside it, <chainId>-<address>.json keeps the next nonce and who
// wrote it: a process that wrote it last and still holds the lock's lineage can skip asking the
// node (a pipelined batch); anyone else asks the node for its pending count.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { carbonHome } from "./home";
import { processAlive } from "./process-alive";

/** A lock older than this is taken to be abandoned: far longer than signing and handing one transaction to a node takes. */
const STALE_MS = 30_000;
/** How long to wait for the lock before giving up (many writers at once on one account). */
const WAIT_MS = 120_000;

const token = `${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
/** What this process last wrote for each account: if the file still says it, nobody else sent since. */
const lastWritten = new Map<string, bigint>();
/** One in-process queue per account, so a process's own writers wait in memory rather than on the file. */
const queues = new Map<string, Promise<unknown>>();

export class NonceLockTimeout extends Error {}

function lockPaths(chainId: number, address: string): { dir: string; lock: string; state: string } {
  const dir = path.join(carbonHome(), "locks");
  const base = `${chainId}-${address.toLowerCase()}`;
  return { dir, lock: path.join(dir, `${base}.lock`), state: path.join(dir, `${base}.json`) };
}


function tryLock(lock: string): boolean {
  try {
    fs.mkdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    let owner: { pid?: number; at?: number } = {};
    try {
      owner = JSON.parse(fs.readFileSync(path.join(lock, "owner"), "utf8"));
    } catch {
      // Taken but not yet written, or written by a process killed in between: judged by its age.
      // Released between the mkdir and here: gone is not stale, the next try takes it.
      const stat = fs.statSync(lock, { throwIfNoEntry: false });
      if (!stat || !(Date.now() - stat.mtimeMs > 2_000)) return false;
    }
    const stale = (owner.pid !== undefined && !processAlive(owner.pid)) || Date.now() - (owner.at ?? 0) > STALE_MS;
    if (!stale) return false;
    // Break it by renaming (atomic): of two processes breaking it at once, one rename wins.
    const broken = `${lock}.broken-${token}`;
    try {
      fs.renameSync(lock, broken);
      fs.rmSync(broken, { recursive: true, force: true });
    } catch {
      return false;
    }
    return tryLock(lock);
  }
  fs.writeFileSync(path.join(lock, "owner"), JSON.stringify({ pid: process.pid, at: Date.now() }));
  return true;
}

async function acquire(lock: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  let pause = 2;
  while (!tryLock(lock)) {
    if (Date.now() > deadline) throw new NonceLockTimeout(`another process has held the nonce lock ${lock} for over ${WAIT_MS / 1000} s; if none is running, remove it`);
    await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
    pause = Math.min(pause * 2, 50);
  }
}

export interface NonceGrant {
  nonce: bigint;
  /** The transaction with this nonce reached the node (or may have): the next writer takes nonce + 1. */
  used(): void;
}

/**
 * Runs `send` holding the account's lock, with the nonce to sign with: the node's pending count, or
 * what this process left in the state file when nobody else wrote since (`pendingCount` is then not
 * called). `send` calls `grant.used()` once the node has (or may have) the transaction.
 */
export async function withNonce<T>(
  chainId: number,
  address: string,
  pendingCount: () => Promise<bigint>,
  send: (grant: NonceGrant) => Promise<T>,
  /** The pending count read before the lock (beside other reads, saving a round trip), and when that read began. */
  early?: { count: Promise<bigint>; at: number },
): Promise<T> {
  const key = `${chainId}-${address.toLowerCase()}`;
  const previous = queues.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  queues.set(key, previous.then(() => mine));
  await previous.catch(() => undefined);
  const paths = lockPaths(chainId, address);
  try {
    fs.mkdirSync(paths.dir, { recursive: true });
    await acquire(paths.lock);
    try {
      let nonce: bigint | undefined;
      let state: { next: string; by: string; at: number } | undefined;
      try {
        state = JSON.parse(fs.readFileSync(paths.state, "utf8"));
      } catch {
        // No state yet: nobody sent from this account through the CLI here.
      }
      const remembered = lastWritten.get(key);
      if (remembered !== undefined && state?.by === token && BigInt(state.next) === remembered) nonce = remembered;
      // A count read before the lock holds if no CLI writer handed the node a transaction since that
      // read began (a writer outside the CLI is caught by the node's nonce error, and re-signed).
      if (nonce === undefined && early && !(state && state.at >= early.at)) nonce = await early.count.catch(() => undefined);
      nonce ??= await pendingCount();
      let advanced = false;
      const grant: NonceGrant = {
        nonce,
        used: () => {
          if (advanced) return;
          advanced = true;
          const next = nonce! + 1n;
          fs.writeFileSync(paths.state, JSON.stringify({ next: next.toString(), by: token, at: Date.now() }));
          lastWritten.set(key, next);
        },
      };
      return await send(grant);
    } finally {
      fs.rmSync(paths.lock, { recursive: true, force: true });
    }
  } finally {
    release();
    if (queues.get(key) === mine) queues.delete(key);
  }
}

/** Whether this process sent the account's last transaction through the CLI (its next nonce is known without asking). */
export function remembersNonce(chainId: number, address: string): boolean {
  return lastWritten.has(`${chainId}-${address.toLowerCase()}`);
}

/** Forget what this process knows of an account's nonce: the node said the nonce was wrong. */
export function forgetNonce(chainId: number, address: string): void {
  lastWritten.delete(`${chainId}-${address.toLowerCase()}`);
}
