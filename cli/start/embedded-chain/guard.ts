// Keeping the embedded chain's state from being lost without a word.
//
// LevelDB repairs what it opens: a truncated or deleted .log is replayed as far as it goes and the
// rest dropped, and a folder without CURRENT is taken for a new database, whose first compaction
// deletes the old .ldb files. Ganache then starts at an earlier block, or at block 0, as if nothing
// happened. So before Ganache opens the folder:
//   - a folder that holds LevelDB files but no CURRENT (or a CURRENT naming no manifest) is named as
//     damaged, and not opened at all;
//   - the folder is copied aside (immutable .ldb files hard-linked, the rest copied), and put back
//     exactly as it was if the open fails or what opened has lost blocks;
// and once it is open, its head is compared with the last block the product saw (chain-head.json,
// kept beside the folder and updated as blocks are mined). Fewer blocks means blocks were lost:
// refused, naming them, unless the user accepts the loss. The copy of the last good start is kept
// as chain-backup, which is what the messages offer to restore.
import fs from "node:fs";
import path from "node:path";
import { UnavailableError } from "../../support/errors";
import { carbonHome } from "../../chain/home";
import { shortPath } from "../shortpath";

export interface ChainHead {
  genesisHash: string;
  block: number;
  hash: string;
  at: string;
}

export class DamagedChainError extends UnavailableError {}
export class RolledBackError extends UnavailableError {}

export function chainHeadPath(): string {
  return path.join(carbonHome(), "chain-head.json");
}

export function readChainHead(): ChainHead | undefined {
  try {
    return JSON.parse(fs.readFileSync(chainHeadPath(), "utf8")) as ChainHead;
  } catch {
    return undefined;
  }
}

/** Written to a temporary file and renamed; a full disk only costs this update, never the chain. */
export function writeChainHead(head: ChainHead): void {
  const file = chainHeadPath();
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, JSON.stringify(head) + "\n");
    fs.renameSync(temporary, file);
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}

const DATA_FILE = /^(\d+\.(ldb|sst|log)|MANIFEST-\d+)$/;

/** Whether the folder holds a database at all ("new"), and a one-line reason if it is visibly damaged. */
export function inspectDatabase(dbPath: string): "new" | "existing" {
  let names: string[];
  try {
    names = fs.readdirSync(dbPath);
  } catch {
    return "new";
  }
  const data = names.filter((name) => DATA_FILE.test(name));
  if (data.length === 0) return "new";
  if (!names.includes("CURRENT")) {
    throw damaged(dbPath, "its CURRENT file is missing, so LevelDB would take it for a new, empty database and delete the old files");
  }
  const manifest = fs.readFileSync(path.join(dbPath, "CURRENT"), "utf8").trim();
  if (!/^MANIFEST-\d+$/.test(manifest) || !names.includes(manifest)) {
    throw damaged(dbPath, `its CURRENT file names ${JSON.stringify(manifest.slice(0, 40))}, which is not there`);
  }
  return "existing";
}

export function damaged(dbPath: string, why: string): DamagedChainError {
  return new DamagedChainError(
    `the chain database in ${shortPath(dbPath)} is damaged: ${why}; nothing was changed in it. ` +
      `Restore it from a backup${backupHint()}, or start a new chain with \`npm start -- --reset\``,
  );
}

export function rolledBack(dbPath: string, seen: ChainHead, head: number): RolledBackError {
  const lost = head + 1 === seen.block ? `block ${seen.block} is` : `blocks ${head + 1}..${seen.block} are`;
  return new RolledBackError(
    `the chain in ${shortPath(dbPath)} opens at block ${head}, but block ${seen.block} was mined on it (${seen.at}): ${lost} missing ` +
      `(a damaged or replaced database log); its files are left as they were. Restore it from a backup${backupHint()}, ` +
      `continue without them with --accept-rollback, or start over with \`npm start -- --reset\``,
  );
}

function backupHint(): string {
  const backup = backupDir();
  return fs.existsSync(backup) ? ` (a copy from the last good start is in ${shortPath(backup)})` : "";
}

export function backupDir(): string {
  return path.join(carbonHome(), "chain-backup");
}

function openingCopyDir(): string {
  return path.join(carbonHome(), "chain-opening");
}

/** Copies the folder aside before it is opened; returns how to put it back, and how to keep the copy as the backup. */
export function protectBeforeOpening(dbPath: string): { restore(): void; keep(): void } {
  const copy = openingCopyDir();
  fs.rmSync(copy, { recursive: true, force: true });
  fs.mkdirSync(copy, { recursive: true });
  for (const name of fs.readdirSync(dbPath)) {
    if (name === "LOCK") continue;
    const from = path.join(dbPath, name);
    const to = path.join(copy, name);
    // .ldb/.sst files are never changed once written, only deleted: a hard link is a copy.
    if (/\.(ldb|sst)$/.test(name)) {
      try {
        fs.linkSync(from, to);
        continue;
      } catch {
        // Another file system, or no links: copy.
      }
    }
    fs.copyFileSync(from, to);
  }
  return {
    restore() {
      for (const name of fs.readdirSync(dbPath)) if (name !== "LOCK") fs.rmSync(path.join(dbPath, name), { force: true, recursive: true });
      for (const name of fs.readdirSync(copy)) fs.renameSync(path.join(copy, name), path.join(dbPath, name));
      fs.rmSync(copy, { recursive: true, force: true });
    },
    keep() {
      const backup = backupDir();
      fs.rmSync(backup, { recursive: true, force: true });
      fs.renameSync(copy, backup);
    },
  };
}
