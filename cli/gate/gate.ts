// The JSON-RPC gate: the product's only listening port for a chain it runs. Ganache runs in this
// process as a provider (upstream.ts) with no port of its own, so nothing reaches it but through here.
//
// Every caller, this machine's included, is refused what a web page could send without the
// teacher's intent (browser-guard.ts). Callers on this machine then keep every method (the
// teacher's session, `npm run migrate`, the clock). On a class chain (served beyond loopback) a
// remote caller is admitted only once the teacher's market is deployed and wired (before that, a
// student could deploy a look-alike first), within its address's share (limits.ts), and each
// request, each element of a batch on its own, is checked against policy.ts: reads under a gas cap,
// its own signed transactions under transaction-rules.ts, carbon_fund from the faucet, and nothing else.
import http from "node:http";
import net from "node:net";
import os from "node:os";
import { browserProblem, pageProblem } from "./browser-guard";
import { Faucet, FaucetRefusal, type FaucetSettings } from "./faucet";
import { CallerLimits, DEFAULT_LIMITS, type LimitSettings } from "./limits";
import { CLASS_STATUS_METHOD, ERRORS, FUND_METHOD, RECENT_CALLER_MS, isLocalCaller, MAX_LOG_RANGE, REMOTE_CALL_GAS, REMOTE_EMPTY_ACCOUNTS, remoteVerdict } from "./policy";
import { checkRawTransaction, DEFAULT_MIN_GAS_PRICE, nonceProblem, type AdmissibleTransaction } from "./transaction-rules";
import type { Reply, RpcId, Upstream } from "./upstream";
import { BUSY_PATIENCE_MS, busyWait, NodeBusyError, unwrap, type Rpc } from "../chain/rpc";

export interface GateOptions {
  host: string;
  port: number;
  upstream: Upstream;
  /** A class chain: callers from other machines are let in, under the policy. */
  served: boolean;
  /** The account the faucet pays from, and its key (the faucet signs its payments itself, faucet.ts says why). */
  faucet?: { address: string; privateKey: string; settings?: FaucetSettings };
  /** Whether the teacher's market is deployed and wired: remote callers wait for it. */
  marketReady?: () => Promise<boolean>;
  limits?: LimitSettings;
  minGasPrice?: bigint;
  /** How long the lane waits for a remote request the chain does not answer (STUCK_MS). */
  stuckMs?: number;
  /** Answers the GETs of the product's page (cli/projector/), once they pass the page's guard. */
  pages?: (request: http.IncomingMessage, response: http.ServerResponse) => void;
}

