// Whether the market is deployed on a chain, decided from the chain itself (discovery.ts), checked
// here first so that `npm start` spawns Truffle (seconds) only when there is something to deploy.
import { discoverMarket, type MarketContracts } from "../../chain/discovery";
import type { Rpc } from "../../chain/rpc";

export type MarketAddresses = MarketContracts;

export async function findLiveMarket(rpc: Rpc, genesisHash: string, { fresh = false } = {}): Promise<MarketAddresses | undefined> {
  return discoverMarket(rpc, { genesisHash, label: rpc.url, fresh });
}
