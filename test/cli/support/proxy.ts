// A JSON-RPC proxy on loopback between the CLI and a test chain, to play the nodes tests need: one
// that refuses wide eth_getLogs ranges as public providers do, one that is slow to answer some
// methods, one that counts what it was asked. Requests it does not intercept pass through unchanged.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RpcCall {
  method: string;
  params: unknown[];
}

/** What an interceptor returns: a reply to send instead of the node's, or undefined to pass the call on. */
export type Intercept = (call: RpcCall) => Promise<unknown | undefined> | unknown | undefined;

export interface Proxy {
  url: string;
  /** Every call seen, in order. */
  calls: RpcCall[];
  close(): Promise<void>;
}

/** A JSON-RPC error reply, as an interceptor's answer. */
export function rpcError(code: number, message: string): { error: { code: number; message: string } } {
  return { error: { code, message } };
}

export async function startProxy(target: string, intercept: Intercept = () => undefined): Promise<Proxy> {
  const calls: RpcCall[] = [];
  const forward = async (payload: unknown): Promise<unknown> => {
    const response = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) });
    return response.json();
  };
  const one = async (request: { id: unknown; method: string; params?: unknown[] }): Promise<unknown> => {
    const call = { method: request.method, params: request.params ?? [] };
    calls.push(call);
    const answer = await intercept(call);
    if (answer === undefined) return forward(request);
    const reply = answer as { error?: unknown; result?: unknown };
    return { jsonrpc: "2.0", id: request.id, ...(reply.error ? { error: reply.error } : { result: reply.result }) };
  };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", async () => {
      try {
        const payload = JSON.parse(body);
        const reply = Array.isArray(payload) ? await Promise.all(payload.map(one)) : await one(payload);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(reply));
      } catch (error) {
        if (!res.headersSent) res.writeHead(502);
        res.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** An interceptor refusing eth_getLogs over more than `maxBlocks` blocks, worded like a public provider. */
export function refuseWideLogRanges(maxBlocks: number): Intercept {
  return ({ method, params }) => {
    if (method !== "eth_getLogs") return undefined;
    const { fromBlock, toBlock } = params[0] as { fromBlock?: string; toBlock?: string };
    const from = fromBlock && fromBlock.startsWith("0x") ? Number(fromBlock) : 0;
    const to = toBlock && toBlock.startsWith("0x") ? Number(toBlock) : Number.MAX_SAFE_INTEGER;
    if (to - from + 1 > maxBlocks) return rpcError(-32005, `query exceeds max block range ${maxBlocks}`);
    return undefined;
  };
}
