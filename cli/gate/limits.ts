// How much of the chain one remote address may take: open connections, requests in flight, requests
// per second (a batch counts as its elements), and time the chain spends on its work.
//
// The last is what keeps the class moving. Ganache runs the EVM without yielding to the event loop,
// so while one eth_call, eth_estimateGas or transaction executes, nothing else in the process is
// answered: a classmate's eth_blockNumber waits for it. The gas caps (policy.ts) bound one call;
// this budget bounds how often: each address may keep the chain busy for at most BUSY_SHARE of the
// time (measured, not estimated from gas), with a little saved up for a burst.
import net from "node:net";

export interface LimitSettings {
  connections: number;
  inFlight: number;
  perSecond: number;
  burst: number;
  /** Milliseconds of chain time an address earns per second... */
  busyMsPerSecond: number;
  /** ...and may save up. */
  busyMsBurst: number;
}

/**
 * A session and a `watch` together make a few requests a second (a dashboard refresh is one batch
 * of about ten reads): these bounds are some twenty times that, so only a flood meets them.
 */
export const DEFAULT_LIMITS: LimitSettings = { connections: 32, inFlight: 64, perSecond: 100, burst: 300, busyMsPerSecond: 200, busyMsBurst: 600 };

class Bucket {
  private level: number;
  private at = Date.now();
  constructor(private readonly rate: number, private readonly size: number) {
    this.level = size;
  }
  private refill(): void {
    const now = Date.now();
    this.level = Math.min(this.size, this.level + ((now - this.at) / 1000) * this.rate);
    this.at = now;
  }
  /** Takes `n` if there is that much; the milliseconds to wait otherwise. */
  take(n: number): number {
    this.refill();
    if (this.level >= n) {
      this.level -= n;
      return 0;
    }
    return Math.ceil(((n - this.level) / this.rate) * 1000);
  }
  /** Whether anything is left (a debt is paid back before the next call). */
  available(): number {
    this.refill();
    return this.level > 0 ? 0 : Math.ceil((-this.level / this.rate) * 1000) + 1;
  }
  spend(n: number): void {
    this.refill();
    this.level -= n;
  }
}

interface Caller {
  connections: number;
  inFlight: number;
  requests: Bucket;
  busy: Bucket;
  lastSeen: number;
}

export class CallerLimits {
  private readonly callers = new Map<string, Caller>();
  constructor(readonly settings: LimitSettings = DEFAULT_LIMITS) {}

  private caller(address: string): Caller {
    let found = this.callers.get(address);
    if (!found) {
      if (this.callers.size > 10_000) this.forgetIdle();
      found = { connections: 0, inFlight: 0, requests: new Bucket(this.settings.perSecond, this.settings.burst), busy: new Bucket(this.settings.busyMsPerSecond, this.settings.busyMsBurst), lastSeen: Date.now() };
      this.callers.set(address, found);
    }
    found.lastSeen = Date.now();
    return found;
  }

  /** A new connection from `address`: false if it already holds its share. */
  openConnection(address: string): boolean {
    const caller = this.caller(address);
    if (caller.connections >= this.settings.connections) return false;
    caller.connections++;
    return true;
  }

  closeConnection(address: string): void {
    const caller = this.callers.get(address);
    if (caller) caller.connections = Math.max(0, caller.connections - 1);
  }

  /** Admits `count` requests (a batch's elements) or says why not; `release` when they are answered. */
  admit(address: string, count: number): { ok: true; release: () => void } | { ok: false; message: string } {
    const caller = this.caller(address);
    if (caller.inFlight + count > this.settings.inFlight) {
      return { ok: false, message: `busy: at most ${this.settings.inFlight} requests in flight from one address; wait for the answers` };
    }
    const wait = caller.requests.take(count);
    if (wait > 0) return { ok: false, message: `busy: at most ${this.settings.perSecond} requests a second from one address; retry in ${wait} ms` };
    caller.inFlight += count;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        caller.inFlight -= count;
      },
    };
  }

  /** Before work that occupies the chain: the milliseconds to wait if this address has used its share. */
  chainTimeWait(address: string): number {
    return this.caller(address).busy.available();
  }

  /** After it: what it cost. */
  chargeChainTime(address: string, ms: number): void {
    this.caller(address).busy.spend(ms);
  }

  /**
   * The addresses that asked anything within the last `withinMs`, or hold a connection now: the
   * machines using the chain. Only network addresses count; the gate's own readers (the projector)
   * are callers by name, not machines.
   */
  recentCallers(withinMs: number): Array<{ address: string; connections: number; idleMs: number }> {
    const now = Date.now();
    const seen = [];
    for (const [address, caller] of this.callers) {
      if (net.isIP(address) === 0) continue;
      if (caller.connections === 0 && caller.inFlight === 0 && now - caller.lastSeen > withinMs) continue;
      seen.push({ address, connections: caller.connections, idleMs: caller.inFlight > 0 ? 0 : now - caller.lastSeen });
    }
    return seen.sort((a, b) => a.idleMs - b.idleMs);
  }

  private forgetIdle(): void {
    const cutoff = Date.now() - 60_000;
    for (const [address, caller] of this.callers) if (caller.connections === 0 && caller.inFlight === 0 && caller.lastSeen < cutoff) this.callers.delete(address);
  }
}
