// Serving the embedded chain: Ganache on its persistent folder, in whichever process runs it (the
// child that `npm start` supervises, or `npm run chain` in the foreground), with the start-up
// failures a user can meet turned into one-line messages.
import fs from "node:fs";
import path from "node:path";
import type { Server } from "ganache";
import { UnavailableError } from "../errors";
import { startGanache } from "../chain/ganache";
import { readChainRecord, runningChain, writeChainRecord } from "./chain-record";

export interface ChainServerOptions {
  host: string;
  port: number;
  dbPath: string;
}

export interface ServedChain {
  url: string;
  genesisHash: string;
  /** Closes the HTTP server and the database, so LevelDB's files are complete on disk. */
  close(): Promise<void>;
}

/** Why the embedded chain could not start; `reason` lets the caller word its own advice. */
export class ChainStartError extends UnavailableError {
  constructor(message: string, readonly reason: "port-taken" | "in-use" | "failed") {
    super(message);
  }
}

export async function serveChain({ host, port, dbPath }: ChainServerOptions): Promise<ServedChain> {
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const other = runningChain();
  if (other) throw inUse(dbPath, other);

  fs.mkdirSync(dbPath, { recursive: true });
  const server = await Promise.race([startGanache({ host, port, dbPath }), lockFailure(dbPath)]).catch((error) => {
    throw explain(error as NodeJS.ErrnoException, host, port, dbPath);
  });
  const genesis = (await server.provider.request({ method: "eth_getBlockByNumber", params: ["0x0", false] })) as { hash: string };
  const genesisHash = genesis.hash.toLowerCase();
  writeChainRecord({ genesisHash, pid: process.pid, url });

  let closing: Promise<void> | undefined;
  return {
    url,
    genesisHash,
    close: () =>
      (closing ??= closeServer(server).then(() => {
        // Only forget the process if the record is still ours (a reset may have removed it).
        if (readChainRecord().pid === process.pid) writeChainRecord({ genesisHash });
      })),
  };
}

async function closeServer(server: Server): Promise<void> {
  try {
    await server.close();
  } catch (error) {
    // Closing twice (a second signal) is harmless; anything else is worth knowing.
    if (!/already|not (started|open)/i.test((error as Error).message)) throw error;
  }
}

/**
 * LevelDB's lock failure is emitted as an 'error' event nobody listens to, which Node raises as an
 * uncaught exception and the start promise never settles: catch it here for the length of the start.
 */
function lockFailure(dbPath: string): Promise<never> {
  return new Promise((_, reject) => {
    const onUncaught = (error: Error) => {
      process.off("uncaughtException", onUncaught);
      // LevelDB says "IO error: lock <dir>/LOCK: Resource temporarily unavailable".
      if (/\block\b.*LOCK.*(temporarily unavailable|already held)/i.test(error.message)) reject(inUse(dbPath));
      else reject(error);
    };
    process.on("uncaughtException", onUncaught);
    // Long enough for Ganache to open its database; the listener must not outlive the start.
    setTimeout(() => process.off("uncaughtException", onUncaught), 30_000).unref();
  });
}

function explain(error: NodeJS.ErrnoException, host: string, port: number, dbPath: string): Error {
  if (error instanceof ChainStartError) return error;
  if (error.code === "EADDRINUSE") {
    return new ChainStartError(
      `port ${port} on ${host} is taken by something that is not an Ethereum node; ` +
        `stop it, or choose another port, e.g. CARBON_RPC_URL=http://127.0.0.1:${port + 1}`,
      "port-taken",
    );
  }
  if (error.code === "EACCES") {
    return new ChainStartError(`cannot listen on ${host}:${port} (permission denied); use a port above 1024 in CARBON_RPC_URL`, "port-taken");
  }
  return new ChainStartError(`the embedded chain in ${shortPath(dbPath)} failed to start: ${error.message}`, "failed");
}

function inUse(dbPath: string, other?: { pid: number; url: string }): ChainStartError {
  const where = other ? ` by process ${other.pid} at ${other.url}; use it with CARBON_RPC_URL=${other.url}, or stop that process` : " by another process (npm start or npm run chain); stop it first";
  return new ChainStartError(`the chain in ${shortPath(dbPath)} is already served${where}`, "in-use");
}

export function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") ? relative : file;
}
