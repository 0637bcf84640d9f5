// What the client benchmarks share: a market on a LevelDB chain in its own process (as `npm start`
// runs it), a raw client that signs with the development keys and pipelines its transactions
// (the baseline every ratio is against), wall time of whole processes, and medians.
import { spawn } from "node:child_process";
import path from "node:path";
import { MarketCodec } from "../cli/chain/abi";
import { marketArtifact } from "../cli/chain/artifacts";
import { connect } from "../cli/chain/connect";
import { PROJECT_ROOT } from "../cli/chain/home";
import type { Market } from "../cli/chain/market";
import { HttpRpc } from "../cli/chain/rpc";
import { DEV_ADDRESSES, DEV_KEYS, signLegacy, transactionHash } from "../cli/chain/signer";
import { startEmbeddedChain, type EmbeddedChain } from "../cli/start/embedded-chain/supervisor";
import { MIGRATE, place, runScript, type Place } from "../test/start/harness";

export const CARBON = path.join(PROJECT_ROOT, "dist", "cli", "main.js");
export const RAW = path.join(__dirname, "raw-rpc-client.js");

export interface BenchMarket {
  where: Place;
  chain: EmbeddedChain;
  market: Market;
  codec: MarketCodec;
  raw: RawSender;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** A migrated market on a LevelDB chain in its own process, and everything pointed at it. */
export async function benchMarket(): Promise<BenchMarket> {
  const where = await place();
  process.env.CARBON_HOME = where.home;
  const chain = await startEmbeddedChain({ host: "127.0.0.1", port: where.port, dbPath: path.join(where.home, "chain") });
  const migrated = await runScript(MIGRATE, [], where.env, 300_000);
  if (migrated.code !== 0) throw new Error(`migration failed:\n${migrated.stdout}\n${migrated.stderr}`);
  const market = await connect({ rpc: where.url });
  const codec = new MarketCodec(marketArtifact().abi, marketArtifact().hashes);
  const rpc = new HttpRpc(where.url);
  const raw = new RawSender(rpc, market.chainId, market.contracts.Carbon);
  return {
    where,
    chain,
    market,
    codec,
    raw,
    env: where.env,
    async stop() {
      market.close();
      await chain.stop();
      where.remove();
    },
  };
}

/**
 * The least a client can do to send the market's transactions: sign with the key at hand, assign
 * nonces itself, keep `window` transactions in flight, and fetch the receipts. No checks, no journal,
 * no lock: the baseline of the throughput ratios, and the way scale benchmarks seed their chains.
 */
export class RawSender {
  private readonly nonces = new Map<string, bigint>();
  private gasPrice?: bigint;

  constructor(readonly rpc: HttpRpc, readonly chainId: number, readonly to: string) {}

  private async nonce(from: string): Promise<bigint> {
    let next = this.nonces.get(from);
    if (next === undefined) next = BigInt(await this.rpc.request<string>("eth_getTransactionCount", [from, "pending"]));
    this.nonces.set(from, next + 1n);
    return next;
  }

