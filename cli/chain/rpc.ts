// A minimal Ethereum JSON-RPC client over HTTP: probing nodes and reading state without loading web3.
//
// Every request has a timeout suited to its method (TIMEOUTS), and every way a server can fail to be
// a JSON-RPC node has a name: nothing listening (NodeUnreachableError, which the CLI reports as "no
// node"), a timeout (RpcTimeoutError: the node is there but slow, or stuck), and an answer that is
// not JSON-RPC (NotANodeError: HTML, text, `{}`, `null`, a bad certificate, a closed connection).
// The last two name what was seen in one line; the cause is in the stack, which --debug prints.
import { CarbonError, EXIT } from "../support/errors";

export class NodeUnreachableError extends Error {
  constructor(readonly url: string, cause: string) {
    super(`no Ethereum node answers at ${url} (${cause})`);
  }
}

/** The node did not answer in time. Exit 3 for a read; a write that timed out after sending is exit 4 (transactions.ts). */
export class RpcTimeoutError extends CarbonError {
  constructor(readonly url: string, readonly method: string, readonly timeoutMs: number) {
    super(`the node at ${url} did not answer ${method} within ${timeoutMs / 1000} s: it is up but busy or stuck; try again, or ask for less (a smaller --limit)`, EXIT.unavailable);
  }
}

/** A class chain's gate kept answering "busy" for as long as a command waits. Exit 3. */
export class NodeBusyError extends CarbonError {
  constructor(readonly url: string, said: string) {
    super(`the node at ${url} is busy and asked us to wait longer than ${BUSY_PATIENCE_MS / 1000} s (${said.replace(/^busy: /, "")}); try again in a moment`, EXIT.unavailable);
  }
}

/** Something answers at the URL, but not as an Ethereum JSON-RPC node. Exit 3. */
export class NotANodeError extends CarbonError {
  constructor(readonly url: string, seen: string, detail?: string, message = `the server at ${url} is not an Ethereum JSON-RPC node: ${seen}`) {
    super(message, EXIT.unavailable);
    if (detail) this.stack = `${this.stack}\nCaused by: ${detail}`;
  }
}

/** Milliseconds each method may take before it is reported as a timeout. */
const TIMEOUTS: Record<string, number> = {
  eth_getLogs: 60_000,
  eth_call: 30_000,
  eth_sendRawTransaction: 30_000,
  eth_sendTransaction: 60_000,
  eth_signTransaction: 30_000,
  // A class chain's faucet (cli/gate/faucet.ts) pays one new key at a time, each transfer mined
  // before the next: a whole class asking at once waits in that queue.
  carbon_fund: 120_000,
};
const DEFAULT_TIMEOUT = 15_000;

/** The timeout of a method, overridable for tests and slow links with CARBON_RPC_TIMEOUT_MS. */
export function timeoutFor(method: string): number {
  const override = Number(process.env.CARBON_RPC_TIMEOUT_MS);
  return Number.isFinite(override) && override > 0 ? override : TIMEOUTS[method] ?? DEFAULT_TIMEOUT;
}

export class RpcError extends Error {
  constructor(message: string, readonly code?: number, readonly data?: unknown) {
    super(message);
  }
}

export interface Rpc {
  readonly url: string;
  request<T = unknown>(method: string, params?: unknown[]): Promise<T>;
}

let nextId = 1;

// node:http rather than fetch: undici costs ~20 ms to load and its idle keep-alive sockets hold a
// one-shot command open for ~60 ms after its last answer; an http.Agent's idle sockets do not.
const agents = new Map<string, import("node:http").Agent>();

class TimeoutError extends Error {
  override name = "TimeoutError";
}

type HttpAnswer = { status: number; contentType: string | undefined; text: string };

/**
 * A keep-alive socket the node closed while it sat idle can be handed to the next request, which then
 * fails with ECONNRESET before any answer: Node's documented race. That request is sent once more on
 * a fresh socket; it is safe even for eth_sendRawTransaction, whose same signed bytes can only be the
 * same transaction.
 */
async function postJson(url: string, body: string, timeoutMs: number): Promise<HttpAnswer> {
  try {
    return await postOnce(url, body, timeoutMs);
  } catch (error) {
    if ((error as { staleSocket?: boolean }).staleSocket) return postOnce(url, body, timeoutMs);
    throw error;
  }
}

