// The CLI's write path: build, sign, journal, send, wait, all over plain JSON-RPC (no web3, no
// @truffle/contract, which serve migrations and `truffle console` only).
//
//   const writer = new Writer({ rpc, chainId, keys, label });
//   const mined = await writer.send({ method: "buyCarbon", to, data, from }, { onHash });
//
// For every write: the fixed gas limit of the method (gas.ts, no eth_estimateGas); the nonce taken
// under the account's cross-process lock (nonces.ts); signed here when the key is here (signer.ts);
// the hash recorded in the pending journal (journal.ts) and announced (onHash) before it is sent;
// eth_sendRawTransaction; then the receipt, waited for with a deadline. The outcome is decided by
// the chain, never guessed:
// - the node refused it in a way that proves it is not in the pool (a revert it ran at once, a
//   wrong nonce for a hash it does not know): nothing was sent, and a wrong nonce is re-signed with
//   a fresh one (only then);
// - the node said "wrong nonce" but knows the hash: it was taken, and is waited for;
// - the send or the wait failed (timeout, node gone): OutcomeUnknownError, exit 4, with the hash;
// - a retry of the same call (same sender, contract, data) finds the earlier one in the journal
//   and waits for it, or hands the same signed bytes to the node again, instead of sending anew.
import { CarbonError, UsageError } from "../support/errors";
import { gasLimit } from "./gas";
import * as journal from "./journal";
import { forgetNonce, remembersNonce, withNonce, type NonceGrant } from "./nonces";
import { isTransportFailure } from "./reconnect";
import { NodeUnreachableError, RpcError, RpcTimeoutError, type Rpc } from "./rpc";
import { findSigner, SigningUnsupported, transactionHash, type KeySource, type Signer, type UnsignedTx } from "./signer";

export const EXIT_UNKNOWN = 4;

/** The transaction was sent (its hash is known) but its outcome is not: exit 4. */
export class OutcomeUnknownError extends CarbonError {
  constructor(readonly txHash: string | undefined, why: string) {
    super(
      txHash
        ? `sent, outcome unknown: transaction ${txHash} was sent but ${why}; it may still be mined. Run \`carbon tx ${txHash}\` to see its outcome (running the same command again waits for it instead of sending another)`
        : `sent, outcome unknown: the node took the transaction but ${why}, before giving its hash; check with \`carbon records\` before sending again`,
      EXIT_UNKNOWN,
    );
  }
}

/** A mined transaction, as the market decodes it. */
export interface Mined {
  txHash: string;
  block: number;
  gasUsed: number;
  status: boolean;
  logs: Array<{ address: string; topics: string[]; data: string; blockNumber: string; transactionHash: string; logIndex: string }>;
  /** Not sent by this call: an earlier identical call's transaction, found in the journal. */
  resumed?: boolean;
}

export interface Call {
  /** The market method, for the gas limit and messages. */
  method: string;
  to: string;
  data: string;
  from: string;
  /** Ether sent with the call, in wei (an order book bid's escrow). */
  value?: bigint;
  /** The gas limit when the method's is not fixed (a match over a caller-given number of orders); else gas.ts's. */
  gas?: bigint;
}

function callGas(call: Call): bigint {
  return call.gas ?? gasLimit(call.method);
}

export interface SendHooks {
  /** The hash, as soon as it is known and before waiting (also for a resumed earlier transaction). */
  onHash?(hash: string, resumed: boolean): void;
  /** The node has the transaction (eth_sendRawTransaction answered): the next nonce is free. */
  onAccepted?(hash: string): void;
  /** The write is in line for its account's nonce: writes queued after it get later nonces. */
  onQueued?(): void;
}

type Receipt = { status?: string; blockNumber: string; gasUsed: string; transactionHash: string; logs: Mined["logs"] };

