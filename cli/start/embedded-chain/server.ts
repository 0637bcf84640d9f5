// Serving the embedded chain: Ganache on its persistent folder, in whichever process runs it (the
// child that `npm start` supervises, or `npm run chain` in the foreground), with the start-up
// failures a user can meet turned into one-line messages.
//
// Ganache runs in this process as a provider with no port of its own; the JSON-RPC gate (cli/gate/)
// is the only listening port, so its refusals of browser-made requests hold for every caller. On
// loopback (the default) the chain has the development keys and every caller keeps every method.
// Served beyond loopback (`--host`), it is a class chain: random keys of its own (../class/keys.ts),
// the gate on the address students reach, and remote callers let in once the market is wired.
//
// Why one process and not the gate in front of a Ganache child: Ganache runs a call's EVM without
// yielding, so while it works no read is answered in either design; a separate gate would only
// say "busy" sooner. What keeps the class moving is that no remote caller can start long work
// (gas caps) or much of it (a share of the chain's time per address), both in the gate.
//
// The gate also serves the projector's page (cli/projector/) at the chain's own URL: in this process,
// because this is the one process that lives exactly as long as the chain (the child `npm start`
// supervises, or `npm run chain`), on this port, because it is the one address the class already
// has. The page's server reads the chain through the gate's remote-caller path, as a student would.
//
// A chain whose clock was moved ahead keeps it across restarts (clock-resume.ts).
//
// The folder is guarded (guard.ts): a damaged database is named and left untouched, and a
// chain that opens with fewer blocks than were mined on it is refused. A fault while it runs (a
// full disk) stops it cleanly with one line, never Ganache's minified source.
import fs from "node:fs";
import path from "node:path";
import { UnavailableError } from "../../support/errors";
import { discoverMarket } from "../../chain/discovery";
import { startGanacheProvider, type GanacheProvider } from "../../chain/ganache";
import { DEFAULT_FAUCET, type FaucetSettings } from "../../gate/faucet";
import { startGate, studentUrls, type Gate } from "../../gate/gate";
import { DEFAULT_MIN_GAS_PRICE } from "../../gate/transaction-rules";
import { providerUpstream } from "../../gate/upstream";
import { startProjector, type Projector } from "../../projector/server";
import { readChainRecord, runningChain, writeChainRecord } from "./record";
import { damaged, inspectDatabase, protectBeforeOpening, readChainHead, rolledBack, writeChainHead, DamagedChainError } from "./guard";
import { scanDatabase } from "./scan";
import { resumeClock } from "./clock-resume";
import { classKeys, createClassKeys, ganacheAccounts, resizeFaucet, type ClassKeys } from "../class/keys";
import { shortPath } from "../shortpath";

export { shortPath };

export interface ChainServerOptions {
  host: string;
  port: number;
  dbPath: string;
  /** Open a chain that has lost blocks anyway (the user has been told, and chose to). */
  acceptRollback?: boolean;
  /** A class chain's faucet: its grant and its size (wei, as decimal strings: this crosses IPC as JSON). */
  faucet?: { grantWei: string; totalWei: string; grantsPerIp: number };
}

export interface ServedChain {
  /** Where this machine reaches the chain (through the gate when served). */
  url: string;
  genesisHash: string;
  /** Served beyond loopback: a class chain behind the gate. */
  served: boolean;
  /** For a served chain: the URLs other machines use (none when the machine has no network address). */
  studentUrls: string[];
  /** For a served chain: what its faucet gives. */
  faucet?: FaucetSettings;
  /** Closes the HTTP server and the database, so LevelDB's files are complete on disk. */
  close(): Promise<void>;
}

export type ChainStartReason = "port-taken" | "in-use" | "failed" | "damaged" | "rolled-back" | "dev-keys";

/** Why the embedded chain could not start; `reason` lets the caller word its own advice. */
export class ChainStartError extends UnavailableError {
  constructor(message: string, readonly reason: ChainStartReason) {
    super(message);
  }
}

/** The first account of the development mnemonic: funded at genesis on any chain made from it. */
const DEV_ACCOUNT_0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const HEAD_POLL_MS = 500;

