// A node with the market on it, by whatever it takes: the node at CARBON_RPC_URL if one answers,
// else the embedded chain started on that (local) address; then the Truffle migrations, if and only
// if the market is not live there. What `npm start` and the walkthrough stand on.
import { UnavailableError } from "../support/errors";
import { chainDataDir } from "../chain/home";
import { chainIdentity, HttpRpc, isEthereumNode } from "../chain/rpc";
import { shortPath } from "./embedded-chain/server";
import { startEmbeddedChain, type EmbeddedChain } from "./embedded-chain/supervisor";
import { classBanner } from "./class/banner";
import type { ChainServerOptions } from "./embedded-chain/server";
import { findLiveMarket, type MarketAddresses } from "./migrate/market-check";
import { nodeAddress } from "./node-url";
import { note, step, warn } from "./progress";
import { onShutdown } from "./shutdown";
import { truffleMigrate } from "./migrate/truffle-migrate";

export interface MarketNode {
  url: string;
  market: MarketAddresses;
  /** Whether this process started the embedded chain (and could start it again). */
  embedded: boolean;
  /** Stops the embedded chain if this process started it; a no-op on someone else's node. */
  release(): Promise<void>;
}

export interface OpenOptions {
  /** --host: serve a class chain on this address (the embedded chain only). */
  host?: string;
  /** With --host: the faucet's grant and size. */
  faucet?: ChainServerOptions["faucet"];
  /** --accept-rollback: open an embedded chain that has lost blocks. */
  acceptRollback?: boolean;
  /** --new-market: deploy another market even if the chain holds one. */
  newMarket?: boolean;
  /**
   * Work to do while the embedded chain boots in its own process (a second or so): loading what
   * comes next, so the first prompt appears sooner. Synchronous work is fine; the chain does not wait.
   */
  whileChainBoots?: () => void;
}

export async function openMarketNode({ whileChainBoots, host, acceptRollback = false, newMarket = false, faucet }: OpenOptions = {}): Promise<MarketNode> {
  const address = nodeAddress(undefined, host);
  let embedded: EmbeddedChain | undefined;
  let url = address.url;

  if (await isEthereumNode(url)) {
    if (host !== undefined) throw new UnavailableError(`an Ethereum node already answers at ${url}; --host serves a new embedded chain: stop that node, or pick another port in CARBON_RPC_URL`);
    note(`Using the Ethereum node at ${url}`);
  } else if (address.local) {
    const dbPath = chainDataDir();
    const local = address.local;
    embedded = await step(
      `Starting the embedded chain (state in ${shortPath(dbPath)})`,
      () => {
        const booting = startEmbeddedChain({ ...local, dbPath, acceptRollback, faucet });
        if (whileChainBoots) setImmediate(whileChainBoots);
        return booting;
      },
      (chain) => `Embedded chain ready at ${chain.url} (state in ${shortPath(dbPath)})`,
    );
    url = embedded.url;
  } else {
    throw new UnavailableError(`no Ethereum node answers at ${url}; check CARBON_RPC_URL, or unset it to use the embedded chain`);
  }

  const chain = embedded;
  let lost = false;
  chain?.lost.then(({ code, signal, detail }) => {
    lost = true;
    const why = detail ?? (signal ? `killed by ${signal}` : `exit code ${code}`);
    warn(`The embedded chain stopped unexpectedly (${why}); what it confirmed is kept. Run \`npm start\` again.`);
  });
  let stopped = false;
  const release = async () => {
    // A Ctrl+C between prompts runs the shutdown cleanup while the session may still end and release too.
    if (!chain || lost || stopped) return;
    stopped = true;
    await chain.stop();
    note(`Embedded chain stopped; its state is kept in ${shortPath(chainDataDir())}`);
  };
  const forget = onShutdown(release);

  try {
    const rpc = new HttpRpc(url);
    const { genesisHash } = await chainIdentity(rpc);
    let market = newMarket ? undefined : await findLiveMarket(rpc, genesisHash);
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
    }
    if (embedded && !embedded.served) note(`Projector: ${url}/ shows the market live in a browser (read-only)`);
    if (embedded?.served && address.local) {
      for (const line of classBanner({ studentUrls: embedded.studentUrls, host: address.local.host, port: address.local.port, carbon: market.Carbon, faucet: faucet && { grantWei: BigInt(faucet.grantWei), totalWei: BigInt(faucet.totalWei), grantsPerIp: faucet.grantsPerIp } })) note(line.trim());
    }
    return {
      url,
      market,
      embedded: Boolean(embedded),
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
