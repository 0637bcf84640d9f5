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
  /** A class chain's own random keys (cli/start/class/keys.ts) instead of the development mnemonic. */
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

/** Ganache's EIP-1193 provider, as the product's gate uses it (cli/gate/upstream.ts). */
export interface GanacheProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
  disconnect(): Promise<void>;
}

/**
 * Ganache in this process with no port of its own: its HTTP server answers browsers with
 * `Access-Control-Allow-Origin: <their origin>` and every development method to whoever reaches it,
 * so the product's only listening port is its gate (cli/gate/gate.ts), which hands requests to this
 * provider. `defaultGasPrice` is what eth_gasPrice answers, so clients pay at least the class
 * chain's minimum without knowing it.
 */
export async function startGanacheProvider({ dbPath, accounts, defaultGasPrice }: Omit<GanacheOptions, "port" | "host"> & { defaultGasPrice?: bigint }): Promise<GanacheProvider> {
  const ganache = (await import("ganache")).default;
  const provider = ganache.provider({
    wallet: accounts ? { accounts } : { mnemonic: DEV_MNEMONIC, totalAccounts: ACCOUNT_COUNT, defaultBalance: 1000 },
    chain: { chainId: CHAIN_ID, networkId: CHAIN_ID, hardfork: HARDFORK },
    ...(defaultGasPrice ? { miner: { defaultGasPrice: "0x" + defaultGasPrice.toString(16) } } : {}),
    ...(dbPath ? { database: { dbPath } } : {}),
    logging: { quiet: true },
  }) as unknown as GanacheProvider;
  // The first request waits for the database to open, so a failure to open surfaces here.
  await provider.request({ method: "eth_chainId", params: [] });
  return provider;
}