/** How long a write waits for its receipt: CARBON_TX_TIMEOUT_MS, else two minutes. */
export function receiptTimeout(): number {
  const override = Number(process.env.CARBON_TX_TIMEOUT_MS);
  return Number.isFinite(override) && override > 0 ? override : 120_000;
}

/** How long a node may stay unreachable during a wait before the wait gives up. */
const GONE_MS = 5_000;

export class Writer {
  private readonly signers = new Map<string, Promise<Signer | undefined>>();
  private gasPrice?: { value: Promise<bigint>; at: number };
  /** Pending counts read ahead by prepare(), used once by the next send from that account. */
  private readonly early = new Map<string, { count: Promise<bigint>; at: number }>();

  constructor(private readonly options: { rpc: Rpc; chainId: number; keys: KeySource[]; label: string; noKeyHint?: () => Promise<string> }) {}

  /** Whether some key source here can send from `address`. */
  async canSend(address: string): Promise<boolean> {
    return (await this.signer(address)) !== undefined;
  }

  /**
   * Starts the reads a write from `address` will need (gas price, pending nonce) now, so they ride in
   * the same round trip as the caller's own checks. Optional: send() reads whatever was not prepared.
   */
  prepare(address: string): void {
    const key = address.toLowerCase();
    void this.currentGasPrice().catch(() => undefined);
    if (!this.early.has(key) && !remembersNonce(this.options.chainId, key)) {
      const at = Date.now();
      const count = this.pendingCount(key);
      count.catch(() => undefined);
      this.early.set(key, { count, at });
    }
  }

  private signer(address: string): Promise<Signer | undefined> {
    const key = address.toLowerCase();
    let found = this.signers.get(key);
    if (!found) this.signers.set(key, (found = findSigner(this.options.keys, key)));
    return found;
  }

  async send(call: Call, hooks: SendHooks = {}): Promise<Mined> {
    const from = call.from.toLowerCase();
    const signer = await this.signer(from);
    if (!signer) {
      const hint = (await this.options.noKeyHint?.()) ?? "";
      throw new UsageError(`cannot send from ${from}: no key for it here${hint}`);
    }
    const normalized = { ...call, from, to: call.to.toLowerCase(), data: call.data.toLowerCase() };
    await this.ensureGas(from, callGas(call), call.value ?? 0n, call.data === "0x");

    for (const earlier of journal.matching(this.options.chainId, normalized)) {
      const mined = await this.resume(earlier, hooks);
      if (mined) return mined;
    }
    const early = this.early.get(from);
    this.early.delete(from);
    const queued = withNonce(this.options.chainId, from, () => this.pendingCount(from), (grant) => this.signAndSend(normalized, signer, grant, hooks), early);
    hooks.onQueued?.();
    const hash = await queued;
    hooks.onAccepted?.(hash);
    return this.wait(hash);
  }

  /**
   * Gas money before signing (cli/gate/funding.ts): a class chain's faucet tops up a new key once;
   * on any other node a key short of ether is refused before anything is sent, told how much it needs.
   */
  private async ensureGas(from: string, gas: bigint, value: bigint, plainTransfer: boolean): Promise<void> {
    const gasWei = gas * (await this.currentGasPrice());
    const { ensureGasMoney, fundingHint } = require("../gate/funding") as typeof import("../gate/funding");
    const funding = await ensureGasMoney(this.options.rpc, from, gasWei + value);
    if (funding.outcome === "no-faucet") throw new UsageError(fundingHint(from, plainTransfer ? { gasWei, sendWei: value } : { gasWei, escrowWei: value }, funding.balance, funding.refusal));
  }

  /** What the chain says of a transaction now: mined (with its receipt), pending in a pool, or unknown. */
  async status(hash: string): Promise<{ state: "mined"; mined: Mined } | { state: "pending" | "unknown" }> {
    const rpc = this.options.rpc;
    const [receipt, tx] = await Promise.all([rpc.request<Receipt | null>("eth_getTransactionReceipt", [hash]), rpc.request<object | null>("eth_getTransactionByHash", [hash])]);
    if (receipt) {
      journal.settle(this.options.chainId, hash);
      return { state: "mined", mined: toMined(receipt) };
    }
    return { state: tx ? "pending" : "unknown" };
  }

