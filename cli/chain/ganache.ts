// The embedded chain: Ganache with the settings every part of the product assumes.
import type { Server } from "ganache";

/** A development mnemonic, never for real funds: the same one anvil uses by default, so both nodes give the same accounts. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";
export const CHAIN_ID = 1337;
export const ACCOUNT_COUNT = 10;
/** Must match truffle-config.js's evmVersion: Ganache 7.9 runs nothing newer. */
export const HARDFORK = "shanghai";

export interface GanacheOptions {
  port: number;
  host?: string;
  /** Keep the chain in this folder (leveldb); in memory when absent. */
  dbPath?: string;
  /** A class chain's own random keys (cli/start/class-keys.ts) instead of the development mnemonic. */
  accounts?: Array<{ secretKey: string; balance: string }>;
}

export async function startGanache({ port, host = "127.0.0.1", dbPath, accounts }: GanacheOptions): Promise<Server> {
  // Required lazily: Ganache is large, and only the processes that run a chain need it.
  const ganache = (await import("ganache")).default;
  const server = ganache.server({
    wallet: accounts ? { accounts } : { mnemonic: DEV_MNEMONIC, totalAccounts: ACCOUNT_COUNT, defaultBalance: 1000 },
    // A fixed network id: Ganache defaults to the start time, and Truffle would lose its deployments.
    chain: { chainId: CHAIN_ID, networkId: CHAIN_ID, hardfork: HARDFORK },
    ...(dbPath ? { database: { dbPath } } : {}),
    logging: { quiet: true },
  });
  await server.listen(port, host);
  return server;
}
