// anvil (Foundry's node) for tests: the platform binary from @foundry-rs/anvil's optional
// dependency, started on a free loopback port with no unlocked accounts, the development wallet
// funded as a faucet would on a testnet.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../cli/chain/home";
import { HttpRpc } from "../../cli/chain/rpc";
import { DEV_ADDRESSES } from "../../cli/chain/signer";

export const ANVIL_CHAIN_ID = 31337;
const FUNDED = "0x3635c9adc5dea00000"; // 1000 ether

/** The platform's anvil binary, without the Node launcher. */
export function anvilBinary(): string {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string] ?? process.arch;
  const packageJson = require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/package.json`, { paths: [PROJECT_ROOT] });
  const binary = path.join(path.dirname(packageJson), "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
  assert.ok(fs.existsSync(binary), `anvil is not installed at ${binary}; run npm install`);
  return binary;
}

export interface Anvil {
  url: string;
  rpc: HttpRpc;
  process: ChildProcess;
  stop(): void;
}

/**
 * anvil on `port` holding no key (--accounts 0), with the development wallet's first `funded` accounts
 * given ether; on `hardfork` when named (a test that needs a feature names the fork that has it, so a
 * newer anvil cannot change it unseen), else anvil's default.
 */
export async function startAnvil(port: number, funded = 10, hardfork?: string): Promise<Anvil> {
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(ANVIL_CHAIN_ID), "--accounts", "0"];
  if (hardfork) args.push("--hardfork", hardfork);
  const child = spawn(anvilBinary(), args, { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  const rpc = new HttpRpc(url, 2_000);
  const deadline = Date.now() + 20_000;
  while ((await rpc.request<string>("eth_chainId").catch(() => undefined)) === undefined) {
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("anvil did not answer within 20 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const account of DEV_ADDRESSES.slice(0, funded)) await rpc.request("anvil_setBalance", [account, FUNDED]);
  return { url, rpc, process: child, stop: () => child.kill("SIGTERM") };
}
