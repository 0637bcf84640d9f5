// Which node the CLI talks to, and whose keys it signs with: the --rpc URL, CARBON_RPC_URL or the
// default, or a truffle-config.js network; the user's wallets, the CARBON_MNEMONIC keys, or the
// node's own accounts (signer.ts).
//
// Everything goes over the plain JSON-RPC client (rpc.ts): reads and writes alike. Only a
// truffle-config network that brings its own provider is spoken to through that provider.
import path from "node:path";
import { UsageError } from "../support/errors";
import { PROJECT_ROOT } from "./home";
import { BatchingRpc, HttpRpc, NodeUnreachableError, RpcError, type Rpc } from "./rpc";
import type { KeySource } from "./signer";

/** The signer, loaded when keys are asked for: a read never signs. */
function signer(): typeof import("./signer") {
  return require("./signer") as typeof import("./signer");
}

/** Key sources, the user's own first: the wallets, the automatic firms, CARBON_MNEMONIC, then the node's accounts; the first that holds the sender's key signs. */
function keySources(rpc: Rpc, mnemonic: string | undefined, nodeAccounts?: Promise<string[]>): KeySource[] {
  // The user's wallets ($CARBON_HOME/wallets, cli/wallet/) come first, for every entry point.
  const { walletKeySource } = require("../wallet/key-source") as typeof import("../wallet/key-source");
  const { mnemonicKeySource, NodeKeySource } = signer();
  // The lesson's automatic firms, whose keys the teacher's machine keeps (cli/lesson/automatic-keys.ts).
  const { automaticKeySource } = require("../lesson/automatic-keys") as typeof import("../lesson/automatic-keys");
  return [walletKeySource(), automaticKeySource(), ...(mnemonic ? [mnemonicKeySource(mnemonic)] : []), new NodeKeySource(rpc, nodeAccounts)];
}

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";
/** How many addresses a mnemonic wallet derives, as truffle-config's `custom` network does. */
export const WALLET_SIZE = 10;

export interface EndpointOptions {
  /** --rpc: a node URL. */
  rpc?: string;
  /** --network: a network of truffle-config.js, instead of a URL. */
  network?: string;
  /** A mnemonic to sign with locally; CARBON_MNEMONIC when absent. */
  mnemonic?: string;
}

/** A web3.js 1.x provider, as @truffle/contract and HDWalletProvider speak it. */
export interface LegacyProvider {
  send?(payload: unknown, callback: (error: Error | null, result?: unknown) => void): void;
  sendAsync?(payload: unknown, callback: (error: Error | null, result?: unknown) => void): void;
  engine?: { stop(): void };
  getAddresses?(): string[];
}

export interface Endpoint {
  /** The URL, or the network's name and URL, for messages. */
  readonly label: string;
  readonly rpc: Rpc;
  /** Signs with CARBON_MNEMONIC's keys: the account list is the mnemonic's, not the node's. */
  readonly signsLocally: boolean;
  /** Whether CARBON_MNEMONIC (or --mnemonic) is set, for messages. */
  readonly hasMnemonic: boolean;
  /** The accounts the CLI can send from, in the order account indices refer to. */
  accounts(): Promise<string[]>;
  /** Where signing keys come from, first match wins (keySources). */
  keys(nodeAccounts?: Promise<string[]>): KeySource[];
  close(): void;
}

export function resolveEndpoint(options: EndpointOptions = {}): Endpoint {
  const mnemonic = options.mnemonic ?? process.env.CARBON_MNEMONIC ?? undefined;
  if (options.network) return networkEndpoint(options.network, mnemonic);
  // An explicit --rpc beats the environment, as a flag should; CARBON_RPC_URL beats the default.
  return urlEndpoint(checkUrl(options.rpc ?? process.env.CARBON_RPC_URL ?? DEFAULT_RPC_URL), mnemonic);
}

function checkUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`"${raw}" is not a node URL (for example ${DEFAULT_RPC_URL})`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`the node URL must be http:// or https://, not ${raw}`);
  }
  return raw;
}

function urlEndpoint(url: string, mnemonic: string | undefined): Endpoint {
  const rpc = new BatchingRpc(new HttpRpc(url));
  return {
    label: url,
    rpc,
    signsLocally: Boolean(mnemonic),
    hasMnemonic: Boolean(mnemonic),
    // A real node holds no unlocked accounts: with a mnemonic, its addresses are the list.
    accounts: async () => (mnemonic ? mnemonicAddresses(mnemonic) : nodeAccounts(rpc)),
    keys: (accounts) => keySources(rpc, mnemonic, accounts),
    close: () => undefined,
  };
}

function mnemonicAddresses(mnemonic: string): string[] {
  const { mnemonicKeys, addressOf } = signer();
  return mnemonicKeys(mnemonic).map((key) => addressOf(key));
}

async function nodeAccounts(rpc: Rpc): Promise<string[]> {
  const list = await rpc.request<unknown>("eth_accounts");
  return Array.isArray(list) ? lowerAll(list as string[]) : [];
}

function networkEndpoint(name: string, mnemonic: string | undefined): Endpoint {
  const configFile = path.join(PROJECT_ROOT, "truffle-config.js");
  const config = require(configFile) as { networks?: Record<string, { host?: string; port?: number; provider?: unknown }> };
  const network = config.networks?.[name];
  if (!network) {
    const known = Object.keys(config.networks ?? {}).join(", ") || "none";
    throw new UsageError(`truffle-config.js has no network "${name}" (it has: ${known})`);
  }
  if (!network.provider) {
    const url = `http://${network.host ?? "127.0.0.1"}:${network.port ?? 8545}`;
    const endpoint = urlEndpoint(url, mnemonic);
    return { ...endpoint, label: `network "${name}" (${url})` };
  }
  // The network builds its own provider (truffle-config's `custom` signs with CARBON_MNEMONIC):
  // everything goes through it, and its accounts are the ones it answers eth_accounts with.
  let provider: LegacyProvider | undefined;
  const open = (): LegacyProvider => {
    provider ??= (typeof network.provider === "function" ? (network.provider as () => unknown)() : network.provider) as LegacyProvider;
    return provider;
  };
  const rpc = new ProviderRpc(`network "${name}"`, open);
  return {
    label: `network "${name}"`,
    rpc,
    signsLocally: true,
    hasMnemonic: Boolean(mnemonic),
    accounts: async () => (mnemonic ? mnemonicAddresses(mnemonic) : nodeAccounts(rpc)),
    keys: (accounts) => keySources(rpc, mnemonic, accounts),
    close: () => provider?.engine?.stop(),
  };
}

function lowerAll(addresses: string[]): string[] {
  return addresses.map((a) => a.toLowerCase());
}

/** The Rpc interface over a web3.js provider, for truffle-config networks that bring their own. */
class ProviderRpc implements Rpc {
  private nextId = 1;
  constructor(readonly url: string, private readonly open: () => LegacyProvider) {}

  request<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const provider = this.open();
    const payload = { jsonrpc: "2.0", id: this.nextId++, method, params };
    return new Promise<T>((resolve, reject) => {
      const callback = (error: Error | null, response?: unknown) => {
        if (error) return reject(new NodeUnreachableError(this.url, error.message));
        const body = response as { result?: T; error?: { message: string; code?: number; data?: unknown } };
        if (body?.error) return reject(new RpcError(body.error.message, body.error.code, body.error.data));
        resolve(body?.result as T);
      };
      if (provider.sendAsync) provider.sendAsync(payload, callback);
      else if (provider.send) provider.send(payload, callback);
      else reject(new Error(`the provider of ${this.url} cannot send requests`));
    });
  }
}
