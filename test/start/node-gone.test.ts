// When the embedded chain dies under `npm start`'s session: the session says so in words that fit
// (the embedded chain, its state kept), offers to start it again, and goes on when asked, with a
// signed-in user still signed in.
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

  it("says the embedded chain stopped, offers to start it again, and does, keeping a signed-in user signed in", async () => {
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

    // Signed in when the chain dies: once it is started again, the same menu comes back, signed in.
    session.type("1\r");
    await session.waitFor(/Regulator 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\s+\? What would you like to do\?/, 30_000);
    process.kill(restarted.pid, "SIGKILL");
    await waitUntil(() => !alive(restarted.pid), 10_000, "the chain to die again");
    const before = session.screen().length;
    session.type("2\r"); // Market supervision reads the chain, which is gone
    await waitUntil(() => /Start the embedded chain again and go on\?/.test(session.screen().slice(before)), 30_000, "the offer to start it again");
    session.type("y\r");
    await waitUntil(() => /Back on the chain at .*: go on where you were\s+Regulator 0xf39f\w+\s+\? What would you like to do\?[\s\S]*13\. Log out/.test(session.screen().slice(before)), 60_000, `the regulator's menu again:\n${session.screen().slice(before)}`);
    assert.doesNotMatch(session.screen().slice(before), /Sign in as/, "nobody was signed out");
    session.type("2\r");
    await waitUntil(() => /customers\s+0/.test(session.screen().slice(before)), 30_000, `market supervision after the restart:\n${session.screen().slice(before)}`);
    session.type("13\r"); // Log out
    await waitUntil(() => /\? Sign in as/.test(session.screen().slice(before)), 10_000, "the top menu");
    session.type("8\r"); // Quit: the last of the top menu's eight entries
    const { exitCode } = await session.exited;
    assert.equal(exitCode, 0, session.screen());
  });
});
