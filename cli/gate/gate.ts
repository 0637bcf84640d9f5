// The JSON-RPC gate of a class chain: the only door to Ganache, which itself listens on a loopback
// port. Callers on this machine pass through untouched (the teacher's session, `npm run migrate`,
// the clock); a remote caller's request, and each element of its batch, is checked against
// policy.ts: reads and eth_sendRawTransaction go through, eth_accounts is answered empty, and
// carbon_fund is the faucet's. Anything else gets a JSON-RPC error and never reaches Ganache.
import http from "node:http";
import os from "node:os";
import { HttpRpc } from "../chain/rpc";
import { Faucet, FaucetRefusal } from "./faucet";
import { ERRORS, FUND_METHOD, isLocalCaller, MAX_LOG_RANGE, REMOTE_EMPTY_ACCOUNTS, remoteVerdict } from "./policy";

export interface GateOptions {
  host: string;
  port: number;
  /** Ganache's own URL, on loopback. */
  upstream: string;
  /** The unlocked account the faucet pays from. */
  faucetAddress: string;
  /** Its private key: the faucet signs its payments itself (faucet.ts says why). */
  faucetKey?: string;
}

export interface Gate {
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;
const MAX_BATCH = 200;

type Request = { jsonrpc?: string; id?: unknown; method?: unknown; params?: unknown };
type Reply = { jsonrpc: "2.0"; id: unknown; result?: unknown; error?: { code: number; message: string } };

export async function startGate({ host, port, upstream, faucetAddress, faucetKey }: GateOptions): Promise<Gate> {
  const own = ownAddresses();
  const rpc = new HttpRpc(upstream, 60_000);
  const faucet = new Faucet(rpc, faucetAddress, undefined, faucetKey);

  const server = http.createServer((request, response) => {
    const local = isLocalCaller(request.socket.remoteAddress, own);
    readBody(request).then(
      async (body) => {
        if (local) return relay(upstream, body, response);
        const reply = await answerRemote(body, rpc, faucet, upstream);
        send(response, reply);
      },
      (error: Error) => send(response, failure(null, ERRORS.invalidRequest, error.message)),
    ).catch((error: Error) => send(response, failure(null, ERRORS.internal, `the chain behind this gate did not answer: ${error.message}`), 502));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answerRemote(body: string, rpc: HttpRpc, faucet: Faucet, upstream: string): Promise<Reply | Reply[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return failure(null, ERRORS.parse, "parse error: the body is not JSON");
  }
  if (!Array.isArray(parsed)) return answerOne(parsed as Request, rpc, faucet, upstream);
  if (parsed.length === 0) return failure(null, ERRORS.invalidRequest, "invalid request: an empty batch");
  if (parsed.length > MAX_BATCH) return failure(null, ERRORS.invalidRequest, `invalid request: at most ${MAX_BATCH} calls in a batch`);
  return Promise.all(parsed.map((element) => answerOne(element as Request, rpc, faucet, upstream)));
}

async function answerOne(request: Request, rpc: HttpRpc, faucet: Faucet, upstream: string): Promise<Reply> {
  const id = request && typeof request === "object" ? (request.id ?? null) : null;
  if (!request || typeof request !== "object") return failure(id, ERRORS.invalidRequest, "invalid request");
  const params = Array.isArray(request.params) ? request.params : [];
  if (REMOTE_EMPTY_ACCOUNTS.has(String(request.method))) return { jsonrpc: "2.0", id, result: [] };
  if (request.method === FUND_METHOD) {
    try {
      return { jsonrpc: "2.0", id, result: await faucet.fund(params[0]) };
    } catch (error) {
      if (error instanceof FaucetRefusal) return failure(id, ERRORS.invalidParams, error.message);
      throw error;
    }
  }
  const verdict = remoteVerdict(request.method);
  if (!verdict.pass) return failure(id, verdict.code, verdict.message);
  if (request.method === "eth_getLogs") {
    const tooWide = await logRangeProblem(params[0], rpc);
    if (tooWide) return failure(id, ERRORS.invalidParams, tooWide);
  }
  const reply = (await post(upstream, JSON.stringify({ jsonrpc: "2.0", id, method: request.method, params }))) as Reply;
  return { ...reply, id };
}

async function logRangeProblem(filter: unknown, rpc: HttpRpc): Promise<string | undefined> {
  if (!filter || typeof filter !== "object") return "eth_getLogs takes a filter object";
  const { fromBlock, toBlock, blockHash } = filter as { fromBlock?: string; toBlock?: string; blockHash?: string };
  if (blockHash) return undefined;
  let head: bigint | undefined;
  const number = async (tag: string | undefined, fallback: "earliest" | "latest"): Promise<bigint> => {
    const value = tag ?? fallback;
    if (value === "earliest") return 0n;
    if (value === "latest" || value === "pending" || value === "safe" || value === "finalized") {
      return (head ??= BigInt(await rpc.request<string>("eth_blockNumber")));
    }
    return BigInt(value);
  };
  try {
    const span = (await number(toBlock, "latest")) - (await number(fromBlock, "latest")) + 1n;
    if (span > BigInt(MAX_LOG_RANGE)) return `eth_getLogs covers at most ${MAX_LOG_RANGE} blocks here; ask in smaller ranges`;
  } catch {
    return "eth_getLogs: fromBlock and toBlock must be block numbers or tags";
  }
  return undefined;
}

/** A local caller's request, byte for byte, and Ganache's answer, byte for byte. */
async function relay(upstream: string, body: string, response: http.ServerResponse): Promise<void> {
  const answer = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
  response.writeHead(answer.status, { "content-type": "application/json" });
  response.end(await answer.text());
}

async function post(upstream: string, body: string): Promise<unknown> {
  const answer = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
  return JSON.parse(await answer.text());
}

function failure(id: unknown, code: number, message: string): Reply {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

function send(response: http.ServerResponse, reply: Reply | Reply[], status = 200): void {
  if (response.headersSent) return;
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(reply));
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    if (request.method !== "POST") {
      request.resume();
      return reject(new Error("invalid request: JSON-RPC is POSTed"));
    }
    let size = 0;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`invalid request: larger than ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** This machine's own non-loopback addresses: a caller that comes from one of them is on this machine. */
export function ownAddresses(): Set<string> {
  const found = new Set<string>();
  for (const entries of Object.values(os.networkInterfaces())) {
    for (const entry of entries ?? []) if (!entry.internal) found.add(entry.address);
  }
  return found;
}

/** The URLs students on other machines can use for a gate listening on `host`. */
export function studentUrls(host: string, port: number): string[] {
  if (host !== "0.0.0.0" && host !== "::") return [`http://${host.includes(":") ? `[${host}]` : host}:${port}`];
  const addresses = [...ownAddresses()].filter((address) => host === "::" || !address.includes(":"));
  return addresses.map((address) => `http://${address.includes(":") ? `[${address}]` : address}:${port}`);
}