export interface Gate {
  /**
   * The chain as a remote caller named `caller` reads it: the same policy, caps and share as a
   * student's, whoever is asking (the projector reads this way, so a page anyone can open costs the
   * chain no more than one student, and can do no more than one).
   */
  remoteRpc(caller: string): Rpc;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;
const MAX_BATCH = 200;
/** EIP-1474's "limit exceeded". */
export const BUSY = -32005;

type Request = { jsonrpc?: string; id?: unknown; method?: unknown; params?: unknown };

/** What the gate needs to answer one request, whoever sent it. */
interface Context {
  upstream: Upstream;
  faucet?: Faucet;
  limits: CallerLimits;
  minGasPrice: bigint;
  /** Remote work that occupies the chain runs one at a time, so its time is its own (limits.ts). */
  lane: Lane;
  stuckMs: number;
}

export async function startGate({ host, port, upstream, served, faucet: faucetKey, marketReady, limits: limitSettings = DEFAULT_LIMITS, minGasPrice = DEFAULT_MIN_GAS_PRICE, stuckMs = STUCK_MS, pages }: GateOptions): Promise<Gate> {
  const own = ownAddresses();
  const asRpc: Rpc = { url: "the chain behind the gate", request: (method, params) => upstream.request(method, params) };
  const faucet = faucetKey && new Faucet(asRpc, faucetKey.address, undefined, faucetKey.privateKey, faucetKey.settings);
  const context: Context = { upstream, faucet, limits: new CallerLimits(limitSettings), minGasPrice, lane: new Lane(), stuckMs };
  const opening = openingCheck(marketReady);

  const server = http.createServer((request, response) => {
    const address = plainAddress(request.socket.remoteAddress);
    const local = !served || isLocalCaller(address, own);
    if (pages && (request.method === "GET" || request.method === "HEAD")) {
      request.resume();
      const problem = pageProblem(request.headers);
      if (problem) return refusePage(response, 403, problem);
      // A remote browser's GETs count against its address's requests, as its JSON-RPC does: every
      // answer costs this process time that the chain shares.
      if (!local) {
        const admitted = context.limits.admit(address, 1);
        if (!admitted.ok) return refusePage(response, 429, admitted.message);
        response.once("close", admitted.release);
      }
      return pages(request, response);
    }
    const refused = browserProblem(request.headers);
    if (refused) {
      request.resume();
      return send(response, failure(null, ERRORS.invalidRequest, refused), 403);
    }
    readBody(request).then(
      async (body) => send(response, local ? await answerLocal(body, context) : await answerRemote(body, address, context, opening)),
      (error: Error) => send(response, failure(null, ERRORS.invalidRequest, error.message)),
    ).catch(() => send(response, failure(null, ERRORS.internal, "the gate could not answer this request")));
  });
  server.on("connection", (socket: net.Socket) => {
    const address = plainAddress(socket.remoteAddress);
    if (!served || isLocalCaller(address, own)) return;
    if (!context.limits.openConnection(address)) return void socket.destroy();
    socket.once("close", () => context.limits.closeConnection(address));
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    remoteRpc: (caller) => remoteRpc(caller, context, opening),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parse(body: string): { ok: true; value: unknown } | { ok: false; reply: Reply } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false, reply: failure(null, ERRORS.parse, "parse error: the body is not JSON") };
  }
}

function batchProblem(parsed: unknown[]): Reply | undefined {
  if (parsed.length === 0) return failure(null, ERRORS.invalidRequest, "invalid request: an empty batch");
  if (parsed.length > MAX_BATCH) return failure(null, ERRORS.invalidRequest, `invalid request: at most ${MAX_BATCH} calls in a batch`);
  return undefined;
}

/** This machine's callers: every method, the teacher's `carbon_fund <address> <wei>` and carbon_classStatus included. */
async function answerLocal(body: string, context: Context): Promise<Reply | Reply[]> {
  const parsed = parse(body);
  if (!parsed.ok) return parsed.reply;
  const one = (request: unknown) => guarded(request, (id, method, params) => {
    if (method === FUND_METHOD && context.faucet) return fund(id, context.faucet, params, { amountWei: params[1] === undefined ? undefined : quantity(params[1]) });
    if (method === CLASS_STATUS_METHOD) return Promise.resolve({ jsonrpc: "2.0", id, result: { withinMs: RECENT_CALLER_MS, callers: context.limits.recentCallers(RECENT_CALLER_MS) } });
    return context.upstream.answer(id, method, params);
  });
  if (!Array.isArray(parsed.value)) return one(parsed.value);
  return batchProblem(parsed.value) ?? Promise.all(parsed.value.map(one));
}

async function answerRemote(body: string, address: string, context: Context, opening: () => Promise<boolean>): Promise<Reply | Reply[]> {
  const parsed = parse(body);
  if (!parsed.ok) return parsed.reply;
  const elements = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  const problem = Array.isArray(parsed.value) ? batchProblem(parsed.value) : undefined;
  if (problem) return problem;
  const each = (make: (id: RpcId) => Reply): Reply | Reply[] => (Array.isArray(parsed.value) ? elements.map((e) => make(idOf(e))) : make(idOf(parsed.value)));

  if (!(await opening())) return each((id) => failure(id, BUSY, "busy: this class chain is not open yet: the teacher's market is still being deployed; retry in 1000 ms"));
  const admitted = context.limits.admit(address, elements.length);
  if (!admitted.ok) return each((id) => failure(id, BUSY, admitted.message));
  try {
    const one = (request: unknown) => guarded(request, (id, method, params) => answerRemoteOne(id, method, params, address, context));
    return Array.isArray(parsed.value) ? await Promise.all(elements.map(one)) : await one(parsed.value);
  } finally {
    admitted.release();
  }
}

/** An Rpc over answerRemote: a "busy" answer is waited out as HttpRpc waits it out, then reported. */
function remoteRpc(caller: string, context: Context, opening: () => Promise<boolean>): Rpc {
  let id = 0;
  return {
    url: `the chain, read as a remote caller (${caller})`,
    async request<T>(method: string, params: unknown[] = []): Promise<T> {
      const giveUpAt = Date.now() + BUSY_PATIENCE_MS;
      for (;;) {
        const reply = (await answerRemote(JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }), caller, context, opening)) as Reply;
        const wait = reply.error ? busyWait(reply as { error: { code: number; message: string } }) : undefined;
        if (wait === undefined) return unwrap(reply as { result?: T; error?: { code: number; message: string } });
        if (Date.now() + wait > giveUpAt) throw new NodeBusyError(this.url, reply.error!.message);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
  };
}

/** Methods whose work occupies the chain: they wait their turn in the lane and are charged its time. */
const HEAVY = new Set(["eth_call", "eth_estimateGas", "eth_sendRawTransaction", "eth_getLogs"]);

async function answerRemoteOne(id: RpcId, method: string, params: unknown[], address: string, context: Context): Promise<Reply> {
  if (REMOTE_EMPTY_ACCOUNTS.has(method)) return { jsonrpc: "2.0", id, result: [] };
  if (method === FUND_METHOD) {
    if (!context.faucet) return failure(id, ERRORS.refused, `${FUND_METHOD} is not offered here`);
    // An amount is the teacher's: a remote caller gets the one fixed grant or nothing.
    if (params.length > 1) return failure(id, ERRORS.refused, "only the teacher's machine can send a chosen amount; ask the teacher (carbon fund)");
    return fund(id, context.faucet, params, { ip: address });
  }
  const verdict = remoteVerdict(method);
  if (!verdict.pass) return failure(id, verdict.code, verdict.message);

  if (method === "eth_call" || method === "eth_estimateGas") {
    const capped = capGas(params[0]);
    if (typeof capped === "string") return failure(id, ERRORS.invalidParams, capped);
    params = [capped, ...params.slice(1)];
  }
  let transaction: AdmissibleTransaction | undefined;
  if (method === "eth_sendRawTransaction") {
    const checked = checkRawTransaction(params[0], context.minGasPrice);
    if (typeof checked === "string") return failure(id, ERRORS.invalidParams, checked);
    transaction = checked;
  }
  if (method === "eth_getLogs") {
    const tooWide = await logRangeProblem(params[0], context.upstream);
    if (tooWide) return failure(id, ERRORS.invalidParams, tooWide);
  }
  if (!HEAVY.has(method)) return context.upstream.answer(id, method, params);

  const busy = (): Reply | undefined => {
    const wait = context.limits.chainTimeWait(address);
    return wait > 0 ? failure(id, BUSY, `busy: this address has used its share of the chain's time; retry in ${wait} ms`) : undefined;
  };
  const early = busy();
  if (early) return early;
  return context.lane.run(async () => {
    // Asked again when its turn comes: requests queued together all passed the first check, and would
    // otherwise all run on the one share (8 looping transactions held the chain for 10 s).
    const late = busy();
    if (late) return late;
    if (transaction) {
      // In the lane, so that the sender's earlier transactions ahead in it have been mined.
      const next = BigInt(await context.upstream.request<string>("eth_getTransactionCount", [transaction.from, "pending"]));
      const ahead = nonceProblem(transaction.nonce, next);
      if (ahead) return failure(id, ERRORS.invalidParams, ahead);
    }
    const started = performance.now();
    try {
      return await unlessStuck(context.upstream.answer(id, method, params), context.stuckMs, () => failure(id, ERRORS.internal, `${method} was not answered within ${context.stuckMs / 1000} s; the gate went on without it`));
    } finally {
      context.limits.chargeChainTime(address, performance.now() - started);
    }
  });
}

/**
 * Ganache works without yielding, so a request it has not answered in this long is not being worked
 * on but waiting for something (a gapped nonce was one): the lane goes on without it rather than hold
 * every classmate's calls behind it. The request's own caller gets an error.
 */
const STUCK_MS = 15_000;

async function unlessStuck(answer: Promise<Reply>, ms: number, stuck: () => Reply): Promise<Reply> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Reply>((resolve) => (timer = setTimeout(() => resolve(stuck()), ms)));
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A remote read runs under REMOTE_CALL_GAS: given no gas (Ganache would allow 50 M) or more, it gets the cap. */
function capGas(call: unknown): Record<string, unknown> | string {
  if (!call || typeof call !== "object" || Array.isArray(call)) return "eth_call and eth_estimateGas take a call object";
  const asked = (call as { gas?: unknown }).gas;
  let gas = REMOTE_CALL_GAS;
  if (asked !== undefined) {
    const value = quantity(asked);
    if (value === undefined) return "the call's gas must be a 0x quantity";
    if (value < gas) gas = value;
  }
  return { ...(call as Record<string, unknown>), gas: "0x" + gas.toString(16) };
}

/** One request, whatever it is: a malformed element gets its own JSON-RPC error, never the whole batch's failure. */
async function guarded(request: unknown, answer: (id: RpcId, method: string, params: unknown[]) => Promise<Reply>): Promise<Reply> {
  const id = idOf(request);
  if (!request || typeof request !== "object" || Array.isArray(request)) return failure(id, ERRORS.invalidRequest, "invalid request: not a JSON-RPC request object");
  const { method, params } = request as Request;
  if (typeof method !== "string") return failure(id, ERRORS.invalidRequest, "invalid request: the method must be a string");
  if (params !== undefined && !Array.isArray(params)) return failure(id, ERRORS.invalidParams, "invalid params: params must be an array");
  try {
    return await answer(id, method, (params as unknown[] | undefined) ?? []);
  } catch {
    return failure(id, ERRORS.internal, `${method} failed inside the gate`);
  }
}

async function fund(id: RpcId, faucet: Faucet, params: unknown[], how: { ip?: string; amountWei?: bigint }): Promise<Reply> {
  try {
    return { jsonrpc: "2.0", id, result: await faucet.fund(params[0], how) };
  } catch (error) {
    if (error instanceof FaucetRefusal) return failure(id, ERRORS.invalidParams, error.message);
    return failure(id, ERRORS.internal, `the faucet could not pay: ${String((error as Error).message).split("\n")[0].slice(0, 200)}`);
  }
}

async function logRangeProblem(filter: unknown, upstream: Upstream): Promise<string | undefined> {
  if (!filter || typeof filter !== "object") return "eth_getLogs takes a filter object";
  const { fromBlock, toBlock, blockHash } = filter as { fromBlock?: unknown; toBlock?: unknown; blockHash?: unknown };
  if (blockHash !== undefined) return undefined;
  let head: bigint | undefined;
  const number = async (tag: unknown, fallback: "earliest" | "latest"): Promise<bigint> => {
    const value = tag ?? fallback;
    if (value === "earliest") return 0n;
    if (value === "latest" || value === "pending" || value === "safe" || value === "finalized") {
      return (head ??= BigInt(await upstream.request<string>("eth_blockNumber")));
    }
    const parsed = quantity(value);
    if (parsed === undefined) throw new Error("not a block");
    return parsed;
  };
  try {
    const span = (await number(toBlock, "latest")) - (await number(fromBlock, "latest")) + 1n;
    if (span > BigInt(MAX_LOG_RANGE)) return `eth_getLogs covers at most ${MAX_LOG_RANGE} blocks here; ask in smaller ranges`;
  } catch {
    return "eth_getLogs: fromBlock and toBlock must be block numbers or tags";
  }
  return undefined;
}

/**
 * Remote callers wait until the market is wired. Checked at most twice a second while closed (the
 * check reads the chain), and never again once open.
 */
function openingCheck(marketReady: (() => Promise<boolean>) | undefined): () => Promise<boolean> {
  if (!marketReady) return async () => true;
  let open = false;
  // Callers arriving while a check runs share it; a "no" is never kept, so the first request after
  // the wiring is let in (a kept "no" refused it for as long as it was kept).
  let running: Promise<boolean> | undefined;
  return async () => {
    if (open) return true;
    running ??= marketReady().catch(() => false).finally(() => (running = undefined));
    open = (await running) || open;
    return open;
  };
}

/** One task at a time, in arrival order. */
class Lane {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function quantity(value: unknown): bigint | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^0x[0-9a-fA-F]{1,64}$/.test(value)) return BigInt(value);
  return undefined;
}

function idOf(request: unknown): RpcId {
  if (!request || typeof request !== "object") return null;
  const id = (request as Request).id;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

function failure(id: RpcId, code: number, message: string): Reply {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

function refusePage(response: http.ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  response.end(message + "\n");
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

function plainAddress(address: string | undefined): string {
  return (address ?? "").replace(/^::ffff:/, "");
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
