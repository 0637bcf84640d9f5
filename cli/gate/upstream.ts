// The chain behind the gate: Ganache's in-process provider, asked one JSON-RPC request at a time,
// its answers and errors turned into JSON-RPC replies. Errors keep what a client needs (code,
// message, revert data) and drop what it must not see: Ganache's `stack`, with this machine's paths.
import type { GanacheProvider } from "../chain/ganache";

export type RpcId = string | number | null;
export type Reply = { jsonrpc: "2.0"; id: RpcId; result?: unknown; error?: { code: number; message: string; data?: unknown } };

export interface Upstream {
  answer(id: RpcId, method: string, params: unknown[]): Promise<Reply>;
  /** The result, or a thrown Error with the reply's message (for the gate's own reads). */
  request<T>(method: string, params?: unknown[]): Promise<T>;
}

export function providerUpstream(provider: GanacheProvider): Upstream {
  return {
    async answer(id, method, params) {
      try {
        const result = await provider.request({ method, params });
        return { jsonrpc: "2.0", id, result: result === undefined ? null : result };
      } catch (error) {
        return { jsonrpc: "2.0", id, error: replyError(error) };
      }
    },
    async request<T>(method: string, params: unknown[] = []) {
      return (await provider.request({ method, params })) as T;
    },
  };
}

/** What a JSON-RPC client sees of Ganache's error: code, one line of message, revert data without paths. */
export function replyError(error: unknown): { code: number; message: string; data?: unknown } {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; data?: unknown };
  const message = typeof e.message === "string" ? e.message : String(error);
  // "The method x does not exist/is not available" has no code: it is JSON-RPC's method-not-found.
  const code = typeof e.code === "number" ? e.code : /does not exist\/is not available/.test(message) ? -32601 : -32000;
  const reply: { code: number; message: string; data?: unknown } = { code, message: stripPaths(message.split("\n")[0]) };
  if (e.data !== undefined) reply.data = withoutStacks(e.data);
  return reply;
}

function withoutStacks(data: unknown): unknown {
  if (!data || typeof data !== "object") return typeof data === "string" ? stripPaths(data) : data;
  if (Array.isArray(data)) return data.map(withoutStacks);
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (key !== "stack") kept[key] = withoutStacks(value);
  return kept;
}

/** A file path of this machine (an absolute path with a folder in it) is nobody's business. */
function stripPaths(text: string): string {
  return text.replace(/(?:file:\/\/)?(?:\/[\w.@+-]+){2,}(?::\d+)*/g, "<path>");
}
