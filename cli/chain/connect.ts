// Connecting: find the node, find the market on it, check that it is really there.
//
//   const market = await connect({ rpc, network });   // throws UnavailableError (exit 3) if it cannot
//   ... market.buyCarbon(...), market.lots(), ...      // see market.ts
//   market.close();
//
// The market is found from the chain (discovery.ts: the registries' MarketSet logs, the code and the
// wiring checked, cached per genesis hash in the deployment book), then checked with isLive.
import { UnavailableError } from "../errors";
import { MarketCodec } from "./abi";
import { marketArtifact } from "./artifacts";
import { isLive, type ChainReader } from "./deployments";
import { discoverMarket } from "./discovery";
import { resolveEndpoint, type Endpoint, type EndpointOptions } from "./endpoint";
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
    throw error;
  }
}

async function open(endpoint: Endpoint): Promise<Market> {
  const { rpc } = endpoint;
  // The node's account list rides in the same round trip: most commands name an account by index.
  const accounts = endpoint.signsLocally ? undefined : endpoint.accounts();
  accounts?.catch(() => undefined);
  const identity = await chainIdentity(rpc);
  const artifact = marketArtifact();
  const codec = new MarketCodec(artifact.abi);
  const reader = chainReader(rpc);

  // The market is found from the chain itself (discovery.ts), whatever the local files say.
  const candidates = [() => discoverMarket(rpc, { genesisHash: identity.genesisHash, label: endpoint.label })];
  for (const candidate of candidates) {
    const contracts = await candidate();
    if (!contracts) continue;
    const [live, regulator] = await Promise.all([isLive(contracts, reader), regulatorOf(contracts.Carbon, codec, reader)]);
    if (!live || !regulator) continue;
    return new Market({ endpoint, codec, abi: artifact.abi, contracts, regulator, chainId: identity.chainId, genesisHash: identity.genesisHash, accounts });
  }
  throw new UnavailableError(notDeployedMessage(endpoint.label));
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
