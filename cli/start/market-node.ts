// A node with the market on it, by whatever it takes: the node at CARBON_RPC_URL if one answers,
// else the embedded chain started on that (local) address; then the Truffle migrations, if and only
// if the market is not live there. What `npm start` and the walkthrough stand on.
import { UnavailableError } from "../errors";
import { chainDataDir } from "../chain/home";
import { chainIdentity, HttpRpc, isEthereumNode } from "../chain/rpc";
import { shortPath } from "./chain-server";
import { startEmbeddedChain, type EmbeddedChain } from "./embedded-chain";
import { findLiveMarket, type MarketAddresses } from "./market-check";
import { nodeAddress } from "./node-url";
import { note, step } from "./progress";
import { onShutdown } from "./shutdown";
import { truffleMigrate } from "./truffle-migrate";

export interface MarketNode {
  url: string;
  /** The chain this process started, which `release` stops; undefined on someone else's node. */
  embedded?: EmbeddedChain;
  market: MarketAddresses;
  /** True when this start deployed the market. */
  deployed: boolean;
  /** Stops the embedded chain if this process started it; a no-op on someone else's node. */
  release(): Promise<void>;
}

export async function openMarketNode(): Promise<MarketNode> {
  const address = nodeAddress();
  let embedded: EmbeddedChain | undefined;
  let url = address.url;

  if (await isEthereumNode(url)) {
    note(`Using the Ethereum node at ${url}`);
  } else if (address.local) {
    const dbPath = chainDataDir();
    const local = address.local;
    embedded = await step(
      `Starting the embedded chain (state in ${shortPath(dbPath)})`,
      () => startEmbeddedChain({ ...local, dbPath }),
      (chain) => `Embedded chain ready at ${chain.url} (state in ${shortPath(dbPath)})`,
    );
    url = embedded.url;
  } else {
    throw new UnavailableError(`no Ethereum node answers at ${url}; check CARBON_RPC_URL, or unset it to use the embedded chain`);
  }

  const chain = embedded;
  const release = async () => {
    if (!chain) return;
    await chain.stop();
    note(`Embedded chain stopped; its state is kept in ${shortPath(chainDataDir())}`);
  };
  const forget = onShutdown(release);

  try {
    const rpc = new HttpRpc(url);
    const { genesisHash } = await chainIdentity(rpc);
    let market = await findLiveMarket(rpc, genesisHash);
    let deployed = false;
    if (market) {
      note(`Market found: Carbon at ${market.Carbon}`);
    } else {
      market = await step(
        "Deploying the market contracts (first start on this chain, a few seconds)",
        async () => {
          await truffleMigrate({ url, output: "capture" });
          const found = await findLiveMarket(rpc, genesisHash);
          if (!found) throw new UnavailableError("the migration ran but no market is live on the chain; run `npm run migrate` to see why");
          return found;
        },
        (found) => `Market deployed: Carbon at ${found.Carbon}`,
      );
      deployed = true;
    }
    return {
      url,
      embedded,
      market,
      deployed,
      release: async () => {
        forget();
        await release();
      },
    };
  } catch (error) {
    forget();
    await release();
    throw error;
  }
}
