// The child process `npm start` runs the embedded chain in (see supervisor.ts). It reports over
// the IPC channel once the chain answers, and closes the chain cleanly when asked (SIGTERM) or when
// its parent goes away (the channel disconnects), so the database is never left open. A request
// that arrives while the chain is still starting is honoured as soon as it has started.
import { ChainStartError, serveChain, type ChainServerOptions, type ServedChain } from "./server";

/** What the child tells its parent. */
export type ChainMessage =
  | { type: "ready"; url: string; genesisHash: string; served: boolean; studentUrls: string[] }
  | { type: "failed"; reason: ChainStartError["reason"]; message: string };

let chain: ServedChain | undefined;
let stopping = false;

function stop(): void {
  if (stopping) return;
  stopping = true;
  if (chain) close(chain);
}

function close(served: ServedChain): void {
  served.close().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

function tell(message: ChainMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, () => resolve());
  });
}

async function main(): Promise<void> {
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, stop);
  process.on("disconnect", stop);

  const options = JSON.parse(process.argv[2]) as ChainServerOptions;
  try {
    chain = await serveChain(options);
  } catch (error) {
    const reason = error instanceof ChainStartError ? error.reason : "failed";
    await tell({ type: "failed", reason, message: (error as Error).message });
    process.exit(1);
  }
  if (stopping) return close(chain);
  await tell({ type: "ready", url: chain.url, genesisHash: chain.genesisHash, served: chain.served, studentUrls: chain.studentUrls });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