function postOnce(url: string, body: string, timeoutMs: number): Promise<HttpAnswer> {
  const target = new URL(url);
  const secure = target.protocol === "https:";
  const transport = (secure ? require("node:https") : require("node:http")) as typeof import("node:http");
  let agent = agents.get(target.protocol);
  if (!agent) agents.set(target.protocol, (agent = new transport.Agent({ keepAlive: true, maxSockets: 16 })));
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
    if (target.username || target.password) headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString("base64")}`;
    const request = transport.request(target, { method: "POST", agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, contentType: response.headers["content-type"], text: Buffer.concat(chunks).toString("utf8") });
      });
      response.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const timer = setTimeout(() => request.destroy(new TimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (request.reusedSocket && error.code === "ECONNRESET") Object.assign(error, { staleSocket: true });
      reject(error);
    });
    request.end(body);
  });
}

export class HttpRpc implements Rpc {
  /** `timeoutMs` overrides every method's own timeout (a probe that must be quick). */
  constructor(readonly url: string, private readonly timeoutMs?: number) {}

  async request<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    // A class chain's gate answers "busy" (before forwarding anything) when one address has used its
    // share of the chain; many students behind one address meet it in bursts, so wait as told and
    // ask again instead of failing the command.
    const giveUpAt = Date.now() + BUSY_PATIENCE_MS;
    for (;;) {
      const id = nextId++;
      const body = await this.post({ jsonrpc: "2.0", id, method, params }, method);
      if (!isReply(body)) throw new NotANodeError(this.url, `it answered ${method} with ${describeJson(body)}`);
      const wait = busyWait(body as Reply<T>);
      if (wait === undefined) return unwrap<T>(body as Reply<T>);
      if (Date.now() + wait > giveUpAt) throw new NodeBusyError(this.url, (body as Reply<T>).error!.message);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /**
   * Several requests in one HTTP round trip (a JSON-RPC batch); each settles on its own. A node
   * that does not take batches gets them one by one.
   */
  async batch(calls: Array<{ method: string; params?: unknown[] }>): Promise<Array<PromiseSettledResult<unknown>>> {
    const requests = calls.map(({ method, params = [] }) => ({ jsonrpc: "2.0", id: nextId++, method, params }));
    const slowest = calls.reduce((a, b) => (timeoutFor(b.method) > timeoutFor(a.method) ? b : a)).method;
    const body = await this.post(requests, slowest);
    if (!Array.isArray(body)) {
      // A node without batches answers with one error object; anything else is not a node.
      if (!isReply(body)) throw new NotANodeError(this.url, `it answered a batch with ${describeJson(body)}`);
      return Promise.allSettled(calls.map(({ method, params }) => this.request(method, params)));
    }
    const byId = new Map((body as Array<Reply<unknown> & { id: number }>).map((reply) => [reply.id, reply]));
    return Promise.all(requests.map(async ({ id, method }): Promise<PromiseSettledResult<unknown>> => {
      const reply = byId.get(id);
      if (!reply) return { status: "rejected", reason: new RpcError(`no answer to ${method} in the batch`) };
      if (busyWait(reply) !== undefined) return this.request(method, requests.find((r) => r.id === id)!.params).then(
        (value) => ({ status: "fulfilled", value }) as const,
        (reason) => ({ status: "rejected", reason }) as const,
      );
      try {
        return { status: "fulfilled", value: unwrap(reply) };
      } catch (reason) {
        return { status: "rejected", reason };
      }
    }));
  }

  private async post(payload: unknown, method: string): Promise<unknown> {
    const timeoutMs = this.timeoutMs ?? timeoutFor(method);
    let reply: { status: number; contentType: string | undefined; text: string };
    try {
      reply = await postJson(this.url, JSON.stringify(payload), timeoutMs);
    } catch (error) {
      throw this.transportError(error, method, timeoutMs);
    }
    try {
      return JSON.parse(reply.text);
    } catch {
      throw new NotANodeError(this.url, `it answered ${method} with ${describeText(reply.status, reply.contentType ?? null, reply.text)}`, reply.text.slice(0, 500));
    }
  }

  /** What went wrong below JSON-RPC, named: nothing there, a timeout, a certificate, a dropped connection. */
  private transportError(error: unknown, method: string, timeoutMs: number): Error {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError") return new RpcTimeoutError(this.url, method, timeoutMs);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause ?? (error as { code?: string; message?: string });
    const code = cause?.code ?? "";
    const detail = `${(error as Error).message}${cause ? `: ${code} ${cause.message ?? ""}` : ""}`;
    if (/CERT|SSL|TLS|SELF_SIGNED|ERR_TLS/i.test(code + " " + (cause?.message ?? ""))) {
      return new NotANodeError(this.url, `its TLS certificate is not trusted (${code || cause?.message}); use a node with a valid certificate, or http:// on a trusted network`, detail);
    }
    if (/ECONNRESET|UND_ERR_SOCKET|EPIPE|UND_ERR_CLOSED/.test(code) || /other side closed|socket hang up/i.test(cause?.message ?? "")) {
      // A proxy or tunnel in front of a node that is restarting does this too: both are said.
      const seen = `it closed the connection without answering ${method}`;
      return new NotANodeError(this.url, seen, detail, `the server at ${this.url} closed the connection without answering ${method}: a node restarting behind a proxy or tunnel, or no Ethereum JSON-RPC node`);
    }
    if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|EADDRNOTAVAIL/.test(code)) return new NodeUnreachableError(this.url, code);
    const unreachable = new NodeUnreachableError(this.url, code || name);
    unreachable.stack = `${unreachable.stack}\nCaused by: ${detail}`;
    return unreachable;
  }
}

