// Reading every entry of the chain's database before Ganache opens it: garbage in an .ldb file opens
// without a word and fails only when that block is read (the issue saw it as "a failed deployment").
// The scan runs on a throw-away copy (LevelDB rewrites what it opens), in a child process (a
// damaged file can abort LevelDB's native code), with Ganache's own LevelDB binding.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const SCAN_TIMEOUT_MS = 120_000;

/** LevelDB's complaint about the database, or undefined when every entry reads back. */
export async function scanDatabase(dbPath: string, scratch: string): Promise<string | undefined> {
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  try {
    for (const name of fs.readdirSync(dbPath)) {
      if (name === "LOCK") continue;
      const from = path.join(dbPath, name);
      const to = path.join(scratch, name);
      try {
        if (/\.(ldb|sst)$/.test(name)) {
          fs.linkSync(from, to); // never changed once written: a link is a copy
          continue;
        }
      } catch {
        // Another file system: copy.
      }
      fs.copyFileSync(from, to);
    }
    return await new Promise((resolve) => {
      const child = spawn(process.execPath, [__filename, scratch], { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      const timer = setTimeout(() => child.kill("SIGKILL"), SCAN_TIMEOUT_MS);
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        const line = output.trim().split("\n").pop() ?? "";
        if (line === "ok") return resolve(undefined);
        if (line.startsWith("error: ")) return resolve(line.slice("error: ".length));
        resolve(signal === "SIGKILL" ? undefined : `LevelDB stopped while reading it (${signal ?? `exit code ${code}`})`);
      });
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function scan(dir: string): void {
  const ganacheDir = path.dirname(require.resolve("ganache/package.json"));
  const leveldown = require(require.resolve("leveldown", { paths: [ganacheDir] })) as (location: string) => LevelDown;
  const db = leveldown(dir);
  const fail = (error: Error) => {
    process.stdout.write(`error: ${error.message.split("\n")[0]}\n`);
    process.exit(0);
  };
  db.open({ createIfMissing: false }, (error) => {
    if (error) return fail(error);
    const iterator = db.iterator({ keyAsBuffer: true, valueAsBuffer: true });
    const next = (): void =>
      iterator.next((failure, key) => {
        if (failure) return fail(failure);
        if (key === undefined) {
          process.stdout.write("ok\n");
          process.exit(0);
        }
        next();
      });
    next();
  });
}

interface LevelDown {
  open(options: { createIfMissing: boolean }, callback: (error?: Error) => void): void;
  iterator(options: object): { next(callback: (error: Error | undefined, key?: Buffer, value?: Buffer) => void): void };
}

if (require.main === module) scan(process.argv[2]);
