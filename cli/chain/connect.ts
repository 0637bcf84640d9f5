// Connecting: find the node, find the market on it, check that it is really there.
//
//   const market = await connect({ rpc, network });   // throws UnavailableError (exit 3) if it cannot
//   ... market.buyCarbon(...), market.lots(), ...      // see market.ts
//   market.close();
//
// The market is found from the chain itself (discovery.ts: the registries' MarketSet logs, the code
// and the wiring checked, cached per genesis hash in the deployment book), whatever the local files
// say; the market a URL led to last time is tried first, in the same round trip as the chain's identity.
import fs from "node:fs";
import path from "node:path";
import { UnavailableError } from "../support/errors";
import { MarketCodec } from "./abi";
import { marketArtifact } from "./artifacts";
import { bookedDeployment, DeploymentBookError, isLive, type ChainReader } from "./deployments";
import type { MarketContracts } from "./discovery";
import { resolveEndpoint, type Endpoint, type EndpointOptions } from "./endpoint";
import { carbonHome } from "./home";
import { Market } from "./market";
import { chainIdentity, NodeUnreachableError, type Rpc } from "./rpc";

export type ConnectOptions = EndpointOptions;

export function noNodeMessage(label: string): string {
  return `no Ethereum node answers at ${label}; start one with \`npm start\` (or \`npm run chain\`)`;
}

export function notDeployedMessage(label: string): string {
  return `the contracts are not deployed on ${label}; run \`npm run migrate\``;
}

/**
 * For a one-shot command: the market this URL led to last time, at once, without a round trip, when
 * it was verified at an anchor block (see `open`). The proof (the chain's identity and the anchor
 * block's hash) rides in the same JSON-RPC batch as the command's first reads. `confirmed` says
 * whether it held (it rejects as `connect` would when no node answers); the market's writes wait for
 * it before anything is signed, and a caller whose market was not confirmed discards what it read and
 * connects afresh. Undefined when there is nothing to go on: then `connect`.
 */
export function connectEarly(options: ConnectOptions = {}): { market: Market; confirmed: Promise<boolean> } | undefined {
  if (options.network || process.env.CARBON_MARKET) return undefined;
  let endpoint: Endpoint | undefined;
  try {
    endpoint = resolveEndpoint(options);
    const last = lastMarket(endpoint.label);
    if (!last?.anchor || !last.regulator || last.chainId === undefined) return void endpoint.close();
    if (bookedDeployment(last.genesisHash)?.Carbon.toLowerCase() !== last.Carbon) return void endpoint.close();
    const { rpc } = endpoint;
    const anchor = last.anchor;
    const accounts = endpoint.signsLocally ? undefined : endpoint.accounts();
    accounts?.catch(() => undefined);
    const label = endpoint.label;
    const artifact = marketArtifact();
    const codec = new MarketCodec(artifact.abi, artifact.hashes);
    // The regulator can be handed over (Carbon.acceptRegulator): it rides in the same batch, and a
    // market whose regulator changed since is not confirmed (the caller connects afresh).
    const confirmed = Promise.all([
      chainIdentity(rpc),
      rpc.request<{ hash?: string } | null>("eth_getBlockByNumber", [anchor.number, false]),
      regulatorOf(last.Carbon, codec, chainReader(rpc)),
    ]).then(
      ([identity, block, regulator]) =>
        identity.genesisHash === last.genesisHash && identity.chainId === last.chainId && block?.hash?.toLowerCase() === anchor.hash && regulator === last.regulator,
      (error) => {
        throw error instanceof NodeUnreachableError ? new UnavailableError(noNodeMessage(label)) : error;
      },
    );
    confirmed.catch(() => undefined);
    const contracts = { Carbon: last.Carbon, Customer: last.Customer, Seller: last.Seller, Compliance: last.Compliance, OrderBook: last.OrderBook };
    const market = new Market({ endpoint, codec, abi: artifact.abi, contracts, regulator: last.regulator, chainId: last.chainId, genesisHash: last.genesisHash, accounts, confirmed });
    return { market, confirmed };
  } catch {
    endpoint?.close();
    return undefined;
  }
}

