// The embedded chain: it keeps every confirmed transaction across a kill -9, stops cleanly, refuses
// a second server on its state, and runs in the foreground as `npm run chain`.
import assert from "node:assert/strict";
import http from "node:http";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { connect } from "../../cli/chain/connect";
import type { Market } from "../../cli/chain/market";
import { readChainRecord } from "../../cli/start/embedded-chain/record";
import { ChainStartError } from "../../cli/start/embedded-chain/server";
import { startEmbeddedChain, type EmbeddedChain } from "../../cli/start/embedded-chain/supervisor";
import { deployMarket } from "../support/migrated-market";
import { alive, background, CARBON, CHAIN, MIGRATE, place, runScript, type Place } from "./harness";

/** The chain process reads CARBON_HOME from the environment it inherits from this test. */
function useHome(where: Place): void {
  process.env.CARBON_HOME = where.home;
  process.env.CARBON_RPC_URL = where.url;
}

function chainAt(where: Place, port = where.port): Promise<EmbeddedChain> {
  return startEmbeddedChain({ host: "127.0.0.1", port, dbPath: path.join(where.home, "chain") });
}

async function withMarket<T>(where: Place, use: (market: Market, accounts: string[]) => Promise<T>): Promise<T> {
  const market = await connect({ rpc: where.url });
  try {
    return await use(market, await market.accounts());
  } finally {
    market.close();
  }
}

describe("the embedded chain after a kill -9", () => {
  let where: Place;
  let chain: EmbeddedChain;

  before(async () => {
    where = await place();
    useHome(where);
    chain = await chainAt(where);
    // Only a market is needed here: the recorded migration replayed, not Truffle's 3 s. The migration
    // against this chain is the "npm run chain" test's, below.
    await deployMarket(where);
  });

  after(async () => {
    await chain?.stop();
    where?.remove();
  });

  it("keeps a confirmed registration and quota issued right before the kill", async () => {
    const { block, customer } = await withMarket(where, async (market, accounts) => {
      const registered = await market.newCustomer(accounts[1], "kill-nine");
      assert.ok(registered.ok, `registration failed: ${registered.message}`);
      const issued = await market.sendCarbonToCustomer(accounts[1], 42n);
      assert.ok(issued.ok, `issuing failed: ${issued.message}`);
      // No pause: the process dies as soon as the receipt is in.
      process.kill(chain.pid, "SIGKILL");
      return { block: issued.block, customer: accounts[1] };
    });
    const lost = await chain.lost;
    assert.equal(lost.signal, "SIGKILL", "the chain process should have died of the SIGKILL");

    chain = await chainAt(where);
    assert.equal(Number(await where.rpc.request<string>("eth_blockNumber")), block, "the chain should restart at the block of the last confirmed transaction");
    await withMarket(where, async (market) => {
      assert.equal(await market.customerCarbonAmount(customer), 42n, "the quota issued before the kill should be there");
      assert.ok((await market.checkPassword(customer, "kill-nine")).customer, "the registration's password should still open the account");
    });
  });

  it("keeps each of several transactions, each followed at once by a kill -9", async () => {
    for (let round = 1; round <= 3; round++) {
      const { lotId, seller } = await withMarket(where, async (market, accounts) => {
        const seller = accounts[3];
        if (!(await market.roles(seller)).seller) assert.ok((await market.newSeller(seller, "seller")).ok, "seller registration failed");
        const lotId = `KILL-${round}`;
        const published = await market.addCarbon(seller, lotId, BigInt(round * 10));
        assert.ok(published.ok, `publishing ${lotId} failed: ${published.message}`);
        process.kill(chain.pid, "SIGKILL");
        return { lotId, seller };
      });
      await chain.lost;
      chain = await chainAt(where);
      await withMarket(where, async (market) => {
        const lot = await market.lot(lotId);
        assert.equal(lot?.seller, seller, `round ${round}: lot ${lotId} should have survived the kill`);
      });
    }
  });
});

