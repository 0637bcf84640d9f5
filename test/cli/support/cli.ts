// What the CLI tests share: one migrated chain per test file, the real `carbon` binary run as a child
// process (separate stdout and stderr, exit code), a market object to arrange and inspect state
// directly, and a fingerprint of the chain to prove a refused command changed nothing.
import path from "node:path";
import { connect } from "../../../cli/chain/connect";
import { PROJECT_ROOT } from "../../../cli/chain/home";
import type { Market } from "../../../cli/chain/market";
import { HttpRpc } from "../../../cli/chain/rpc";
import { runNode, type Ran, type RunOptions } from "../../support/process";
import { deployMarket } from "../../support/migrated-market";
import { startTestChain, type TestChain } from "../../support/test-chain";

export type { Ran };

export const CARBON = path.join(PROJECT_ROOT, "dist", "cli", "main.js");

export interface CliChain {
  chain: TestChain;
  env: NodeJS.ProcessEnv;
  rpc: HttpRpc;
  /** Connected in this process, for arranging state and checking it afterwards. */
  market: Market;
  /** The node's accounts, by index. */
  accounts: string[];
  stop(): Promise<void>;
}

/** A fresh chain with the market deployed (the migration's transactions replayed), and an environment pointing `carbon` at it. */
export async function startMarket(): Promise<CliChain> {
  const chain = await startTestChain();
  await deployMarket(chain);
  const env: NodeJS.ProcessEnv = { ...chain.env, FORCE_COLOR: "0", NO_COLOR: "1" };
  delete env.CARBON_MNEMONIC;
  // The test process reads the same deployment book as the children.
  process.env.CARBON_HOME = chain.home;
  const market = await connect({ rpc: chain.url, mnemonic: "" });
  return {
    chain,
    env,
    rpc: new HttpRpc(chain.url),
    market,
    accounts: await market.accounts(),
    async stop() {
      market.close();
      await chain.stop();
    },
  };
}

/** Runs `carbon <args>` to its end. */
export function carbon(args: string[], env: NodeJS.ProcessEnv, options: RunOptions = {}): Promise<Ran> {
  return runNode(CARBON, args, env, { timeoutMs: 60_000, ...options });
}

/** Everything a refused command must leave as it was: the block height and the market's totals. */
export async function fingerprint(cli: CliChain): Promise<string> {
  const [block, totals, lots] = await Promise.all([cli.rpc.request<string>("eth_blockNumber"), cli.market.totals(), cli.market.lots()]);
  return JSON.stringify({ block, totals, lots }, (_, v) => (typeof v === "bigint" ? v.toString() : v));
}

export async function snapshot(cli: CliChain): Promise<string> {
  return cli.rpc.request<string>("evm_snapshot");
}

export async function revert(cli: CliChain, id: string): Promise<void> {
  await cli.rpc.request("evm_revert", [id]);
}

/**
 * A market with a trade ready to happen: account 1 a customer holding 100, account 2 a seller with
 * LOT-1 for sale at 30 (the passwords are `pw-customer` and `pw-seller`).
 */
export type TradingMarket = CliChain & { customer: string; seller: string };

export async function startTradingMarket(): Promise<TradingMarket> {
  const cli = await startMarket();
  const [, customer, seller] = cli.accounts;
  await cli.market.newCustomer(customer, "pw-customer");
  await cli.market.newSeller(seller, "pw-seller");
  await cli.market.sendCarbonToCustomer(customer, 100n);
  await cli.market.addCarbon(seller, "LOT-1", 30n);
  return { ...cli, customer, seller };
}