export async function connect(options: ConnectOptions = {}): Promise<Market> {
  const endpoint = resolveEndpoint(options);
  try {
    return await open(endpoint);
  } catch (error) {
    endpoint.close();
    if (error instanceof NodeUnreachableError) throw new UnavailableError(noNodeMessage(endpoint.label));
    if (error instanceof DeploymentBookError) throw new UnavailableError(error.message);
    throw error;
  }
}

/**
 * The market on the chain behind `rpc`, for a reader that holds no key (the projector's server): the
 * same discovery and checks as `connect`, with no account list and nothing to sign with.
 */
export async function connectReader(rpc: Rpc, label: string): Promise<Market> {
  const endpoint: Endpoint = { label, rpc, signsLocally: true, hasMnemonic: false, accounts: async () => [], keys: () => [], close: () => undefined };
  try {
    return await open(endpoint);
  } catch (error) {
    if (error instanceof DeploymentBookError) throw new UnavailableError(error.message);
    throw error;
  }
}

async function open(endpoint: Endpoint): Promise<Market> {
  const { rpc } = endpoint;
  // The node's account list rides in the same round trip: most commands name an account by index.
  const accounts = endpoint.signsLocally ? undefined : endpoint.accounts();
  accounts?.catch(() => undefined);
  const artifact = marketArtifact();
  const codec = new MarketCodec(artifact.abi, artifact.hashes);
  const reader = chainReader(rpc);
  // The market this URL led to last time, checked again in the same round trip as the chain's identity.
  // An explicit --market / CARBON_MARKET is always checked afresh by discovery.
  const last = process.env.CARBON_MARKET ? undefined : lastMarket(endpoint.label);
  // Verified before at an anchor block: the wiring is set once and never undone (setMarket and
  // setModules refuse a second call), so if the chain still has that block, with the same hash, the
  // market verified there is still the market: one cheap block read replaces the eight wiring calls.
  // The regulator can be handed over, so it is read afresh in the same round trip.
  const anchored = last?.anchor && last.regulator ? rpc.request<{ hash?: string } | null>("eth_getBlockByNumber", [last.anchor.number, false]) : undefined;
  anchored?.catch(() => undefined);
  const liveRegulator = anchored ? regulatorOf(last!.Carbon, codec, reader) : undefined;
  liveRegulator?.catch(() => undefined);
  // Otherwise: if the chain is the same one, the records still choose that market, and it is still
  // wired, connecting costs one round trip.
  const again = last && !anchored ? Promise.all([isLive(last, { ...reader, getCode: async () => "0x00" }), regulatorOf(last.Carbon, codec, reader)]) : undefined;
  again?.catch(() => undefined);
  const identity = await chainIdentity(rpc);

  // The deployment book (discovery's cache) must still name it: `--new-market` moves the book on.
  if (last && last.genesisHash === identity.genesisHash && bookedDeployment(identity.genesisHash)?.Carbon.toLowerCase() === last.Carbon) {
    const contracts = { Carbon: last.Carbon, Customer: last.Customer, Seller: last.Seller, Compliance: last.Compliance, OrderBook: last.OrderBook };
    if (anchored) {
      const block = await anchored.catch(() => undefined);
      const regulator = await liveRegulator!.catch(() => undefined);
      if (block?.hash?.toLowerCase() === last.anchor!.hash && regulator) {
        if (last.chainId !== identity.chainId || regulator !== last.regulator) rememberLast(endpoint.label, { ...last, chainId: identity.chainId, regulator });
        return new Market({ endpoint, codec, abi: artifact.abi, contracts, regulator, chainId: identity.chainId, genesisHash: identity.genesisHash, accounts });
      }
    } else if (again) {
      const [live, regulator] = await again;
      if (live && regulator) {
        await rememberAnchor(rpc, endpoint.label, { genesisHash: identity.genesisHash, chainId: identity.chainId, ...contracts, regulator });
        return new Market({ endpoint, codec, abi: artifact.abi, contracts, regulator, chainId: identity.chainId, genesisHash: identity.genesisHash, accounts });
      }
    }
  }
  const { discoverMarket } = require("./discovery") as typeof import("./discovery");
  const contracts = await discoverMarket(rpc, { genesisHash: identity.genesisHash, label: endpoint.label });
  if (contracts) {
    // The code check (five eth_getCode, ~50 KB) is made once per chain and market and remembered in
    // CARBON_HOME; after that, the wiring calls alone (which fail on an address without code) prove
    // the market is still there, in one round trip with the regulator.
    const checked = wasVerified(identity.genesisHash, contracts);
    const [live, regulator] = await Promise.all([isLive(contracts, checked ? { ...reader, getCode: async () => "0x00" } : reader), regulatorOf(contracts.Carbon, codec, reader)]);
    if (live && regulator) {
      if (!checked) rememberVerified(identity.genesisHash, contracts);
      await rememberAnchor(rpc, endpoint.label, { genesisHash: identity.genesisHash, chainId: identity.chainId, ...contracts, regulator });
      return new Market({ endpoint, codec, abi: artifact.abi, contracts, regulator, chainId: identity.chainId, genesisHash: identity.genesisHash, accounts });
    }
  }
  throw new UnavailableError(notDeployedMessage(endpoint.label));
}

