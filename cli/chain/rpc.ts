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
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new NodeUnreachableError(this.url, cause);
    }
    const text = await response.text();
    let body: { result?: T; error?: { message: string; code?: number; data?: unknown } };
    try {
      body = JSON.parse(text);
    } catch {
      throw new NodeUnreachableError(this.url, `HTTP ${response.status}, not JSON-RPC`);
    }
    if (body.error) throw new RpcError(body.error.message, body.error.code, body.error.data);
    return body.result as T;
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
