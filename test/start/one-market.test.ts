// One market per chain, found from the chain: a clone with an empty CARBON_HOME, a moved deployment
// book, `npm run migrate`, `npm run demo` (here with its lesson in progress) and `npm start` all join
// the market already there; only --new-market deploys another; --market picks one or says in a line
// that it is none; two first deploys at once make one market; Truffle never answers with an address
// that has no code.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Compliance } from "../../cli/chain/compliance";
import { connect } from "../../cli/chain/connect";
import { discoverMarket, MARKET_SET_TOPIC } from "../../cli/chain/discovery";
import { ARTIFACTS_DIR } from "../../cli/chain/home";
import { Lesson } from "../../cli/chain/lesson";
import { chainIdentity, HttpRpc } from "../../cli/chain/rpc";
import { lessonResults } from "../../cli/lesson/results";
import { DEMO_LESSON } from "../../cli/start/demo/lesson";
import { ALREADY_SEEDED, DEMO_SCENARIO, seedDemoScenario } from "../../cli/start/demo/scenario";
import { deployMarket } from "../support/migrated-market";
import { run, startTestChain, TRUFFLE, type TestChain } from "../support/test-chain";
import { CARBON, closeTerminals, MIGRATE, runScript, START, terminal } from "./harness";

/** The distinct markets the chain's registries were ever wired to, oldest first. */
async function markets(url: string): Promise<string[]> {
  const logs = await new HttpRpc(url).request<Array<{ topics: string[] }>>("eth_getLogs", [{ fromBlock: "0x0", toBlock: "latest", topics: [MARKET_SET_TOPIC] }]);
  return [...new Set(logs.map((log) => "0x" + log.topics[1].slice(-40)))];
}

function emptyHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "carbon-clone-"));
}

function envFor(chain: TestChain, home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { CARBON_MARKET: _m, CARBON_NEW_MARKET: _n, CARBON_DEMO: _d, ...rest } = chain.env;
  return { ...rest, CARBON_HOME: home, NO_COLOR: "1", ...extra };
}

describe("one market per chain", () => {
  let chain: TestChain;
  let first: string;

  before(async () => {
    chain = await startTestChain();
    // The market already there is the recorded migration's; the migrations under test run after it.
    await deployMarket(chain);
    [first] = await markets(chain.url);
  });

  after(async () => {
    closeTerminals();
    await chain?.stop();
  });

  it("npm run demo -- --lesson from an empty CARBON_HOME joins the market on the chain and seeds it, with a lesson in progress", async () => {
    // The demo runs the market's migration first, as `npm run migrate` does, then seeds.
    const home = emptyHome();
    const ran = await runScript(MIGRATE, ["--demo", "--lesson"], envFor(chain, home), 240_000);
    assert.equal(ran.code, 0, `${ran.stdout}${ran.stderr}`);
    assert.match(ran.stdout, new RegExp(`already deployed on this chain: Carbon at ${first}`, "i"), "the migration names the market it found");
    assert.deepEqual(await markets(chain.url), [first], "no second market");

    // The lesson: the demo's customers and its automatic firms, whose keys this home keeps, in a round the automatic firms played once.
    assert.match(ran.stdout, new RegExp(`✔ ${DEMO_SCENARIO.customers.length + DEMO_LESSON.automatic} firms, ${DEMO_LESSON.automatic} automatic \\(seed ${DEMO_LESSON.seed}\\)`));
    const traded = /✔ Round 1 played: (\d+) units traded/.exec(ran.stdout);
    assert.ok(traded, `the automatic firms played:\n${ran.stdout}`);
    Object.assign(process.env, { CARBON_HOME: home, CARBON_RPC_URL: chain.url });
    const market = await connect({ rpc: chain.url });
    try {
      const accounts = await market.accounts();
      const lesson = await Lesson.attach(market);
      const automatic = (JSON.parse(fs.readFileSync(path.join(home, "automatic-firms.json"), "utf8")) as { keys: Array<{ address: string }> }).keys.map((key) => key.address);
      const people = DEMO_SCENARIO.customers.map(({ index }) => accounts[index]);
      assert.deepEqual(new Set(await lesson.firmAccounts()), new Set([...people, ...automatic]), "a firm for each demo customer and each automatic key");
      const compliance = new Compliance(market);
      const current = (await compliance.currentPeriod())!;
      assert.ok(current.open, "the round stays open for the class");
      assert.equal((await lesson.round(current.periodId)).cut, ((await lesson.totalBaseline()) * 30n) / 100n, "a cut of 30 %");
      assert.equal(await compliance.periodByLabel("2026"), undefined, "the round takes the compliance period's place");
      for (const firm of automatic) assert.ok((await lesson.firmRound(firm, current.periodId)).verified, `automatic firm ${firm} played the round through`);
      for (const firm of people) assert.deepEqual((await lesson.firmRound(firm, current.periodId)).abated, 0n, "Ana's and Ben's firms are left to play");
      const [round] = (await lessonResults(market)).rounds;
      assert.equal(round.volume, BigInt(traded[1]), "what the demo says traded is the book's volume in the round");
      assert.ok(round.volume > 0n && round.efficiency !== undefined, "the results have a price and an efficiency to show");

      // A second run reads the chain and sends nothing.
      const before = await market.blockNumber();
      const lines: string[] = [];
      await seedDemoScenario((line) => lines.push(line), { lesson: true });
      assert.equal(lines[0], ALREADY_SEEDED);
      assert.equal(await market.blockNumber(), before, "no transaction was sent");
    } finally {
      market.close();
    }
  });

  it("npm start from an empty CARBON_HOME finds the market", async () => {
    // The session needs a terminal (without one npm start exits 2 at once), so it runs in a pty.
    const started = terminal(START, [], envFor(chain, emptyHome()));
    try {
      await started.waitFor(/Market found: Carbon at 0x[0-9a-f]{40}/i, 60_000);
      assert.match(started.screen(), new RegExp(`Carbon at ${first}`, "i"), "the market found is the one on the chain");
    } finally {
      started.kill("SIGKILL");
      await started.exited;
    }
    assert.deepEqual(await markets(chain.url), [first], "no second market");
  });

  it("a moved deployments.json and artifacts without the network never lead to a second market", async () => {
    const book = path.join(chain.home, "deployments.json");
    assert.ok(fs.existsSync(book), "the first migration wrote the book");
    fs.renameSync(book, `${book}.moved`);
    stripNetworkEntries();
    const ran = await runScript(MIGRATE, [], chain.env);
    assert.equal(ran.code, 0, ran.stderr);
    assert.deepEqual(await markets(chain.url), [first], "no second market");
    assert.match(fs.readFileSync(book, "utf8"), new RegExp(first, "i"), "the book names the market found");
  });

  it("--market with an address that is not a market: one line, exit 3", async () => {
    const notMarket = "0x" + "00".repeat(19) + "01";
    const cli = await runScript(CARBON, ["market"], envFor(chain, emptyHome(), { CARBON_MARKET: notMarket }));
    assert.equal(cli.code, 3, `${cli.stdout}${cli.stderr}`);
    assert.match(cli.stderr, /is not a Carbon market wired to its registries/, "the CLI says what the address is not");
    const migrate = await runScript(MIGRATE, ["--market", "0x" + "ab".repeat(20)], envFor(chain, emptyHome()));
    assert.equal(migrate.code, 3, migrate.stderr);
    assert.equal(migrate.stderr.trim().split("\n").length, 1, `one line:\n${migrate.stderr}`);
  });

  it("--new-market deploys a second one on purpose; others still find the oldest, and --market picks either", async () => {
    const ran = await runScript(MIGRATE, ["--new-market"], envFor(chain, emptyHome()));
    assert.equal(ran.code, 0, ran.stderr);
    const all = await markets(chain.url);
    assert.equal(all.length, 2, "a second market, on purpose");
    // A clone finds the oldest: the discovery every migration and client runs, from nothing cached.
    const rpc = new HttpRpc(chain.url);
    const found = await discoverMarket(rpc, { genesisHash: (await chainIdentity(rpc)).genesisHash, fresh: true });
    assert.equal(found?.Carbon.toLowerCase(), first.toLowerCase(), "a clone finds the oldest");
    const chosen = await runScript(CARBON, ["market", "--json"], envFor(chain, emptyHome(), { CARBON_MARKET: all[1] }));
    assert.equal(chosen.code, 0, chosen.stderr);
  });
});

