// What a client does about gas: on a class chain it asks the gate's faucet (`carbon_fund`); on any
// other network nothing is funded automatically, and the error says how much ether the key needs.
// The write path (cli/chain/transactions.ts, the client helper's) calls these before it signs.
import { FUND_METHOD } from "./policy";
import { ether } from "./faucet";
import { RpcError, type Rpc } from "../chain/rpc";

export type FundingOutcome = "enough" | "funded" | "no-faucet";

/**
 * Makes sure `address` holds at least `needWei`: nothing to do if it does, else one `carbon_fund`
 * request. "no-faucet" means the node is not a class chain (or its faucet refused): say fundingHint.
 */
export async function ensureGasMoney(rpc: Rpc, address: string, needWei: bigint): Promise<{ outcome: FundingOutcome; balance: bigint; refusal?: string }> {
  const balance = BigInt(await rpc.request<string>("eth_getBalance", [address, "latest"]));
  if (balance >= needWei) return { outcome: "enough", balance };
  try {
    const result = await rpc.request<{ balance: string; txHash?: string }>(FUND_METHOD, [address]);
    if (result.txHash) await waitForReceipt(rpc, result.txHash);
    const after = BigInt(await rpc.request<string>("eth_getBalance", [address, "latest"]));
    return after >= needWei ? { outcome: "funded", balance: after } : { outcome: "no-faucet", balance: after };
  } catch (error) {
    if (!(error instanceof RpcError)) throw error;
    // Not a class chain: -32601, or Ganache's own words for a method it does not have. Anything
    // else is the faucet saying why (a cap), worth passing on.
    const unknownMethod = error.code === -32601 || /does not exist|not available|method not found/i.test(error.message);
    return { outcome: "no-faucet", balance, refusal: unknownMethod ? undefined : error.message };
  }
}

/**
 * The one line for a key without enough ether, saying what the ether is for: a bid's escrow (held
 * by the order book until it fills or is cancelled, then paid or returned) and the gas (spent).
 */
export function fundingHint(address: string, { gasWei, escrowWei = 0n, sendWei = 0n }: { gasWei: bigint; escrowWei?: bigint; sendWei?: bigint }, haveWei: bigint, refusal?: string): string {
  const why = refusal ? ` (${refusal})` : "";
  const value = escrowWei > 0n ? `${ether(escrowWei)} ETH held in escrow for the order` : sendWei > 0n ? `${ether(sendWei)} ETH to send` : undefined;
  const what = value ? `${ether(escrowWei + sendWei + gasWei)} ETH: ${value} and up to ${ether(gasWei)} ETH for gas` : `up to ${ether(gasWei)} ETH for gas`;
  return `${address} holds ${ether(haveWei)} ETH and this transaction needs ${what}${why}; send it ether from a funded account first (on a class chain: the teacher's carbon fund)`;
}

async function waitForReceipt(rpc: Rpc, txHash: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await rpc.request("eth_getTransactionReceipt", [txHash])) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
