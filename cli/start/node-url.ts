// Where the product looks for an Ethereum node (CARBON_RPC_URL), and where the embedded chain may
// listen when nothing answers there.
import { DEFAULT_RPC_URL } from "../chain/endpoint";
import { UsageError } from "../support/errors";

export interface NodeAddress {
  /** The URL as the user wrote it (or the default), for messages and child processes. */
  url: string;
  /** Where the embedded chain listens if no node answers: only for a local URL, never a remote one. */
  local?: { host: string; port: number };
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/**
 * `host` (--host) moves where the embedded chain listens: the port still comes from the URL, and
 * this machine keeps reaching it on loopback (a wildcard address listens there too).
 */
export function nodeAddress(raw = process.env.CARBON_RPC_URL || DEFAULT_RPC_URL, listenOn?: string): NodeAddress {
  if (listenOn !== undefined) return servedAddress(raw, listenOn);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`CARBON_RPC_URL is not a URL: ${raw}; use one like ${DEFAULT_RPC_URL}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`CARBON_RPC_URL must be an http(s) URL, not ${raw}`);
  }
  const isLocal = url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname) && (url.pathname === "/" || url.pathname === "");
  if (!isLocal) return { url: raw };
  // Ganache binds an address, not a name: localhost is bound as 127.0.0.1, which is what it resolves to here.
  const host = url.hostname === "localhost" ? "127.0.0.1" : url.hostname.replace(/^\[|\]$/g, "");
  return { url: raw, local: { host, port: Number(url.port || 80) } };
}

function servedAddress(raw: string, host: string): NodeAddress {
  const base = nodeAddress(raw);
  if (!base.local) throw new UsageError(`--host serves the embedded chain, and CARBON_RPC_URL (${raw}) is not a local http://127.0.0.1:<port> URL; set only the port there`);
  if (!host || /[\s/]/.test(host)) throw new UsageError(`--host takes an address of this machine, e.g. 0.0.0.0 (all of them) or 192.168.1.10, not "${host}"`);
  const bare = host.replace(/^\[|\]$/g, "");
  const wildcard = bare === "0.0.0.0" || bare === "::";
  const reach = wildcard ? "127.0.0.1" : bare === "localhost" ? "127.0.0.1" : bare;
  const url = `http://${reach.includes(":") ? `[${reach}]` : reach}:${base.local.port}`;
  return { url, local: { host: bare === "localhost" ? "127.0.0.1" : bare, port: base.local.port } };
}
