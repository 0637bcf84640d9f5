// `npm start`, as a user at a terminal runs it: the first start boots the embedded chain, deploys
// and opens the session; leaving stops the chain; the next start finds everything; --reset wipes it;
// a port held by something else, or a remote URL with no node, is one clear line.
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { isEthereumNode } from "../../cli/chain/rpc";
import { CHAIN_RECORD_FILE } from "../../cli/start/embedded-chain/record";
import { alive, CARBON, closeTerminals, place, runScript, START, terminal, waitUntil, type Place, type Terminal } from "./harness";

const SIGN_IN = /\? Sign in as/;
// Quit is the last of the top menu's eight entries (the node's five, the two own-key ones, Quit).
const QUIT = "8\r";

function chainRecord(where: Place): { pid?: number; url?: string; genesisHash?: string } {
  try {
    return JSON.parse(fs.readFileSync(path.join(where.home, CHAIN_RECORD_FILE), "utf8"));
  } catch {
    return {};
  }
}

/** The processes serving `where`'s chain, found by its folder on their command line; undefined without Linux's /proc. */
function chainProcesses(where: Place): number[] | undefined {
  if (!fs.existsSync("/proc/self/cmdline")) return undefined;
  const folder = path.join(where.home, "chain");
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(folder);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** Opens a session and waits for its first prompt. */
async function start(where: Place, args: string[] = []): Promise<Terminal> {
  const session = terminal(START, args, where.env);
  await session.waitFor(SIGN_IN, 90_000);
  return session;
}

async function quit(session: Terminal): Promise<string> {
  session.type(QUIT);
  const { exitCode } = await session.exited;
  assert.equal(exitCode, 0, `npm start should exit 0 after Quit:\n${session.screen()}`);
  return session.screen();
}

async function carbonJson(where: Place, ...args: string[]): Promise<Record<string, unknown>> {
  const ran = await runScript(CARBON, ["--json", ...args], where.env);
  return JSON.parse(ran.stdout);
}

describe("npm start", () => {
  let where: Place;
  let marketAddress: string;

  before(async () => {
    where = await place();
  });

  after(() => {
    closeTerminals();
    where?.remove();
  });

  it("on a fresh machine: boots the embedded chain, deploys the market, opens the session; Quit stops the chain", async () => {
    const session = await start(where);
    const screen = session.screen();
    assert.match(screen, new RegExp(`✔ Embedded chain ready at ${where.url.replace(/\./g, "\\.")}`));
    marketAddress = /✔ Market deployed: Carbon at (0x[0-9a-fA-F]{40})/.exec(screen)?.[1] ?? "";
    assert.ok(marketAddress, `the market should be deployed:\n${screen}`);
    const { pid } = chainRecord(where);
    assert.ok(pid && alive(pid), "the chain runs in its own process");

    // The CLI in another terminal shares the chain while the session is open.
    assert.equal((await carbonJson(where, "register", "customer", "1", "--password", "first-start")).ok, true);
    assert.equal((await carbonJson(where, "issue", "1", "250")).ok, true);

    const after = await quit(session);
    assert.match(after, /✔ Embedded chain stopped; its state is kept in .*chain/);
    assert.ok(!alive(pid!), "leaving the session stops the chain");
    assert.equal(chainRecord(where).pid, undefined, "and the chain closed cleanly");
    assert.equal(await isEthereumNode(where.url), false, "nothing answers any more");
  });

  it("a second start finds everything: the market is not redeployed, accounts and balances are there", async () => {
    const session = await start(where);
    const screen = session.screen();
    assert.match(screen, new RegExp(`✔ Market found: Carbon at ${marketAddress}`));
    assert.doesNotMatch(screen, /Deploying/);
    const login = await carbonJson(where, "login", "1", "--password", "first-start");
    assert.deepEqual(login.roles, ["customer"], "the customer registered in the first session can log in");
    assert.equal((await carbonJson(where, "balance", "1")).customerCarbon, "250", "with the quota it was issued");
    await quit(session);
  });

  it("a start beside a running one shares its chain, and leaves it running when it ends", async () => {
    const first = await start(where);
    const second = await start(where);
    assert.match(second.screen(), new RegExp(`✔ Using the Ethereum node at ${where.url.replace(/\./g, "\\.")}`));
    const secondScreen = await quit(second);
    assert.doesNotMatch(secondScreen, /chain stopped/, "the second session did not start the chain, so it does not stop it");
    assert.equal(await isEthereumNode(where.url), true, "the first session's chain still runs");
    await quit(first);
  });

  it("--reset refuses while the chain runs", async () => {
    const session = await start(where);
    try {
      const ran = await runScript(START, ["--reset", "--yes"], where.env);
      assert.equal(ran.code, 2);
      assert.match(ran.stderr, /error: the chain is running \(process \d+, at http:\/\/127\.0\.0\.1:\d+\); stop it, then reset/);
    } finally {
      await quit(session);
    }
  });

  it("--reset asks first, and a no deletes nothing", async () => {
    const session = terminal(START, ["--reset"], where.env);
    // The question wraps at 80 columns: wait for its start and for the answer's hint.
    await session.waitFor(/Delete the chain in/);
    await session.waitFor(/\(y\/N\)/);
    session.type("n\r");
    const { exitCode } = await session.exited;
    assert.equal(exitCode, 1);
    assert.match(session.screen(), /error: reset cancelled: nothing was deleted/);
    assert.ok(fs.existsSync(path.join(where.home, "chain")), "the chain's state is still there");
  });

  it("--reset without --yes and without a terminal says to add --yes", async () => {
    const ran = await runScript(START, ["--reset"], where.env);
    assert.equal(ran.code, 2);
    assert.match(ran.stderr, /error: --reset asks for a confirmation, and there is no terminal to ask in; add --yes/);
  });

  it("--reset --yes wipes the state: the session opens on a new chain with a new market", async () => {
    const genesisBefore = chainRecord(where).genesisHash;
    const session = await start(where, ["--reset", "--yes"]);
    const screen = session.screen();
    assert.match(screen, /✔ Deleted the chain state in .*chain; a new chain starts empty/);
    assert.match(screen, /✔ Market deployed: Carbon at/);
    assert.notEqual(chainRecord(where).genesisHash, genesisBefore, "a new chain");
    const book = JSON.parse(fs.readFileSync(path.join(where.home, "deployments.json"), "utf8"));
    assert.deepEqual(Object.keys(book), [chainRecord(where).genesisHash], "the book forgot the deleted chain's market");
    const login = await carbonJson(where, "login", "1", "--password", "first-start");
    assert.deepEqual(login.roles, [], "the old registration is gone");
    await quit(session);
  });

  it("Ctrl+C while the chain boots leaves no chain running", async () => {
    const session = terminal(START, [], where.env);
    await session.waitFor(/Starting the embedded chain/);
    session.type("\x03");
    assert.equal((await session.exited).exitCode, 130);
    // The chain process finishes starting, sees its parent gone, and closes cleanly. With its parent
    // gone no chain process can appear any more, so waiting until none is left is enough; without
    // /proc, the 5 s it may take.
    const left = () => chainProcesses(where);
    if (left()) await waitUntil(() => left()!.length === 0, 15_000, "the chain process to close");
    else await new Promise((resolve) => setTimeout(resolve, 5_000));
    assert.equal(await isEthereumNode(where.url), false, "no chain answers");
    assert.equal(chainRecord(where).pid, undefined, "no chain process is recorded as running");
  });

  it("SIGTERM closes the session and stops the chain cleanly", async () => {
    const session = await start(where);
    const { pid } = chainRecord(where);
    session.kill("SIGTERM");
    const { exitCode } = await session.exited;
    assert.equal(exitCode, 143);
    await waitUntil(() => !alive(pid!), 10_000, "the chain process to stop");
    assert.equal(chainRecord(where).pid, undefined, "the chain closed cleanly");
  });
});

describe("npm start when it cannot start", () => {
  it("says so when the port is taken by something that is not an Ethereum node", async () => {
    const where = await place();
    const server = http.createServer((_, response) => response.end("<html>not a node</html>"));
    await new Promise<void>((resolve) => server.listen(where.port, "127.0.0.1", resolve));
    try {
      const ran = await runScript(START, [], where.env);
      assert.equal(ran.code, 3);
      assert.match(
        ran.stderr,
        new RegExp(`error: port ${where.port} on 127\\.0\\.0\\.1 is taken by something that is not an Ethereum node; stop it, or choose another port, e\\.g\\. CARBON_RPC_URL=http://127\\.0\\.0\\.1:${where.port + 1}\n$`),
      );
    } finally {
      server.close();
      where.remove();
    }
  });

  it("says so when no node answers at a remote CARBON_RPC_URL (it never starts a chain for one)", async () => {
    const where = await place({ CARBON_RPC_URL: "http://node.invalid:8545" });
    try {
      const ran = await runScript(START, [], where.env);
      assert.equal(ran.code, 3);
      assert.equal(ran.stderr, "error: no Ethereum node answers at http://node.invalid:8545; check CARBON_RPC_URL, or unset it to use the embedded chain\n");
      assert.ok(!fs.existsSync(path.join(where.home, "chain")), "no embedded chain was created");
    } finally {
      where.remove();
    }
  });

  it("rejects a CARBON_RPC_URL that is not an http(s) URL", async () => {
    const where = await place({ CARBON_RPC_URL: "ws://127.0.0.1:8545" });
    try {
      const ran = await runScript(START, [], where.env);
      assert.equal(ran.code, 2);
      assert.equal(ran.stderr, "error: CARBON_RPC_URL must be an http(s) URL, not ws://127.0.0.1:8545\n");
    } finally {
      where.remove();
    }
  });
});
