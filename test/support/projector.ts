// What the projector's browser tests and its bench share: a Chromium of the system's (none is
// downloaded), and `npm run chain` on a free port with the market deployed and three named
// accounts: Ana and Ben trade on the book, Carl sells lots in the shop.
import fs from "node:fs";
import { connect } from "../../cli/chain/connect";
import type { Market } from "../../cli/chain/market";
import { OrderBook } from "../../cli/chain/order-book";
import { resetChainState } from "../../cli/start/embedded-chain/reset";
import { background, CHAIN, place, type Background, type Place } from "../start/harness";
import { deployMarket } from "./migrated-market";

/** Where Debian, Ubuntu and Chrome put it. */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** CHROMIUM_PATH if set (and only it: a path that does not exist means none), else the first installed. */
export function findChromium(): string | undefined {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) return fs.existsSync(chosen) ? chosen : undefined;
  return CANDIDATES.find((file) => fs.existsSync(file));
}

export const NO_CHROMIUM = "no Chromium found (install one with `apt-get install chromium`, or set CHROMIUM_PATH): the projector's browser tests are skipped";

export const TICK = 10n ** 14n;

export interface ProjectorChain {
  where: Place;
  chain: Background;
  market: Market;
  book: OrderBook;
  ana: string;
  ben: string;
  carl: string;
  /** The page's address: the chain's own. */
  url: string;
  /** Stops the chain (Ctrl+C), and starts it again on the same state. */
  restart(): Promise<void>;
  /** Stops the chain, deletes its state (`--reset`), and starts a new one with the market and the three accounts. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function startChain(where: Place): Promise<Background> {
  const chain = background(CHAIN, [], where.env);
  await chain.waitFor(/Ctrl\+C stops the chain/, 90_000);
  return chain;
}

/** The market deployed on a fresh chain, and Ana, Ben and Carl registered. */
async function marketOn(where: Place): Promise<{ market: Market; ana: string; ben: string; carl: string }> {
  await deployMarket({ url: where.url, home: where.home });
  const market = await connect({ rpc: where.url, mnemonic: "" });
  const [, ana, ben, carl] = await market.accounts();
  await Promise.all([market.newCustomer(ana, "pw-ana", "Ana"), market.newCustomer(ben, "pw-ben", "Ben"), market.newSeller(carl, "pw-carl", "Carl")]);
  return { market, ana, ben, carl };
}

export async function startProjectorChain(): Promise<ProjectorChain> {
  const where = await place();
  let chain = await startChain(where);
  process.env.CARBON_HOME = where.home;
  let on = await marketOn(where);
  const stopChain = async () => {
    chain.child.kill("SIGINT");
    await chain.exited;
  };
  return {
    where,
    get chain() {
      return chain;
    },
    get market() {
      return on.market;
    },
    get book() {
      return new OrderBook(on.market);
    },
    ana: on.ana,
    ben: on.ben,
    carl: on.carl,
    url: where.url,
    async restart() {
      await stopChain();
      chain = await startChain(where);
    },
    async reset() {
      await stopChain();
      on.market.close();
      await resetChainState({ yes: true });
      chain = await startChain(where);
      on = await marketOn(where);
    },
    async stop() {
      on.market.close();
      await stopChain();
      where.remove();
    },
  };
}