describe("two first deploys at once", () => {
  it("make one market: one deploys, the other waits and finds it", async () => {
    const chain = await startTestChain();
    try {
      // The second waits for the whole of the first, so it gets both their times under a loaded machine.
      const [a, b] = await Promise.all([runScript(MIGRATE, [], chain.env, 240_000), runScript(MIGRATE, [], chain.env, 240_000)]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      assert.equal((await markets(chain.url)).length, 1, "one market");
      assert.match(a.stdout + b.stdout, /already deployed on this chain/, "the second found the first's market");
    } finally {
      await chain.stop();
    }
  });
});

describe("Truffle on a second chain", () => {
  let one: TestChain;
  let two: TestChain;
  let script: string;

  before(async () => {
    [one, two] = await Promise.all([startTestChain(), startTestChain()]);
    await deployMarket(one);
    script = path.join(one.home, "deployed.js");
    fs.writeFileSync(
      script,
      `module.exports = async (done) => {
  try { const c = await artifacts.require("Carbon").deployed(); console.log("ADDRESS " + c.address + " CODE " + (await web3.eth.getCode(c.address)).length); }
  catch (e) { console.log("ERROR " + String(e.message).split("\\n")[0]); }
  done();
};\n`,
    );
  });

  after(async () => {
    await one?.stop();
    await two?.stop();
  });

  async function exec(chain: TestChain): Promise<string> {
    const { CARBON_ARTIFACTS_SYNCED: _s, ...env } = chain.env;
    const { output } = await run(TRUFFLE, ["exec", script, "--network", "development"], env, true);
    return output;
  }

  it("says the market is not deployed on a chain without one, instead of the other chain's address", async () => {
    const output = await exec(two);
    assert.doesNotMatch(output, /ADDRESS .* CODE 2\b/, `no codeless address:\n${output}`);
    assert.match(output, /ERROR .*not been deployed/, `Truffle says it is not deployed:\n${output}`);
  });

  it("answers with each chain's own market once both have one", async () => {
    await deployMarket(two);
    const [onTwo] = await markets(two.url);
    assert.match(await exec(two), new RegExp(`ADDRESS ${onTwo} CODE \\d{3,}`, "i"), "chain two's market");
    const [onOne] = await markets(one.url);
    assert.match(await exec(one), new RegExp(`ADDRESS ${onOne} CODE \\d{3,}`, "i"), "chain one's market");
  });
});

function stripNetworkEntries(): void {
  for (const name of ["Carbon", "Customer", "Seller"]) {
    const file = path.join(ARTIFACTS_DIR, `${name}.json`);
    const artifact = JSON.parse(fs.readFileSync(file, "utf8"));
    artifact.networks = {};
    fs.writeFileSync(file, JSON.stringify(artifact, null, 2));
  }
}
