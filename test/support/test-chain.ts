// Disposable chains for tests and benchmarks: an in-memory Ganache on a free port, optionally migrated.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startGanache } from "../../cli/chain/ganache";
import { PROJECT_ROOT } from "../../cli/chain/home";

export interface TestChain {
  url: string;
  /** A fresh CARBON_HOME for this chain, so tests never touch the user's .carbon/. */
  home: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The chain runs in a child process (ganache-child.ts), away from the test runner's async hooks. */
async function startChainProcess(port: number): Promise<{ close(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(__dirname, "ganache-child.js"), String(port)], { stdio: ["ignore", "pipe", "pipe", "ipc"] });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      if (output.includes("ready")) resolve();
    });
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => reject(new Error(`the test chain exited (${code}) before it was ready:\n${output}`)));
  });
  child.removeAllListeners("exit");
  return {
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

/**
 * `inProcess`: Ganache in this process, for a caller without node:test's hooks (Truffle's mocha),
 * where a second process would only add its start.
 */
export async function startTestChain({ inProcess = false }: { inProcess?: boolean } = {}): Promise<TestChain> {
  const port = await freePort();
  const server = inProcess ? await startGanache({ port }) : await startChainProcess(port);
  const url = `http://127.0.0.1:${port}`;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "carbon-test-"));
  return {
    url,
    home,
    env: { ...process.env, CARBON_RPC_URL: url, CARBON_HOME: home, FORCE_COLOR: "0" },
    async stop() {
      await server.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Runs a command in the project root and resolves with its exit code, output passed through or captured. */
export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  quiet = false,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: quiet ? "pipe" : "inherit" });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

export const TRUFFLE = path.join(PROJECT_ROOT, "node_modules", ".bin", "truffle");

/** `truffle migrate` against the chain; throws with Truffle's output if it fails. */
export async function migrate(chain: TestChain, extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const { code, output } = await run(TRUFFLE, ["migrate", "--quiet", "--compile-none"], { ...chain.env, ...extraEnv }, true);
  if (code !== 0) throw new Error(`truffle migrate failed (${code}):\n${output}`);
  return output;
}
