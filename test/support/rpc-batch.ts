// Bulk set-up for tests and benchmarks: one JSON-RPC batch, every answer or the first error.
import { HttpRpc } from "../../cli/chain/rpc";

export async function batchAll<T>(url: string, calls: { method: string; params: unknown[] }[]): Promise<T[]> {
  const settled = await new HttpRpc(url, 120_000).batch(calls);
  return settled.map((result, i) => {
    if (result.status === "rejected") throw new Error(`${calls[i].method}: ${(result.reason as Error).message}`);
    return result.value as T;
  });
}