describe("the embedded chain's life", () => {
  let where: Place;

  before(async () => {
    where = await place();
    useHome(where);
  });

  after(() => where?.remove());

  it("stops cleanly: the process exits, the record forgets it, and a restart finds the same chain", async () => {
    const first = await chainAt(where);
    const genesis = first.genesisHash;
    assert.equal(readChainRecord().pid, first.pid, "the record should name the serving process");
    await first.stop();
    assert.ok(!alive(first.pid), "the chain process should have exited");
    assert.equal(readChainRecord().pid, undefined, "the record should no longer name a process");
    assert.equal(readChainRecord().genesisHash, genesis, "the record should keep the chain's genesis hash");

    const second = await chainAt(where);
    try {
      assert.equal(second.genesisHash, genesis, "the restarted chain should be the same chain");
    } finally {
      await second.stop();
    }
  });

  it("refuses a second server on the same state, naming the first one's URL", async () => {
    const first = await chainAt(where);
    try {
      const otherPort = where.port + 1;
      await assert.rejects(chainAt(where, otherPort), (error: Error) => {
        assert.ok(error instanceof ChainStartError, `expected a ChainStartError, got ${error}`);
        assert.equal(error.reason, "in-use");
        assert.match(error.message, new RegExp(`already served by process ${first.pid} at ${first.url}`));
        return true;
      });
    } finally {
      await first.stop();
    }
  });

  it("says so when the port is taken by something that is not an Ethereum node", async () => {
    const server = http.createServer((_, response) => response.end("not json-rpc"));
    await new Promise<void>((resolve) => server.listen(where.port, "127.0.0.1", resolve));
    try {
      await assert.rejects(chainAt(where), /port \d+ on 127\.0\.0\.1 is taken by something that is not an Ethereum node/);
    } finally {
      server.close();
    }
  });

  it("stops by itself when the process that started it dies", async () => {
    // A parent that starts the chain and is then killed without a word.
    const script = `require(${JSON.stringify(path.join(__dirname, "..", "..", "cli", "start", "embedded-chain", "supervisor.js"))})
      .startEmbeddedChain({ host: "127.0.0.1", port: ${where.port}, dbPath: ${JSON.stringify(path.join(where.home, "chain"))} })
      .then((chain) => console.log("chain pid " + chain.pid));`;
    const parent = background("-e", [script], where.env);
    // `node -e`: the harness passes "-e" as the script and the code as its argument.
    await parent.waitFor(/chain pid \d+/);
    const pid = Number(/chain pid (\d+)/.exec(parent.output())![1]);
    parent.child.kill("SIGKILL");
    const deadline = Date.now() + 15_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(!alive(pid), "the orphaned chain should have stopped itself");
    assert.equal(readChainRecord().pid, undefined, "and closed cleanly, forgetting its process");
  });
});

describe("npm run chain", () => {
  it("serves the chain in the foreground, logs transactions, and stops cleanly on Ctrl+C", async () => {
    const where = await place();
    const chain = background(CHAIN, [], where.env);
    try {
      await chain.waitFor(/Ctrl\+C stops the chain/);
      assert.match(chain.output(), new RegExp(`Carbon embedded chain\\s+${where.url.replace(/\./g, "\\.")}\\s+chain id 1337`));
      assert.match(chain.output(), /Market\s+not deployed yet: run npm run migrate/);
      assert.match(chain.output(), / 0 {2}0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266 {2}regulator: deploys the market/);

      const migrated = await runScript(MIGRATE, [], where.env);
      assert.equal(migrated.code, 0, `npm run migrate against npm run chain failed:\n${migrated.stderr}`);
      await chain.waitFor(/#3 0xf39f…2266 +\d,\d{3},\d{3} gas new contract at 0x[0-9a-f]{4}…[0-9a-f]{4}/);
      await runScript(CARBON, ["register", "customer", "1", "--password", "pw"], where.env);
      await chain.waitFor(/#13 0x7099…79c8 +\d{3},\d{3} gas NewCustomer ✔ Registration succeeded/);

      chain.child.kill("SIGINT");
      const { code } = await chain.exited;
      assert.equal(code, 0, "Ctrl+C is the normal way to stop it");
      assert.match(chain.output(), /Chain stopped; its state is kept in .*chain/);
      for (const line of chain.output().split("\n")) assert.ok(line.length <= 80, `line over 80 columns: ${line}`);
    } finally {
      chain.child.kill("SIGKILL");
      where.remove();
    }
  });
});