  /** Waits for a transaction's receipt; OutcomeUnknownError (exit 4) if the node goes or the time runs out. */
  async wait(hash: string, timeoutMs = receiptTimeout()): Promise<Mined> {
    const rpc = this.options.rpc;
    const deadline = Date.now() + timeoutMs;
    let pause = 5;
    let goneSince: number | undefined;
    for (;;) {
      try {
        const receipt = await rpc.request<Receipt | null>("eth_getTransactionReceipt", [hash]);
        goneSince = undefined;
        if (receipt) {
          journal.settle(this.options.chainId, hash);
          return toMined(receipt);
        }
      } catch (error) {
        if (!isTransportFailure(error)) throw error;
        goneSince ??= Date.now();
        if (Date.now() - goneSince > GONE_MS) throw new OutcomeUnknownError(hash, `the node at ${this.options.label} stopped answering (${shortReason(error)})`);
      }
      if (Date.now() > deadline) throw new OutcomeUnknownError(hash, `it was not mined within ${Math.round(timeoutMs / 1000)} s`);
      await sleep(pause);
      pause = Math.min(pause * 2, 500);
    }
  }

  private async signAndSend(call: Call, signer: Signer, grant: NonceGrant, hooks: SendHooks): Promise<string> {
    const rpc = this.options.rpc;
    let nonce = grant.nonce;
    for (let attempt = 0; ; attempt++) {
      const tx: UnsignedTx = { to: call.to, data: call.data, nonce, gas: callGas(call), gasPrice: await this.currentGasPrice(), chainId: this.options.chainId, ...(call.value ? { value: call.value } : {}) };
      let raw: string;
      try {
        raw = await signer.signTransaction(tx);
      } catch (error) {
        if (error instanceof SigningUnsupported && signer.sendTransaction) return this.sendThroughNode(call, signer, tx, grant, hooks);
        throw error;
      }
      const hash = transactionHash(raw);
      journal.record({ hash, chainId: this.options.chainId, from: call.from, to: call.to, data: call.data, nonce: nonce.toString(), raw, method: call.method, sentAt: new Date().toISOString() });
      hooks.onHash?.(hash, false);
      try {
        await rpc.request("eth_sendRawTransaction", [raw]);
        grant.used();
        return hash;
      } catch (error) {
        if (isNeverSent(error)) {
          journal.settle(this.options.chainId, hash);
          throw error;
        }
        if (isTransportFailure(error)) {
          grant.used(); // it may be in the pool: the next writer must not reuse its nonce
          throw new OutcomeUnknownError(hash, `the node did not confirm receiving it (${shortReason(error)})`);
        }
        // The node answered no. It may still have taken it (Ganache can say "wrong nonce" and mine it).
        if (await this.known(hash)) {
          grant.used();
          return hash;
        }
        journal.settle(this.options.chainId, hash);
        if (isNonceError(error) && attempt < 5) {
          forgetNonce(this.options.chainId, call.from);
          nonce = await this.pendingCount(call.from);
          continue;
        }
        throw error;
      }
    }
  }

  /** A key the node holds and will not sign with: the node signs and sends (nonce given, under the lock). */
  private async sendThroughNode(call: Call, signer: Signer, tx: UnsignedTx, grant: NonceGrant, hooks: SendHooks): Promise<string> {
    let hash: string;
    try {
      hash = (await signer.sendTransaction!(tx)).toLowerCase();
    } catch (error) {
      if (isNeverSent(error)) throw error;
      if (isTransportFailure(error)) {
        grant.used();
        throw new OutcomeUnknownError(undefined, `did not answer (${shortReason(error)})`);
      }
      throw error;
    }
    grant.used();
    journal.record({ hash, chainId: this.options.chainId, from: call.from, to: call.to, data: call.data, nonce: tx.nonce.toString(), method: call.method, sentAt: new Date().toISOString() });
    hooks.onHash?.(hash, false);
    return hash;
  }

