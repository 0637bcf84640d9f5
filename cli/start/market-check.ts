// Whether the market is deployed on a chain, decided from the chain itself: the deployment book's
// entry for this genesis hash first, then the address in Truffle's artifact, each believed only if
// the code is there and wired (isLive). The same order 1_deploy_market.js uses, checked here first
// so that `npm start` spawns Truffle (seconds) only when there is something to deploy.
import { CARBON_ARTIFACT, marketArtifact } from "../chain/artifacts";
import { bookedDeployment, isLive, type ChainReader, type Deployment } from "../chain/deployments";
import type { Rpc } from "../chain/rpc";

export type MarketAddresses = Pick<Deployment, "Customer" | "Seller" | "Carbon">;

// keccak256("customerRegistry()") and keccak256("sellerRegistry()"), as deployments.ts reads them.
const REGISTRY_SELECTORS = { Customer: "0x347265f5", Seller: "0x70c69b09" } as const;

function chainReader(rpc: Rpc): ChainReader {
  return {
    getCode: (address) => rpc.request<string>("eth_getCode", [address, "latest"]),
    call: (to, data) => rpc.request<string>("eth_call", [{ to, data }, "latest"]),
  };
}

export async function findLiveMarket(rpc: Rpc, genesisHash: string): Promise<MarketAddresses | undefined> {
  const chain = chainReader(rpc);
  const booked = bookedDeployment(genesisHash);
  if (booked && (await isLive(booked, chain))) return booked;
  const fromArtifact = await artifactDeployment(rpc, chain);
  if (fromArtifact && (await isLive(fromArtifact, chain))) return fromArtifact;
  return undefined;
}

/** The artifact names only Carbon's address on this network id; Carbon names its registries. */
async function artifactDeployment(rpc: Rpc, chain: ChainReader): Promise<MarketAddresses | undefined> {
  let networks: Record<string, { address: string }>;
  try {
    networks = marketArtifact(CARBON_ARTIFACT).networks;
  } catch {
    return undefined; // Not compiled: the migration will say so in its own words.
  }
  const networkId = await rpc.request<string>("net_version");
  const Carbon = networks[String(Number(networkId))]?.address;
  if (!Carbon) return undefined;
  try {
    const [customers, sellers] = await Promise.all([
      chain.call(Carbon, REGISTRY_SELECTORS.Customer),
      chain.call(Carbon, REGISTRY_SELECTORS.Seller),
    ]);
    return { Carbon, Customer: wordToAddress(customers), Seller: wordToAddress(sellers) };
  } catch {
    return undefined;
  }
}

function wordToAddress(word: string): string {
  return "0x" + word.replace(/^0x/, "").slice(-40);
}
