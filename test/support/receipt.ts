// Waiting for a transaction's receipt, for the tests and benchmarks that send their own signed
// transactions (through a class chain's gate, or its faucet's) rather than through the CLI.
import type { Rpc } from "../../cli/chain/rpc";

export interface Receipt {
  status: string;
  contractAddress: string | null;
  gasUsed: string;
}

/** The receipt of `hash`, asked every 100 ms for up to 10 s. */
export async function waitForReceipt(rpc: Pick<Rpc, "request">, hash: string): Promise<Receipt> {
  for (let i = 0; i < 100; i++) {
    const found = await rpc.request<Receipt | null>("eth_getTransactionReceipt", [hash]);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no receipt for ${hash}`);
}