export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function serveChain({ host, port, dbPath, acceptRollback = false, faucet: faucetOption }: ChainServerOptions): Promise<ServedChain> {
  const served = !isLoopbackHost(host);
  const other = runningChain();
  if (other) throw inUse(dbPath, other);

  let state: "new" | "existing";
  try {
    state = inspectDatabase(dbPath);
  } catch (error) {
    throw error instanceof DamagedChainError ? new ChainStartError(error.message, "damaged") : error;
  }
  let keys = classKeys();
  const faucet: FaucetSettings = faucetOption ? { grantWei: BigInt(faucetOption.grantWei), totalWei: BigInt(faucetOption.totalWei), grantsPerIp: faucetOption.grantsPerIp } : DEFAULT_FAUCET;
  if (served && !keys) {
    if (state === "existing") throw devKeysServed(dbPath);
    keys = createClassKeys(faucet.totalWei);
  } else if (served && keys && state === "new" && faucetOption) {
    keys = resizeFaucet(keys, faucet.totalWei);
  }

  let guard: ReturnType<typeof protectBeforeOpening> | undefined;
  try {
    if (state === "existing") {
      const problem = await scanDatabase(dbPath, path.join(path.dirname(dbPath), "chain-scan"));
      if (problem) throw new ChainStartError(damaged(dbPath, `LevelDB reports ${problem}`).message, "damaged");
      guard = protectBeforeOpening(dbPath);
    }
    fs.mkdirSync(dbPath, { recursive: true });
  } catch (error) {
    if (error instanceof ChainStartError) throw error;
    // The copies made before opening need room; without it, nothing is opened (so nothing is changed).
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOSPC" ? "the disk is full" : oneLine((error as Error).message);
    throw new ChainStartError(`the chain in ${shortPath(dbPath)} was not opened: copying it aside first failed (${why}); free some space and start again`, "failed");
  }
  const server = await Promise.race([startGanacheProvider({ dbPath, accounts: keys && ganacheAccounts(keys), defaultGasPrice: served ? 2n * DEFAULT_MIN_GAS_PRICE : undefined }), lockFailure(dbPath)]).catch((error) => {
    const explained = explain(error as NodeJS.ErrnoException, host, port, dbPath);
    if (guard && explained.reason === "failed") {
      guard.restore();
      throw new ChainStartError(damaged(dbPath, `LevelDB could not open it (${oneLine((error as Error).message)})`).message, "damaged");
    }
    throw explained;
  });
  const upstream = providerUpstream(server);
  const request = <T>(method: string, params: unknown[] = []) => upstream.request<T>(method, params);

  let genesisHash: string;
  try {
    genesisHash = await checkHistory({ request, dbPath, state, served, acceptRollback });
    // Before anyone is served: a transaction sent first would be stamped on the machine's clock.
    await resumeClock(request);
  } catch (error) {
    await closeServer(server);
    guard?.restore();
    throw error;
  }
  guard?.keep();

  let gate: Gate;
  let projector: Projector | undefined;
  try {
    const classKeys = keys as ClassKeys;
    gate = await startGate({
      host,
      port,
      upstream,
      served,
      ...(served
        ? {
            faucet: { address: classKeys.faucet.address, privateKey: classKeys.faucet.privateKey, settings: faucet },
            // Before the teacher's market is wired, only this machine may deploy: a student's look-alike
            // deployed first would be the chain's oldest market.
            marketReady: async () => Boolean(await discoverMarket({ url: "the class chain", request }, { genesisHash, fresh: true })),
          }
        : {}),
      pages: (request, response) => (projector ? projector.handle(request, response) : void response.writeHead(503).end()),
    });
    projector = startProjector({ rpc: gate.remoteRpc("projector"), label: "the projector's chain" });
  } catch (error) {
    await closeServer(server);
    throw explain(error as NodeJS.ErrnoException, host, port, dbPath);
  }
  const url = `http://${served && (host === "0.0.0.0" || host === "::") ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host}:${port}`;
  writeChainRecord({ genesisHash, pid: process.pid, url });

  const stopWatching = watchHead(request, genesisHash);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await stopWatching();
      await projector?.close();
      await gate.close();
      await closeServer(server);
      // Only forget the process if the record is still ours (a reset may have removed it).
      if (readChainRecord().pid === process.pid) writeChainRecord({ genesisHash });
    })());
  stopOnFault(dbPath, close);
  return { url, genesisHash, served, studentUrls: served ? studentUrls(host, port) : [], ...(served ? { faucet } : {}), close };
}

type Request = <T>(method: string, params?: unknown[]) => Promise<T>;