/**
 * The market a URL led to last time. `regulator` and `anchor` (a block at or after the one at which the
 * wiring was checked, by number and hash) let the next connect skip the wiring calls.
 */
type LastMarket = Contracts & { genesisHash: string; chainId?: number; regulator?: string; anchor?: { number: string; hash: string } };

/**
 * Remembers a market just verified, anchored at the chain's latest block: read after the wiring calls
 * were answered, so the wiring held at that block (it is never undone once set).
 */
async function rememberAnchor(rpc: Rpc, label: string, market: LastMarket): Promise<void> {
  const latest = await rpc.request<{ number?: string; hash?: string } | null>("eth_getBlockByNumber", ["latest", false]).catch(() => undefined);
  const anchor = latest?.number && latest.hash ? { number: latest.number, hash: latest.hash.toLowerCase() } : undefined;
  rememberLast(label, { ...market, anchor });
}

function lastPath(label: string): string {
  return path.join(carbonHome(), "cache", `last-${labelHash(label)}.json`);
}

/** 16 hex digits naming a URL's file (two FNV-1a hashes): node:crypto costs ~3 ms to load, and this is no secret. */
function labelHash(label: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ label.length;
  for (let i = 0; i < label.length; i++) {
    const code = label.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code ^ (i & 0xff), 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

function lastMarket(label: string): LastMarket | undefined {
  try {
    return JSON.parse(fs.readFileSync(lastPath(label), "utf8")) as LastMarket;
  } catch {
    return undefined;
  }
}

function rememberLast(label: string, market: LastMarket): void {
  try {
    const file = lastPath(label);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(market));
    fs.renameSync(temporary, file);
  } catch {
    // A read-only home only costs a round trip next time.
  }
}

function verifiedPath(genesisHash: string, contracts: Contracts): string {
  return path.join(carbonHome(), "cache", `verified-${genesisHash.slice(2, 18)}-${contracts.Carbon.slice(2, 18)}.json`);
}

function wasVerified(genesisHash: string, contracts: Contracts): boolean {
  try {
    const seen = JSON.parse(fs.readFileSync(verifiedPath(genesisHash, contracts), "utf8")) as Contracts & { genesisHash: string };
    return seen.genesisHash === genesisHash && (require("./discovery") as typeof import("./discovery")).CONTRACT_NAMES.every((name) => seen[name] === contracts[name]);
  } catch {
    return false;
  }
}

function rememberVerified(genesisHash: string, contracts: Contracts): void {
  try {
    const file = verifiedPath(genesisHash, contracts);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ genesisHash, ...contracts }));
  } catch {
    // A read-only home only costs the code check again next time.
  }
}

type Contracts = MarketContracts;

async function regulatorOf(carbon: string, codec: MarketCodec, reader: ChainReader): Promise<string | undefined> {
  const data = await reader.call(carbon, codec.encodeCall("regulator"));
  return /^0x[0-9a-fA-F]{64}$/.test(data) ? (codec.decodeResult("regulator", data)[0] as string).toLowerCase() : undefined;
}

function chainReader(rpc: Rpc): ChainReader {
  return {
    getCode: (address) => rpc.request<string>("eth_getCode", [address, "latest"]),
    call: (to, data) => rpc.request<string>("eth_call", [{ to, data }, "latest"]),
  };
}

