// State never silently rolled back: a chain whose database lost its log, or its CURRENT file, or
// that hit a full disk, says so in one line, and its files are left exactly as they were.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { HttpRpc } from "../../cli/chain/rpc";
import { background, CHAIN, place, runScript, type Place } from "./harness";

const BLOCKS = 25;

/** Runs `npm run chain`, mines BLOCKS transactions, and stops it cleanly. */
async function chainWithBlocks(where: Place): Promise<void> {
  const chain = background(CHAIN, [], where.env);
  await chain.waitFor(/Ctrl\+C stops the chain/, 90_000);
  const [from, to] = await where.rpc.request<string[]>("eth_accounts");
  for (let i = 0; i < BLOCKS; i++) await where.rpc.request("eth_sendTransaction", [{ from, to, value: "0x1" }]);
  // The head record follows the chain every half second.
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  chain.child.kill("SIGINT");
  const { code } = await chain.exited;
  assert.equal(code, 0, `the chain stopped cleanly:\n${chain.output()}`);
}

/** Every file of the database with its content's hash: what "left as it was" is checked against. */
function fingerprint(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    if (name === "LOCK" || name.startsWith("LOG")) continue; // LevelDB's own lock and info log.
    files[name] = crypto.createHash("sha256").update(fs.readFileSync(path.join(dir, name))).digest("hex");
  }
  return files;
}

function logFile(dir: string): string {
  const log = fs.readdirSync(dir).find((name) => name.endsWith(".log"));
  assert.ok(log, `the database has a .log file: ${fs.readdirSync(dir).join(", ")}`);
  return path.join(dir, log);
}

