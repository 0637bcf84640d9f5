// What the class simulation and the class benchmark share: participants, each with its own
// CARBON_HOME and key, and running their steps many at once without drowning a 2-core machine.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type Role = "customer" | "seller";

export interface Participant {
  index: number;
  role: Role;
  home: string;
  env: NodeJS.ProcessEnv;
  password: string;
  /** Set once the participant's key exists. */
  address: string;
  /** The lot this participant publishes (sellers) or buys (customers): pairs share one. */
  lot: string;
}

/** `count` participants (half customers, half sellers), each with a fresh CARBON_HOME, pointed at `rpcUrl`. */
/** `rpcUrl` is one URL for all, or each participant's own (a relay from an address of its own). */
export function makeParticipants(count: number, rpcUrl: string | ((index: number) => string), baseEnv: NodeJS.ProcessEnv): Participant[] {
  return Array.from({ length: count }, (_, index) => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), `carbon-student-${index}-`));
    const url = typeof rpcUrl === "string" ? rpcUrl : rpcUrl(index);
    const env: NodeJS.ProcessEnv = { ...baseEnv, CARBON_HOME: home, CARBON_RPC_URL: url, FORCE_COLOR: "0", NO_COLOR: "1" };
    delete env.CARBON_MNEMONIC;
    delete env.CARBON_PASSWORD;
    delete env.CARBON_MARKET;
    return { index, role: index % 2 === 0 ? "customer" : "seller", home, env, password: `student ${index} pw`, address: "", lot: `LOT-${Math.floor(index / 2)}` };
  });
}

export function removeParticipants(participants: Participant[]): void {
  for (const p of participants) fs.rmSync(p.home, { recursive: true, force: true });
}

/**
 * Runs `task` over `items`, at most `limit` at a time; resolves with the results in order. After a
 * failure no new task starts, and the first failure is thrown once the running ones have ended, so
 * nothing of this step is still sending while the next step looks at the chain.
 */
export async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        results[i] = await task(items[i]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
