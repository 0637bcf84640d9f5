// A minimal Ethereum JSON-RPC client over HTTP: probing nodes and reading state without loading web3.
export class NodeUnreachableError extends Error {
  constructor(readonly url: string, cause: string) {
    super(`no Ethereum node answers at ${url} (${cause})`);
  }
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

export class HttpRpc implements Rpc {
  constructor(readonly url: string, private readonly timeoutMs = 10_000) {}

  async request<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const body = await this.post({ jsonrpc: "2.0", id: nextId++, method, params });
    return unwrap<T>(body as Reply<T>);
  }

  /**
   * Several requests in one HTTP round trip (a JSON-RPC batch); each settles on its own. A node
   * that does not take batches gets them one by one.
   */
  async batch(calls: Array<{ method: string; params?: unknown[] }>): Promise<Array<PromiseSettledResult<unknown>>> {
    const requests = calls.map(({ method, params = [] }) => ({ jsonrpc: "2.0", id: nextId++, method, params }));
    const body = await this.post(requests);
    if (!Array.isArray(body)) return Promise.allSettled(calls.map(({ method, params }) => this.request(method, params)));
    const byId = new Map((body as Array<Reply<unknown> & { id: number }>).map((reply) => [reply.id, reply]));
    return requests.map(({ id, method }) => {
      const reply = byId.get(id);
      if (!reply) return { status: "rejected", reason: new RpcError(`no answer to ${method} in the batch`) };
      try {
        return { status: "fulfilled", value: unwrap(reply) };
      } catch (reason) {
        return { status: "rejected", reason };
      }
    });
  }

  private async post(payload: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new NodeUnreachableError(this.url, cause);
    }
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new NodeUnreachableError(this.url, `HTTP ${response.status}, not JSON-RPC`);
    }
  }
}

type Reply<T> = { result?: T; error?: { message: string; code?: number; data?: unknown } };

function unwrap<T>(body: Reply<T>): T {
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
    this.transport.batch(pending).then(
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