describe("a chain that lost blocks or files", () => {
  const places: Place[] = [];
  /** One CARBON_HOME whose chain was mined and stopped cleanly, copied whole for each test to damage. */
  let mined: Place;

  before(async () => {
    mined = await place();
    places.push(mined);
    await chainWithBlocks(mined);
  });

  after(() => places.forEach((where) => where.remove()));

  async function damagedChain(damage: (dir: string) => void): Promise<{ where: Place; dir: string; before: Record<string, string> }> {
    const where = await place();
    places.push(where);
    // What a clean stop left (database, head record, chain record) is all that a start reads, so a
    // copy of it is that chain: each test damages its own without mining and stopping another.
    fs.cpSync(mined.home, where.home, { recursive: true });
    const dir = path.join(where.home, "chain");
    damage(dir);
    return { where, dir, before: fingerprint(dir) };
  }

  it("refuses a truncated log, naming the blocks lost, and leaves the files as they were", async () => {
    const { where, dir, before } = await damagedChain((dir) => {
      const log = logFile(dir);
      fs.truncateSync(log, Math.floor(fs.statSync(log).size / 2));
    });
    const ran = await runScript(CHAIN, [], where.env, 60_000);
    assert.equal(ran.code, 3, `refused with exit 3:\n${ran.stdout}${ran.stderr}`);
    assert.match(ran.stderr, new RegExp(`blocks \\d+\\.\\.${BLOCKS} are missing`), `the lost blocks are named:\n${ran.stderr}`);
    assert.match(ran.stderr, /--accept-rollback|--reset/, "the message says how to go on");
    assert.deepEqual(fingerprint(dir), before, "no file of the database changed");

    const accepted = background(CHAIN, ["--accept-rollback"], where.env);
    try {
      await accepted.waitFor(/Ctrl\+C stops the chain/, 60_000);
      assert.ok(Number(await new HttpRpc(where.url).request<string>("eth_blockNumber")) < BLOCKS, "with --accept-rollback it opens at the earlier block");
    } finally {
      accepted.child.kill("SIGINT");
      await accepted.exited;
    }
  });

  it("refuses a deleted log: every block since the last start is named", async () => {
    const { where, dir, before } = await damagedChain((dir) => fs.rmSync(logFile(dir)));
    const ran = await runScript(CHAIN, [], where.env, 60_000);
    assert.equal(ran.code, 3, ran.stderr);
    assert.match(ran.stderr, new RegExp(`blocks 1\\.\\.${BLOCKS} are missing`), ran.stderr);
    assert.deepEqual(fingerprint(dir), before, "no file of the database changed");
  });

  it("names garbage in an .ldb file as damage before Ganache opens it, and changes nothing", async () => {
    const { where, dir, before } = await damagedChain(() => undefined);
    // A second start turns the log into an .ldb table.
    const again = background(CHAIN, [], where.env);
    await again.waitFor(/Ctrl\+C stops the chain/, 60_000);
    again.child.kill("SIGINT");
    await again.exited;
    const table = fs.readdirSync(dir).filter((name) => name.endsWith(".ldb")).map((name) => path.join(dir, name)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
    assert.ok(table && before, `an .ldb file to damage: ${fs.readdirSync(dir).join(", ")}`);
    const handle = fs.openSync(table, "r+");
    fs.writeSync(handle, Buffer.alloc(4_000, "Z"), 0, 4_000, Math.floor(fs.statSync(table).size / 3));
    fs.closeSync(handle);
    const damagedFiles = fingerprint(dir);
    const ran = await runScript(CHAIN, [], where.env, 60_000);
    assert.equal(ran.code, 3, ran.stderr);
    assert.match(ran.stderr, /is damaged: LevelDB reports Corruption/, ran.stderr);
    assert.deepEqual(fingerprint(dir), damagedFiles, "no file of the database changed");
  });

  it("names a database without CURRENT as damaged and deletes nothing", async () => {
    const { where, dir, before } = await damagedChain((dir) => fs.rmSync(path.join(dir, "CURRENT")));
    const ran = await runScript(CHAIN, [], where.env, 60_000);
    assert.equal(ran.code, 3, ran.stderr);
    assert.match(ran.stderr, /database in .* is damaged: its CURRENT file is missing/, ran.stderr);
    assert.equal(ran.stderr.trim().split("\n").filter((line) => /^error/.test(line)).length, 1, "one error line");
    assert.deepEqual(fingerprint(dir), before, "every file is still there, unchanged");
  });
});

describe("a full disk", () => {
  it("stops the chain cleanly with one line, without Ganache's source", async (t) => {
    const mount = fs.mkdtempSync(path.join(os.tmpdir(), "carbon-full-"));
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mount], { stdio: "ignore" });
    } catch {
      fs.rmSync(mount, { recursive: true, force: true });
      t.skip("cannot mount a small tmpfs here (needs root)");
      return;
    }
    try {
      const where = await place({ CARBON_HOME: mount });
      const chain = background(CHAIN, [], where.env);
      await chain.waitFor(/Ctrl\+C stops the chain/, 60_000);
      const [from, to] = await where.rpc.request<string[]>("eth_accounts");
      const rpc = new HttpRpc(where.url, 5_000);
      const exited = chain.exited.then(() => true);
      for (let i = 0; i < 400; i++) {
        // A write that meets the full disk never answers (the request times out); the chain then stops.
        const send = rpc.request("eth_sendTransaction", [{ from, to, value: "0x1", gas: "0x100000", data: "0x" + "ab".repeat(8_000) }]);
        const done = await Promise.race([send.then(() => false, () => false), exited]);
        if (done) break;
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the chain did not stop:\n${chain.output()}`)), 30_000)));
      // Cleared once the chain has stopped: a pending timer would hold the file open its full 30 s.
      const { code } = await Promise.race([chain.exited, timeout]).finally(() => clearTimeout(timer));
      assert.equal(code, 1, "the chain exits with 1");
      const output = chain.output();
      assert.match(output, /^error: the disk holding the chain \(.*\) is full; the chain stopped/m, output);
      assert.ok(output.length < 6_000, `no megabytes of minified source (${output.length} characters)`);
      assert.equal(output.split("\n").filter((line) => /^error/.test(line)).length, 1, "one error line");
    } finally {
      execFileSync("umount", ["-l", mount], { stdio: "ignore" });
      fs.rmSync(mount, { recursive: true, force: true });
    }
  });
});
