// Connecting: find the node, find the market on it, check that it is really there.
//
//   const market = await connect({ rpc, network });   // throws UnavailableError (exit 3) if it cannot
//   ... market.buyCarbon(...), market.lots(), ...      // see market.ts
//   market.close();
//
// The market is found from the chain (discovery.ts: the registries' MarketSet logs, the code and the
// wiring checked, cached per genesis hash in the deployment book), then checked with isLive.
//
// Speed: the market a URL led to last time (remembered in CARBON_HOME) is checked again in the same
// round trip as the chain's identity, without its code (the wiring calls fail on an address without
// code); it is used if the chain is the same one, the deployment book and --market/CARBON_MARKET
// still choose it, and it is still wired. Otherwise discovery runs as above.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { UnavailableError } from "../errors";
import { MarketCodec } from "./abi";
import { marketArtifact } from "./artifacts";
import { bookedDeployment, DeploymentBookError, isLive, type ChainReader } from "./deployments";
import { discoverMarket, type MarketContracts } from "./discovery";
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

async function open(endpoint: Endpoint): Promise<Market> {
  const { rpc } = endpoint;
  // The node's account list rides in the same round trip: most commands name an account by index.
  const accounts = endpoint.signsLocally ? undefined : endpoint.accounts();
  accounts?.catch(() => undefined);
  const artifact = marketArtifact();
  const codec = new MarketCodec(artifact.abi, artifact.hashes);
  const reader = chainReader(rpc);
  const wiredOnly: ChainReader = { ...reader, getCode: async () => "0x00" };
  const last = lastMarket(endpoint.label);
  const again = last && Promise.all([isLive(last, wiredOnly), regulatorOf(last.Carbon, codec, reader)]);
  again?.catch(() => undefined);
  const identity = await chainIdentity(rpc);
  const open = (contracts: MarketContracts, regulator: string) =>
    new Market({ endpoint, codec, abi: artifact.abi, contracts, regulator, chainId: identity.chainId, genesisHash: identity.genesisHash, accounts });

  if (last && again && last.genesisHash === identity.genesisHash && stillChosen(last)) {
    const [live, regulator] = await again;
    if (live && regulator) return open(pick(last), regulator);
  }

  // The market is found from the chain itself (discovery.ts), whatever the local files say. Its
  // code was checked there; here the wiring and the regulator, in one round trip.
  const candidates = [() => discoverMarket(rpc, { genesisHash: identity.genesisHash, label: endpoint.label })];
  for (const candidate of candidates) {
    const contracts = await candidate();
    if (!contracts) continue;
    const [live, regulator] = await Promise.all([isLive(contracts, wiredOnly), regulatorOf(contracts.Carbon, codec, reader)]);
    if (!live || !regulator) continue;
    rememberLast(endpoint.label, { genesisHash: identity.genesisHash, ...pick(contracts) });
    return open(pick(contracts), regulator);
  }
  throw new UnavailableError(notDeployedMessage(endpoint.label));
}

type LastMarket = MarketContracts & { genesisHash: string };

function pick(contracts: MarketContracts): MarketContracts {
  return { Carbon: contracts.Carbon.toLowerCase(), Customer: contracts.Customer.toLowerCase(), Seller: contracts.Seller.toLowerCase() };
}

/** Whether what discovery would consult first still names the remembered market: an explicit choice, else the book. */
function stillChosen(last: LastMarket): boolean {
  const chosen = process.env.CARBON_MARKET;
  if (chosen) return chosen.toLowerCase() === last.Carbon;
  return bookedDeployment(last.genesisHash)?.Carbon.toLowerCase() === last.Carbon;
}

function lastPath(label: string): string {
  return path.join(carbonHome(), "cache", `last-${crypto.createHash("sha256").update(label).digest("hex").slice(0, 16)}.json`);
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