  /** An earlier identical call from the journal: its outcome if mined, a wait if pending, undefined if it can never be mined. */
  private async resume(entry: journal.PendingTransaction, hooks: SendHooks): Promise<Mined | undefined> {
    const status = await this.status(entry.hash);
    if (status.state === "mined") {
      hooks.onHash?.(entry.hash, true);
      return { ...status.mined, resumed: true };
    }
    if (status.state === "pending") {
      hooks.onHash?.(entry.hash, true);
      return { ...(await this.wait(entry.hash)), resumed: true };
    }
    // Unknown to the node: dead if its nonce has been used since, else the same bytes can go again.
    const used = BigInt(await this.options.rpc.request<string>("eth_getTransactionCount", [entry.from, "latest"]));
    if (BigInt(entry.nonce) < used || !entry.raw) {
      journal.settle(this.options.chainId, entry.hash);
      return undefined;
    }
    hooks.onHash?.(entry.hash, true);
    try {
      await this.options.rpc.request("eth_sendRawTransaction", [entry.raw]);
    } catch (error) {
      if (isTransportFailure(error)) throw new OutcomeUnknownError(entry.hash, `the node did not confirm receiving it again (${shortReason(error)})`);
      if (!(await this.known(entry.hash))) {
        journal.settle(this.options.chainId, entry.hash);
        return undefined;
      }
    }
    return { ...(await this.wait(entry.hash)), resumed: true };
  }

  private async known(hash: string): Promise<boolean> {
    try {
      const [tx, receipt] = await Promise.all([
        this.options.rpc.request<object | null>("eth_getTransactionByHash", [hash]),
        this.options.rpc.request<object | null>("eth_getTransactionReceipt", [hash]),
      ]);
      return Boolean(tx || receipt);
    } catch (error) {
      if (isTransportFailure(error)) throw new OutcomeUnknownError(hash, `the node stopped answering (${shortReason(error)})`);
      throw error;
    }
  }

  private async pendingCount(address: string): Promise<bigint> {
    return BigInt(await this.options.rpc.request<string>("eth_getTransactionCount", [address, "pending"]));
  }

  /** The node's gas price, asked at most every 10 s (a batch of writes asks once). */
  private currentGasPrice(): Promise<bigint> {
    if (!this.gasPrice || Date.now() - this.gasPrice.at > 10_000) {
      const value = this.options.rpc.request<string>("eth_gasPrice").then((price) => BigInt(price));
      value.catch(() => (this.gasPrice = undefined));
      this.gasPrice = { value, at: Date.now() };
    }
    return this.gasPrice.value;
  }
}

function toMined(receipt: Receipt): Mined {
  return {
    txHash: receipt.transactionHash.toLowerCase(),
    block: Number(receipt.blockNumber),
    gasUsed: Number(receipt.gasUsed),
    status: receipt.status === undefined || Number(receipt.status) === 1,
    logs: receipt.logs ?? [],
  };
}

/** Nothing reached the node: nobody listening. Safe to report as "not sent". */
function isNeverSent(error: unknown): boolean {
  return error instanceof NodeUnreachableError && /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|EADDRNOTAVAIL/.test(error.message);
}

/** The request may or may not have reached the node: a timeout, a dropped connection, a garbled answer. */
function isNonceError(error: unknown): boolean {
  return error instanceof RpcError && /nonce|replacement transaction|already known|known transaction/i.test(error.message);
}

function shortReason(error: unknown): string {
  if (error instanceof RpcTimeoutError) return `no answer to ${error.method} within ${error.timeoutMs / 1000} s`;
  return ((error as Error).message ?? String(error)).split("\n")[0];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