function isReply(body: unknown): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  return "result" in body || (typeof (body as { error?: unknown }).error === "object" && (body as { error?: unknown }).error !== null);
}

/** A JSON value that is not a JSON-RPC reply, as a few words: `{}`, `null`, an array, a number. */
function describeJson(body: unknown): string {
  const text = JSON.stringify(body) ?? String(body);
  return text.length <= 40 ? `\`${text}\`, which is not a JSON-RPC reply` : `JSON that is not a JSON-RPC reply (${text.slice(0, 40)}…)`;
}

/** A body that is not JSON: an HTML page (a web server), text, or nothing. */
function describeText(status: number, contentType: string | null, text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return `an empty body (HTTP ${status})`;
  if (/html/i.test(contentType ?? "") || /^<(!doctype|html|head|body)/i.test(trimmed)) {
    const title = /<title>([^<]{0,60})/i.exec(trimmed)?.[1]?.trim();
    return `an HTML page${title ? ` ("${title}")` : ""} (HTTP ${status}): a web server, not a node`;
  }
  const line = trimmed.split("\n")[0].replace(/[\x00-\x1f\x7f]/g, "?");
  return `text (HTTP ${status}): "${line.length > 60 ? line.slice(0, 60) + "…" : line}"`;
}

export type Reply<T> = { result?: T; error?: { message: string; code?: number; data?: unknown } };

/** How long a command keeps asking a gate that answers "busy" before it reports the refusal. */
export const BUSY_PATIENCE_MS = 20_000;
/**
 * The gate's "busy" answer: code -32005 and a message that starts "busy:". Public nodes use the same
 * code for "limit exceeded" (a log range too wide), which waiting would not cure, so the code alone
 * is not enough.
 */
const BUSY_CODE = -32005;

/** The wait a "busy" answer asks for (its "retry in N ms", else a short pause), or undefined. */
export function busyWait(body: Reply<unknown>): number | undefined {
  if (body.error?.code !== BUSY_CODE || !body.error.message.startsWith("busy:")) return undefined;
  const asked = /retry in (\d+) ms/.exec(body.error.message)?.[1];
  return Math.min(2_000, Math.max(20, asked ? Number(asked) : 250));
}

export function unwrap<T>(body: Reply<T>): T {
  if (body.error) throw new RpcError(body.error.message, body.error.code, body.error.data);
  return body.result as T;
}

/**
 * An Rpc that gathers the requests made in the same turn of the event loop into one batch, so that
 * `Promise.all` of reads costs one round trip to the node instead of one each.
 */
export class BatchingRpc implements Rpc {
  private queue: Array<{ method: string; params: unknown[]; resolve(value: unknown): void; reject(reason: unknown): void }> = [];

  constructor(private readonly transport: HttpRpc) {}

  get url(): string {
    return this.transport.url;
  }

  request<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.flush());
      this.queue.push({ method, params, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private flush(): void {
    const pending = this.queue;
    this.queue = [];
    if (pending.length === 1) {
      const [only] = pending;
      this.transport.request(only.method, only.params).then(only.resolve, only.reject);
      return;
    }
    void this.transport.batch(pending).then(
      (results) => results.forEach((result, i) => (result.status === "fulfilled" ? pending[i].resolve(result.value) : pending[i].reject(result.reason))),
      (error) => pending.forEach(({ reject }) => reject(error)),
    );
  }
}

/** The chain's identity: its id and the hash of its genesis block, which no two chains share. */
export async function chainIdentity(rpc: Rpc): Promise<{ chainId: number; genesisHash: string }> {
  const [chainId, genesis] = await Promise.all([
    rpc.request<string>("eth_chainId"),
    rpc.request<{ hash: string }>("eth_getBlockByNumber", ["0x0", false]),
  ]);
  if (typeof chainId !== "string" || !/^0x[0-9a-f]+$/i.test(chainId)) throw new NotANodeError(rpc.url, `it answered eth_chainId with ${describeJson(chainId)}`);
  if (typeof genesis?.hash !== "string") throw new NotANodeError(rpc.url, `it answered eth_getBlockByNumber(0) with ${describeJson(genesis)}`);
  return { chainId: Number(chainId), genesisHash: genesis.hash.toLowerCase() };
}

/** Whether an Ethereum node answers at the URL (false for nothing there, or something that is not one). */
export async function isEthereumNode(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    await new HttpRpc(url, timeoutMs).request("eth_chainId");
    return true;
  } catch {
    return false;
  }
}
