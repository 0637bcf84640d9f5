// The full scripted flow against anvil (Foundry's node), started with no unlocked accounts: the
// migrations, a scripted CLI session, the demo and the walkthrough, every transaction signed locally
// from CARBON_MNEMONIC, as on a private chain or a testnet. Run on the hardfork named (anvil's
// current one, passed explicitly so a newer anvil cannot change it unseen), mining each transaction
// as it arrives or, as real networks do, on a clock: then every command must wait for its receipt.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { DEV_MNEMONIC } from "../../cli/chain/ganache";
import { chainIdentity } from "../../cli/chain/rpc";
import { DEV_ADDRESSES } from "../../cli/chain/signer";
import { ANVIL_CHAIN_ID, anvilBinary } from "../support/anvil";
import { CARBON, MIGRATE, place, runScript, waitUntil, WALKTHROUGH, type Place } from "./harness";

const FUNDED = "0x3635c9adc5dea00000"; // 1000 ether
const WALLET = DEV_ADDRESSES.slice(0, 10); // the demo uses account 9 as its verifier

export interface AnvilFlowOptions {
  hardfork: string;
  /** Seconds between blocks (anvil --block-time); absent, anvil mines each transaction at once. */
  blockTime?: number;
}

export function anvilFlow({ hardfork, blockTime }: AnvilFlowOptions): void {
  const mining = blockTime ? `a block every ${blockTime} s` : "a block per transaction";
  // A clocked chain takes a block time or two per transaction: give every process room for that.
  const timeoutMs = blockTime ? 600_000 : 120_000;

  describe(`against anvil (${hardfork}, ${mining}), signing locally with CARBON_MNEMONIC`, { timeout: blockTime ? 20 * 60_000 : 5 * 60_000 }, () => {
    let where: Place;
    let anvil: ChildProcess;

    const carbon = (...args: string[]) => runScript(CARBON, args, where.env, timeoutMs);

    before(async () => {
      where = await place({ CARBON_MNEMONIC: DEV_MNEMONIC });
      // --accounts 0: the node holds no key at all; every transaction must arrive signed.
      const args = ["--port", String(where.port), "--chain-id", String(ANVIL_CHAIN_ID), "--accounts", "0", "--hardfork", hardfork];
      if (blockTime) args.push("--block-time", String(blockTime));
      anvil = spawn(anvilBinary(), args, { stdio: "ignore" });
      await waitUntil(async () => (await where.rpc.request<string>("eth_chainId").catch(() => undefined)) !== undefined, 20_000, "anvil to answer");
      assert.deepEqual(await where.rpc.request<string[]>("eth_accounts"), [], "anvil should hold no unlocked account");
      // A faucet's job on a testnet: the wallet's accounts need ether for gas.
      for (const account of WALLET) await where.rpc.request("anvil_setBalance", [account, FUNDED]);
    });

    after(async () => {
      anvil?.kill("SIGTERM");
      where?.remove();
    });

    it(`runs on the chain asked for: ${hardfork}, ${mining}`, async () => {
      const info = await where.rpc.request<{ hardFork: string }>("anvil_nodeInfo");
      assert.equal(info.hardFork.toLowerCase(), hardfork, "anvil's hardfork");
      const first = BigInt(await where.rpc.request<string>("eth_blockNumber"));
      if (blockTime) {
        // On a clock, blocks come whether or not anything is sent.
        await waitUntil(async () => BigInt(await where.rpc.request<string>("eth_blockNumber")) > first, blockTime * 3_000, "a block on the clock");
      } else {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        assert.equal(BigInt(await where.rpc.request<string>("eth_blockNumber")), first, "no block without a transaction");
      }
    });

    it("runs the migrations through the custom network and records the market by anvil's genesis hash", async () => {
      const ran = await runScript(MIGRATE, [], where.env, timeoutMs);
      assert.equal(ran.code, 0, `npm run migrate failed:\n${ran.stdout}\n${ran.stderr}`);
      // npm run migrate prints one line per contract and the market, without Truffle's own output.
      assert.match(ran.stdout, /^✔ Carbon\s+deployed at 0x[0-9a-fA-F]{40}\s+block \d+, gas [\d,]+$/m, "Carbon deployed, through the custom network");
      assert.match(ran.stdout, /^Market at 0x[0-9a-fA-F]{40}$/m);
      const { chainId, genesisHash } = await chainIdentity(where.rpc);
      assert.equal(chainId, ANVIL_CHAIN_ID);
      const book = JSON.parse(fs.readFileSync(path.join(where.home, "deployments.json"), "utf8"));
      assert.equal(book[genesisHash]?.regulator?.toLowerCase(), WALLET[0], "the wallet's first account deployed the market");
    });

    it("seeds the demo scenario (accounts 1–4)", async () => {
      const ran = await runScript(MIGRATE, ["--demo"], where.env, timeoutMs);
      assert.equal(ran.code, 0, `npm run demo failed:\n${ran.stdout}\n${ran.stderr}`);
      assert.match(ran.stdout, /The demo scenario is on the chain\./);
    });

    it("plays a scripted session with the carbon CLI (accounts 5 and 6)", async () => {
      const steps: Array<[string[], RegExp]> = [
        [["register", "customer", "5", "--password", "anvil-pw"], /Registration succeeded/],
        [["register", "seller", "6", "--password", "anvil-pw"], /Successfully registered/],
        [["login", "5", "--password", "anvil-pw"], /Logged in/],
        [["issue", "5", "300"], /Successfully issued quota/],
        [["add-carbon", "6", "ANVIL-1", "120"], /Successfully created quota/],
        [["buy", "5", "ANVIL-1"], /Buy successfully/],
        [["settle", "6", "20"], /Settlement succeeded/],
      ];
      for (const [args, expected] of steps) {
        const ran = await carbon(...args);
        assert.equal(ran.code, 0, `carbon ${args.join(" ")} failed:\n${ran.stdout}\n${ran.stderr}`);
        assert.match(ran.stdout, expected, `carbon ${args.join(" ")}`);
      }
      const balance = await carbon("--json", "balance", "5");
      assert.equal(balance.code, 0, balance.stderr);
      assert.equal(JSON.parse(balance.stdout).customerCarbon, "180", "300 issued, 120 paid");
    });

    it("runs the walkthrough, on the accounts still free to play", async () => {
      const ran = await runScript(WALKTHROUGH, ["--yes"], where.env, timeoutMs);
      assert.equal(ran.code, 0, `the walkthrough failed:\n${ran.stdout}\n${ran.stderr}`);
      assert.match(ran.stderr, new RegExp(`Using the Ethereum node at ${where.url.replace(/\./g, "\\.")}`), "it uses anvil, not an embedded chain");
      // The thesis's ten, and matchmaking's five: its seller (account 5) is a customer already, so it registers nobody.
      assert.match(ran.stdout, /✔ Walkthrough complete: 15 transactions/);
    });
  });
}
