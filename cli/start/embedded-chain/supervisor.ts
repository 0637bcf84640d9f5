// The supervisor of the embedded chain: starts Ganache in a child process, waits until it answers,
// and stops it cleanly. The child has its own process group, so a Ctrl+C in the terminal reaches
// only the session; the session decides when the chain stops, and the chain closes its database
// before it exits. If the session dies without stopping it, the child notices its IPC channel
// closing and stops itself.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { ChainMessage } from "./process";
import { ChainStartError, type ChainServerOptions } from "./server";

export interface EmbeddedChain {
  url: string;
  genesisHash: string;
  served: boolean;
  studentUrls: string[];
  pid: number;
  /** Settles when the chain process exits without having been asked to (a crash, a kill -9, a full disk), with its last line. */
  readonly lost: Promise<{ code: number | null; signal: NodeJS.Signals | null; detail?: string }>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const STDERR_KEPT = 4_000;

export function startEmbeddedChain(options: ChainServerOptions): Promise<EmbeddedChain> {
  const child = fork(path.join(__dirname, "process.js"), [JSON.stringify(options)], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    execArgv: [],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT)));

  let stopping = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const lost = exited.then((result) => (stopping ? new Promise<never>(() => {}) : { ...result, detail: lastLine(stderr) }));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stopChild(child, exited);
      reject(new ChainStartError(`the embedded chain did not answer within ${START_TIMEOUT_MS / 1000} s`, "failed"));
    }, START_TIMEOUT_MS);

    child.on("message", (message: ChainMessage) => {
      clearTimeout(timer);
      if (message.type === "failed") return reject(new ChainStartError(message.message, message.reason));
      resolve({
        url: message.url,
        genesisHash: message.genesisHash,
        served: message.served,
        studentUrls: message.studentUrls,
        pid: child.pid!,
        lost,
        stop: () => {
          stopping = true;
          return stopChild(child, exited);
        },
      });
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      // After a "ready" or "failed" message this is a no-op: the promise has settled.
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      const detail = lastLine(stderr);
      reject(new ChainStartError(`the embedded chain stopped while starting (${why})${detail ? `: ${detail}` : ""}`, "failed"));
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function lastLine(text: string): string | undefined {
  return text.trim().split("\n").slice(-1)[0]?.replace(/^error:\s*/, "") || undefined;
}