  /** Sends every call, `window` at a time in flight; resolves with the receipts' status, in order. */
  async sendAll(calls: Array<{ from: string; data: string }>, window = 32): Promise<boolean[]> {
    this.gasPrice ??= BigInt(await this.rpc.request<string>("eth_gasPrice"));
    const results: boolean[] = new Array(calls.length);
    let next = 0;
    const worker = async () => {
      while (next < calls.length) {
        const i = next++;
        const { from, data } = calls[i];
        const key = DEV_KEYS[DEV_ADDRESSES.indexOf(from.toLowerCase())];
        if (!key) throw new Error(`no development key for ${from}`);
        const raw = signLegacy({ to: this.to, data, nonce: await this.nonce(from.toLowerCase()), gas: 1_000_000n, gasPrice: this.gasPrice!, chainId: this.chainId }, Buffer.from(key, "hex"));
        const hash = transactionHash(raw);
        await this.rpc.request("eth_sendRawTransaction", [raw]);
        let receipt: { status: string } | null = null;
        while (!(receipt = await this.rpc.request<{ status: string } | null>("eth_getTransactionReceipt", [hash]))) await sleep(5);
        results[i] = Number(receipt.status) === 1;
      }
    };
    // One worker per sender keeps each account's nonces in order of arrival.
    await Promise.all(Array.from({ length: Math.min(window, calls.length) }, worker));
    return results;
  }
}

/**
 * Seeding at scale: the same signed transactions as `RawSender`, but many to a block. Mining is
 * paused (`miner_stop`), each block's transactions go in one JSON-RPC batch of
 * eth_sendRawTransaction, one `evm_mine` seals them, and the block is checked to hold them all (as
 * test/contracts/helpers.ts `mineInBlocks` does). `gas` is each transaction's limit: the block's gas
 * limit decides how many fit. With `spread`, each block is followed by empty ones, so that the chain
 * has a block per transaction, as `npm start`'s (which mines each transaction at once) would: history
 * reads scan block ranges, and their cost follows the chain's length in blocks. Resolves with the
 * number of blocks mined.
 */
export async function mineAll(sender: RawSender, calls: Array<{ from: string; data: string }>, gas: bigint, spread = true): Promise<number> {
  // Sealing a block of hundreds of transactions can take Ganache longer than a request's usual 15 s.
  const rpc = new HttpRpc(sender.rpc.url, 600_000);
  if (calls.length === 0) return 0;
  const gasPrice = BigInt(await rpc.request<string>("eth_gasPrice"));
  const latest = await rpc.request<{ gasLimit: string }>("eth_getBlockByNumber", ["latest", false]);
  const perBlock = Math.max(1, Math.min(2_000, Number((BigInt(latest.gasLimit) * 95n) / 100n / gas)));
  const nonces = new Map<string, bigint>();
  let blocks = 0;
  await rpc.request("miner_stop");
  try {
    for (let start = 0; start < calls.length; start += perBlock) {
      const chunk = calls.slice(start, start + perBlock);
      const raws: string[] = [];
      for (const { from, data } of chunk) {
        const account = from.toLowerCase();
        const key = DEV_KEYS[DEV_ADDRESSES.indexOf(account)];
        if (!key) throw new Error(`no development key for ${from}`);
        let nonce = nonces.get(account);
        if (nonce === undefined) nonce = BigInt(await rpc.request<string>("eth_getTransactionCount", [account, "pending"]));
        nonces.set(account, nonce + 1n);
        raws.push(signLegacy({ to: sender.to, data, nonce, gas, gasPrice, chainId: sender.chainId }, Buffer.from(key, "hex")));
      }
      const sent = await rpc.batch(raws.map((raw) => ({ method: "eth_sendRawTransaction", params: [raw] })));
      const refused = sent.find((result) => result.status === "rejected");
      if (refused) throw new Error(`a seeding transaction was refused: ${(refused as PromiseRejectedResult).reason}`);
      await rpc.request("evm_mine");
      blocks++;
      const block = await rpc.request<{ transactions: string[] }>("eth_getBlockByNumber", ["latest", false]);
      if (block.transactions.length !== chunk.length) throw new Error(`only ${block.transactions.length} of ${chunk.length} transactions fit a block`);
      if (spread && chunk.length > 1) {
        await rpc.request("evm_mine", [{ blocks: chunk.length - 1 }]);
        blocks += chunk.length - 1;
      }
    }
  } finally {
    await rpc.request("miner_start");
  }
  return blocks;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Wall time of one process, start to exit; rejects on a non-zero exit. */
export function timed(command: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output.slice(0, 2000)}`));
    });
    child.stdin.end(input ?? "");
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The nearest-rank percentile (`p` from 0 to 100): a value that was measured, never one between two. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  return cells.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")).join("\n");
}

/** The development wallet's accounts: 0 is the regulator. */
export const ACCOUNTS = DEV_ADDRESSES;
