// One deployment at a time per chain from this CARBON_HOME: two `npm start` (or migrate, demo) on a
// fresh node both see no market; the first takes the lock and deploys, the second waits, then
// finds that market on the chain (discovery) instead of deploying its own. Clones with different
// homes can still race; discovery's "oldest wired market wins" makes them agree afterwards.
//
// The lock is a file created exclusively, naming its holder's pid, so a holder killed with SIGKILL
// leaves a lock the next one recognises as stale and takes over.
import fs from "node:fs";
import path from "node:path";
import { UnavailableError } from "../../support/errors";
import { carbonHome } from "../../chain/home";
import { processAlive } from "../../chain/process-alive";

const WAIT_MS = 180_000;
const POLL_MS = 200;

export function deployLockPath(genesisHash: string): string {
  return path.join(carbonHome(), "locks", `deploy-${genesisHash.toLowerCase().slice(2, 18)}.lock`);
}

export async function withDeployLock<T>(genesisHash: string, work: () => Promise<T>, onWait?: (holder: number) => void): Promise<T> {
  const file = deployLockPath(genesisHash);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + WAIT_MS;
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number(readQuietly(file));
    if (!holder || !processAlive(holder)) {
      // Stale: its holder is gone. Remove it only if it is still the same stale file.
      if (readQuietly(file) === String(holder)) fs.rmSync(file, { force: true });
      continue;
    }
    if (!told) {
      onWait?.(holder);
      told = true;
    }
    if (Date.now() > deadline) throw new UnavailableError(`another deployment (process ${holder}) has held ${file} for ${WAIT_MS / 1000} s; stop it, or delete the file if it is gone`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    if (readQuietly(file) === String(process.pid)) fs.rmSync(file, { force: true });
  }
}

function readQuietly(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}