/** The genesis hash, once the chain is known to hold every block the product saw on it. */
async function checkHistory({ request, dbPath, state, served, acceptRollback }: { request: Request; dbPath: string; state: "new" | "existing"; served: boolean; acceptRollback: boolean }): Promise<string> {
  let genesisHash: string;
  let head: number;
  let seenBlockHash: string | undefined;
  const seen = readChainHead();
  try {
    genesisHash = (await request<{ hash: string }>("eth_getBlockByNumber", ["0x0", false])).hash.toLowerCase();
    head = Number(await request<string>("eth_blockNumber"));
    if (seen && seen.block <= head) seenBlockHash = (await request<{ hash: string } | null>("eth_getBlockByNumber", ["0x" + seen.block.toString(16), false]))?.hash?.toLowerCase();
    if (served && BigInt(await request<string>("eth_getBalance", [DEV_ACCOUNT_0, "0x0"])) > 0n) throw devKeysServed(dbPath);
  } catch (error) {
    if (error instanceof ChainStartError) throw error;
    throw new ChainStartError(damaged(dbPath, `reading its blocks failed (${oneLine((error as Error).message)})`).message, "damaged");
  }
  const lost = seen && (seen.genesisHash !== genesisHash || head < seen.block || seenBlockHash !== seen.hash.toLowerCase());
  if (lost && !acceptRollback) {
    const error = seen.genesisHash !== genesisHash && state === "existing" ? rolledBack(dbPath, seen, 0) : rolledBack(dbPath, seen, Math.min(head, seen.block - 1));
    throw new ChainStartError(error.message, "rolled-back");
  }
  return genesisHash;
}

/** Keeps chain-head.json at the newest block, for the next start's comparison. */
function watchHead(request: Request, genesisHash: string): () => Promise<void> {
  let last = -1;
  let busy: Promise<void> = Promise.resolve();
  const record = () =>
    (busy = busy.then(async () => {
      try {
        const block = await request<{ number: string; hash: string }>("eth_getBlockByNumber", ["latest", false]);
        const number = Number(block.number);
        if (number === last) return;
        last = number;
        writeChainHead({ genesisHash, block: number, hash: block.hash.toLowerCase(), at: new Date().toISOString() });
      } catch {
        // Closing, or a fault stopOnFault reports.
      }
    }));
  record();
  const timer = setInterval(record, HEAD_POLL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await record();
  };
}

let faultHandled = false;

/**
 * A fault inside Ganache surfaces as an unhandled rejection or exception (LevelDB's "No space left
 * on device" does, and the write that met it never answers). Node's default would print Ganache's
 * minified source line (megabytes); instead: one line, the chain closed, exit 1.
 */
function stopOnFault(dbPath: string, close: () => Promise<void>): void {
  const onFault = (error: unknown) => {
    if (faultHandled) return;
    faultHandled = true;
    const message = oneLine(error instanceof Error ? error.message : String(error));
    const line = /ENOSPC|No space left/i.test(message)
      ? `error: the disk holding the chain (${shortPath(dbPath)}) is full; the chain stopped, keeping what it had confirmed. Free some space and start it again`
      : `error: the chain stopped after a fault: ${message.slice(0, 200)}`;
    process.stderr.write(line + "\n");
    const timeout = new Promise((resolve) => setTimeout(resolve, 5_000).unref());
    Promise.race([close().catch(() => undefined), timeout]).finally(() => process.exit(1));
  };
  process.on("unhandledRejection", onFault);
  process.on("uncaughtException", onFault);
}

async function closeServer(server: GanacheProvider): Promise<void> {
  try {
    await server.disconnect();
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

function explain(error: NodeJS.ErrnoException, host: string, port: number, dbPath: string): ChainStartError {
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
  if (error.code === "EADDRNOTAVAIL") {
    return new ChainStartError(`cannot listen on ${host}: this machine has no such address; use one of its own addresses, or 0.0.0.0 for all of them`, "port-taken");
  }
  return new ChainStartError(`the embedded chain in ${shortPath(dbPath)} failed to start: ${oneLine(error.message)}`, "failed");
}

function inUse(dbPath: string, other?: { pid: number; url: string }): ChainStartError {
  const where = other ? ` by process ${other.pid} at ${other.url}; use it with CARBON_RPC_URL=${other.url}, or stop that process` : " by another process (npm start or npm run chain); stop it first";
  return new ChainStartError(`the chain in ${shortPath(dbPath)} is already served${where}`, "in-use");
}

function devKeysServed(dbPath: string): ChainStartError {
  return new ChainStartError(
    `the chain in ${shortPath(dbPath)} was created with the public development keys, which anyone could sign with; ` +
      `serve a class chain from a fresh state folder instead: CARBON_HOME=.carbon-class npm run chain -- --host <address> ` +
      `(or wipe this one: npm start -- --reset --host <address>)`,
    "dev-keys",
  );
}

function oneLine(text: string): string {
  return (text.split("\n")[0] ?? "").slice(0, 300);
}
