// The embedded chain's record, beside its state: which process serves it and where, and which chain
// (genesis hash) the folder holds. It gives the messages their facts ("the chain is already running
// at ..."), keeps `--reset` from deleting a chain that is running, and lets the reset forget the
// market that lived on the chain it deletes.
//
// LevelDB's own lock is what really keeps two processes off one folder; this record is what lets
// us explain it, so a stale one (a process killed with SIGKILL) is simply ignored.
import fs from "node:fs";
import path from "node:path";
import { carbonHome } from "../../chain/home";

export interface ChainRecord {
  /** The genesis block hash of the chain kept in .carbon/chain, once it has run. */
  genesisHash?: string;
  /** The process serving it and its URL, while it runs. */
  pid?: number;
  url?: string;
}

/** Beside the chain's folder in CARBON_HOME, not inside it: that folder is LevelDB's alone. */
export const CHAIN_RECORD_FILE = "embedded-chain.json";

export function chainRecordPath(): string {
  return path.join(carbonHome(), CHAIN_RECORD_FILE);
}

export function readChainRecord(): ChainRecord {
  try {
    return JSON.parse(fs.readFileSync(chainRecordPath(), "utf8")) as ChainRecord;
  } catch {
    return {};
  }
}

export function writeChainRecord(record: ChainRecord): void {
  const file = chainRecordPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(record, null, 2) + "\n");
  fs.renameSync(temporary, file);
}

export function removeChainRecord(): void {
  fs.rmSync(chainRecordPath(), { force: true });
}

/** The process serving the embedded chain now, if the record names one that is alive. */
export function runningChain(record = readChainRecord()): { pid: number; url: string } | undefined {
  if (!record.pid || !record.url || record.pid === process.pid) return undefined;
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    // EPERM: alive but someone else's; ESRCH: gone.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  return { pid: record.pid, url: record.url };
}
