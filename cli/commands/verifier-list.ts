// `carbon verifier list`: the accredited verifiers, with the index of those among the node's accounts.
import { Compliance } from "../chain/compliance";
import type { Market } from "../chain/market";

export interface VerifierRow {
  address: string;
  /** Its index among the node's accounts, when it is one. */
  index?: number;
}

export function parse(): Record<string, never> {
  return {};
}

export async function run(market: Market): Promise<VerifierRow[]> {
  const client = new Compliance(market);
  const { total, accounts } = await client.verifierPage(0, 100);
  const all = total <= accounts.length ? accounts : [...accounts, ...(await client.verifierPage(100, total - 100)).accounts];
  const known = await market.accounts();
  return all.map((address) => (known.includes(address) ? { address, index: known.indexOf(address) } : { address }));
}
