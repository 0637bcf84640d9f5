// When the embedded chain dies under `npm start`'s session: the session says so in words that fit
// (the embedded chain, its state kept), offers to start it again, and goes on when asked.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { CHAIN_RECORD_FILE } from "../../cli/start/embedded-chain/record";
import { closeTerminals, place, START, terminal, waitUntil, alive, type Place } from "./harness";

describe("npm start when its chain goes away", () => {
  let where: Place | undefined;
  after(() => {
    closeTerminals();
    where?.remove();
  });

  it("says the embedded chain stopped, offers to start it again, and does", async () => {
    where = await place();
    const session = terminal(START, [], where.env);
    await session.waitFor(/\? Sign in as/, 90_000);
    const record = JSON.parse(fs.readFileSync(path.join(where.home, CHAIN_RECORD_FILE), "utf8")) as { pid: number };
    process.kill(record.pid, "SIGKILL");
    await waitUntil(() => !alive(record.pid), 10_000, "the chain to die");
    session.type("1\r"); // Regulator: signing in reads the chain (a handover waiting to be accepted), which is gone
    await session.waitFor(/embedded chain stopped answering.*Retry starts it again/s, 30_000);
    await session.waitFor(/Start the embedded chain again and go on\?/, 10_000);
    session.type("y\r");
    await session.waitFor(/Embedded chain ready[\s\S]*\? Sign in as[\s\S]*\? Sign in as/, 60_000);
    const restarted = JSON.parse(fs.readFileSync(path.join(where.home, CHAIN_RECORD_FILE), "utf8")) as { pid: number };
    assert.notEqual(restarted.pid, record.pid, "a new chain process serves the same state");
    assert.ok(alive(restarted.pid), "the new chain runs");
    session.type("8\r"); // Quit: the last of the top menu's eight entries
    const { exitCode } = await session.exited;
    assert.equal(exitCode, 0, session.screen());
  });
});
