// Clean exits on signals: whatever this process started (the embedded chain, Truffle) is stopped
// before it exits, whether the user pressed Ctrl+C outside a prompt, closed the terminal or was sent
// SIGTERM. Registered once per process; each start-up step adds what it needs undone.
const cleanups: Array<() => Promise<void> | void> = [];
let listening = false;
let exiting = false;

const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
let signalExitCode: number | undefined;

/** For a foreground server whose normal way to stop is Ctrl+C: exit 0 on a signal, not 128+n. */
export function exitNormallyOnSignal(): void {
  signalExitCode = 0;
}

export function onShutdown(cleanup: () => Promise<void> | void): () => void {
  handleSignals();
  cleanups.push(cleanup);
  return () => {
    const index = cleanups.indexOf(cleanup);
    if (index >= 0) cleanups.splice(index, 1);
  };
}

let running: Promise<void> | undefined;

/** Runs every cleanup, newest first, once; later calls wait for the first. */
export function runCleanups(): Promise<void> {
  return (running ??= (async () => {
    while (cleanups.length > 0) {
      const cleanup = cleanups.pop()!;
      try {
        await cleanup();
      } catch (error) {
        process.stderr.write(`while stopping: ${(error as Error).message}\n`);
      }
    }
  })());
}

/** From the first moment on: a Ctrl+C before anything needs undoing still exits with 130, not a bare kill. */
export function handleSignals(): void {
  if (listening) return;
  listening = true;
  for (const [signal, code] of Object.entries(SIGNAL_CODES)) {
    process.on(signal, () => {
      if (exiting) return; // A second Ctrl+C while stopping: the chain is already being closed.
      exiting = true;
      process.stderr.write("\n");
      runCleanups().finally(() => process.exit(signalExitCode ?? code));
    });
  }
}
