// What the gas benchmarks share: a development chain driven in JSON-RPC batches, loaded in bulk with
// mining paused (thousands of prior entries in minutes), and a measurement at two sizes on the same state.
import { batchAll } from "../test/support/rpc-batch";

export interface Transaction {
  from: string;
  to: string;
  data: string;
  /** Hex wei, for the order book's bids. */
  value?: string;
}

export class BulkChain {
  constructor(private readonly url: string) {}

  batch<T>(calls: { method: string; params: unknown[] }[]): Promise<T[]> {
    return batchAll<T>(this.url, calls);
  }

  async request<T>(method: string, params: unknown[] = []): Promise<T> {
    return (await this.batch<T>([{ method, params }]))[0];
  }

  async time(): Promise<number> {
    return Number((await this.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false])).timestamp);
  }

  /**
   * Setup in bulk: mining paused, `perBlock` transactions a block (in order: one sender's nonces keep
   * them so), each block at `timestamp(i)` when given; every transaction must succeed.
   */
  async load(transactions: Transaction[], perBlock = 100, timestamp?: (block: number) => number): Promise<void> {
    await this.request("miner_stop");
    try {
      for (let start = 0, block = 0; start < transactions.length; start += perBlock, block++) {
        const some = transactions.slice(start, start + perBlock);
        const hashes = await this.batch<string>(some.map((tx) => ({ method: "eth_sendTransaction", params: [{ ...tx, gas: "0x4c4b40" }] })));
        await this.request("evm_mine", timestamp ? [{ timestamp: timestamp(block) }] : []);
        const receipts = await this.batch<{ status: string } | null>(hashes.map((hash) => ({ method: "eth_getTransactionReceipt", params: [hash] })));
        const failed = receipts.findIndex((receipt) => receipt?.status !== "0x1");
        if (failed >= 0) throw new Error(`setup transaction ${start + failed} was not mined or failed`);
      }
    } finally {
      await this.request("miner_start");
    }
  }

  /** `run(1)`, the chain put back as it was, then `run(large)`: the same measurements but for the prior entries. */
  async atTwoSizes<T>(large: number, run: (prior: number) => Promise<T>): Promise<{ small: T; large: T; smallSeconds: number; largeSeconds: number }> {
    const snapshot = await this.request<string>("evm_snapshot");
    let started = Date.now();
    const small = await run(1);
    const smallSeconds = (Date.now() - started) / 1000;
    if (!(await this.request<boolean>("evm_revert", [snapshot]))) throw new Error("could not revert to the snapshot");
    started = Date.now();
    const result = await run(large);
    return { small, large: result, smallSeconds, largeSeconds: (Date.now() - started) / 1000 };
  }
}
