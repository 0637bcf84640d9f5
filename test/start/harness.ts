// What the start-up tests share: a temporary CARBON_HOME and a free port per test, the product's
// commands run as a user runs them (separate stdout and stderr, exit code), and waiting for output.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../../cli/chain/home";
import { HttpRpc, RpcError, type Rpc } from "../../cli/chain/rpc";
import { runNode, type Ran } from "../support/process";
import { freePort } from "../support/test-chain";

export type { Ran };

export const DIST = path.join(PROJECT_ROOT, "dist");
export const START = path.join(DIST, "cli", "start", "main.js");
export const CHAIN = path.join(DIST, "cli", "start", "embedded-chain", "main.js");
export const MIGRATE = path.join(DIST, "cli", "start", "migrate", "main.js");
export const WALKTHROUGH = path.join(DIST, "cli", "walkthrough", "main.js");
export const CARBON = path.join(DIST, "cli", "main.js");

export interface Place {
  home: string;
  port: number;
  url: string;
  env: NodeJS.ProcessEnv;
  rpc: HttpRpc;
  /** Deletes the home; call after every process using it has stopped. */
  remove(): void;
}

/** A fresh CARBON_HOME and a free local URL, with an environment that points every command at them. */
export async function place(extra: NodeJS.ProcessEnv = {}): Promise<Place> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "carbon-start-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Nothing of the developer's own set-up leaks in: no wallet, no demo switch, no colours.
  const { CARBON_MNEMONIC: _wallet, CARBON_DEMO: _demo, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = { ...inherited, CARBON_HOME: home, CARBON_RPC_URL: url, FORCE_COLOR: "0", NO_COLOR: "1", ...extra };
  return { home, port, url, env, rpc: new HttpRpc(url), remove: () => fs.rmSync(home, { recursive: true, force: true }) };
}

/** Runs a Node script of the product to its end, with no input. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Ran> {
  return runNode(script, args, env, { timeoutMs });
}

/** A long-running product process (npm run chain), with its output so far and a way to wait for a line. */
export interface Background {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function background(script: string, args: string[], env: NodeJS.ProcessEnv): Background {
  const child = spawn(process.execPath, [script, ...args], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const listeners = new Set<() => void>();
  const add = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", add);
  child.stderr!.on("data", add);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => output,
    exited,
    waitFor: (pattern, timeoutMs = 60_000) => waitForText(() => output, pattern, listeners, exited, timeoutMs),
  };
}

function waitForText(
  text: () => string,
  pattern: RegExp,
  listeners: Set<() => void>,
  exited: Promise<unknown>,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      listeners.delete(check);
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (pattern.test(text())) done();
    };
    const timer = setTimeout(() => done(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${text()}`)), timeoutMs);
    listeners.add(check);
    exited.then(() => setImmediate(() => (pattern.test(text()) ? done() : done(new Error(`exited before ${pattern}; output:\n${text()}`)))));
    check();
  });
}

/** Whether a process is still alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007|\r/g;

/** A product process in a pseudo-terminal, as a user at an 80×24 terminal runs it. */
export interface Terminal {
  pid: number;
  /** Everything shown so far, without colours and cursor movements. */
  screen(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  type(keys: string): void;
  kill(signal?: string): void;
  exited: Promise<{ exitCode: number; signal?: number }>;
}

const openTerminals = new Set<{ kill(signal?: string): void }>();

/** Kills whatever terminal a failed test left open, so the test file can end. */
export function closeTerminals(): void {
  for (const open of openTerminals) open.kill("SIGKILL");
  openTerminals.clear();
}

/** Runs a Node script of the product, or with `command` any program on the PATH (npm). */
export function terminal(script: string, args: string[], env: NodeJS.ProcessEnv, { command = false } = {}): Terminal {
  const pty = require("node-pty") as typeof import("node-pty");
  const child = pty.spawn(command ? script : process.execPath, command ? args : [script, ...args], {
    name: "xterm-256color",
    cols: 80,
    rows: 24,
    cwd: PROJECT_ROOT,
    env: env as Record<string, string>,
  });
  let raw = "";
  const listeners = new Set<() => void>();
  child.onData((data) => {
    raw += data;
    for (const listener of listeners) listener();
  });
  openTerminals.add(child);
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) =>
    child.onExit((result) => {
      openTerminals.delete(child);
      resolve(result);
    }),
  );
  const screen = () => raw.replace(ANSI, "");
  return {
    pid: child.pid,
    screen,
    waitFor: (pattern, timeoutMs = 60_000) => waitForText(screen, pattern, listeners, exited, timeoutMs),
    type: (keys) => child.write(keys),
    kill: (signal = "SIGTERM") => child.kill(signal),
    exited,
  };
}

/** A served class chain (`npm run chain -- --host 0.0.0.0`) in a fresh CARBON_HOME, for the node and wallet tests. */
export interface ClassChain {
  where: Place;
  chain: Background;
  /** The teacher's own URL (loopback, every method). */
  url: string;
  /** Where a "student" reaches it: another loopback address, seen as remote only from 127.0.0.3 (see remoteRpc). */
  studentUrl: string;
  /** The market the chain deployed on start. */
  carbon: string;
  /** Stops the chain with `signal` (SIGINT: Ctrl+C; SIGKILL: a crash) and serves its state again; `chain` is then the new process. */
  restart(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export async function startClassChain(extra: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<ClassChain> {
  const where = await place(extra);
  const serve = async (): Promise<Background> => {
    const chain = background(CHAIN, ["--host", "0.0.0.0", ...args], where.env);
    try {
      await chain.waitFor(/A student joins with/, 90_000);
    } catch (error) {
      chain.child.kill("SIGKILL");
      where.remove();
      throw error;
    }
    return chain;
  };
  const first = await serve();
  const carbon = /Market\s+Carbon at (0x[0-9a-f]{40})/i.exec(first.output())?.[1];
  if (!carbon) throw new Error(`the class chain printed no market:\n${first.output()}`);
  const served: ClassChain = {
    where,
    chain: first,
    url: where.url,
    studentUrl: `http://127.0.0.2:${where.port}`,
    carbon: carbon.toLowerCase(),
    async restart(signal = "SIGINT") {
      served.chain.child.kill(signal);
      await served.chain.exited;
      served.chain = await serve();
    },
    async stop() {
      served.chain.child.kill("SIGINT");
      await served.chain.exited;
      where.remove();
    },
  };
  return served;
}

/** The remote address a test plays a student from: any loopback address but 127.0.0.1 is not "this machine" to the gate. */
export const REMOTE_ADDRESS = "127.0.0.3";

/** Posts a JSON-RPC body from `localAddress`, as a caller on another machine would. */
export function postFrom(url: string, body: unknown, localAddress = REMOTE_ADDRESS, timeoutMs = 15_000): Promise<unknown> {
  const target = new URL(url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: target.hostname, port: Number(target.port), method: "POST", path: "/", localAddress, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }, timeout: timeoutMs },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => {
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`not JSON: ${text.slice(0, 200)}`));
          }
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", reject);
    request.end(payload);
  });
}

let remoteId = 1;

/** An Rpc whose requests leave from REMOTE_ADDRESS: the product's code run as a student's clone. */
export function remoteRpc(url: string): Rpc {
  return {
    url,
    async request<T>(method: string, params: unknown[] = []): Promise<T> {
      const reply = (await postFrom(url, { jsonrpc: "2.0", id: remoteId++, method, params })) as { result?: T; error?: { message: string; code?: number } };
      if (reply.error) throw new RpcError(reply.error.message, reply.error.code);
      return reply.result as T;
    },
  };
}
