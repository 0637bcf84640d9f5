// Many writers at once, as the CLI's users and scripts make them: every reported outcome must match
// the chain afterwards (no false success, no false failure) and nobody may hang. Against the
// embedded chain (the node's dev accounts, signed locally) and anvil (CARBON_MNEMONIC, local
// signing, no key on the node); and through a kill -9 of the chain in the middle of the writes.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { connect } from "../../cli/chain/connect";
import type { Market } from "../../cli/chain/market";
import { DEV_MNEMONIC } from "../../cli/chain/signer";
import { startEmbeddedChain, type EmbeddedChain } from "../../cli/start/embedded-chain/supervisor";
import { MIGRATE, place, runScript, type Place } from "../start/harness";
import { startAnvil, type Anvil } from "../support/anvil";
import type { Ran } from "../support/process";
import { carbon, startMarket, type CliChain } from "./support/cli";

const WRITERS = 12;

/** Amounts 2^i: the chain's total then says exactly which of the writes happened. */
const amounts = Array.from({ length: WRITERS }, (_, i) => 1n << BigInt(i));

interface Reported {
  amount: bigint;
  code: number | null;
  body?: { ok: boolean; txHash?: string; exitCode?: number; error?: string };
}

async function issueAll(env: NodeJS.ProcessEnv, customer: string, timeoutMs = 90_000): Promise<Reported[]> {
  return Promise.all(
    amounts.map(async (amount) => {
      const ran: Ran = await carbon(["issue", customer, amount.toString(), "--json"], env, { timeoutMs });
      let body: Reported["body"];
      try {
        body = JSON.parse(ran.stdout.trim());
      } catch {
        assert.fail(`--json must print one object even when things go wrong; got ${JSON.stringify(ran.stdout)} (exit ${ran.code}, stderr ${ran.stderr})`);
      }
      return { amount, code: ran.code, body };
    }),
  );
}

/** Every writer succeeded, and the chain moved by exactly what they reported, through distinct transactions. */
async function assertAllIssued(market: Market, customer: string, before: bigint, reported: Reported[]): Promise<void> {
  for (const r of reported) assert.equal(r.code, 0, `issue ${r.amount}: exit ${r.code} ${r.body?.error ?? ""}`);
  const hashes = new Set(reported.map((r) => r.body!.txHash));
  assert.equal(hashes.size, WRITERS, "one transaction per writer");
  assert.equal(await market.customerCarbonAmount(customer), before + amounts.reduce((a, b) => a + b, 0n), "the chain holds every reported issue");
}

describe("concurrent writers on the embedded chain", () => {
  let cli: CliChain;
  let customer: string;

  before(async () => {
    cli = await startMarket();
    customer = cli.accounts[1];
    await cli.market.newCustomer(customer, "pw");
    await cli.market.newSeller(cli.accounts[2], "pw");
  });

  after(async () => {
    await cli.stop();
  });

  it(`${WRITERS} processes issuing from one account at once all succeed, each once`, async () => {
    const before = await cli.market.customerCarbonAmount(customer);
    await assertAllIssued(cli.market, customer, before, await issueAll(cli.env, customer));
  });

  it("buyers from many accounts at once: each gets its own lot, and of two buyers of one lot exactly one wins", async () => {
    const { market, accounts } = cli;
    const buyers = accounts.slice(3, 9);
    for (const buyer of buyers) {
      await market.newCustomer(buyer, "pw");
      await market.sendCarbonToCustomer(buyer, 1000n);
    }
    for (let i = 0; i < buyers.length; i++) await market.addCarbon(accounts[2], `C-${i}`, 10n);
    await market.addCarbon(accounts[2], "RACE", 10n);
    const runs = await Promise.all([
      ...buyers.map((buyer, i) => carbon(["buy", buyer, `C-${i}`, "--json"], cli.env)),
      ...buyers.slice(0, 2).map((buyer) => carbon(["buy", buyer, "RACE", "--json"], cli.env)),
    ]);
    const bodies = runs.map((r) => JSON.parse(r.stdout.trim()));
    for (let i = 0; i < buyers.length; i++) {
      assert.equal(runs[i].code, 0, runs[i].stderr);
      assert.equal((await market.lot(`C-${i}`))?.buyer, buyers[i], `C-${i} went to its buyer`);
    }
    const race = runs.slice(buyers.length);
    assert.deepEqual(race.map((r) => r.code).sort(), [0, 1], "one winner, one refusal (the contract said no)");
    const winner = race.findIndex((r) => r.code === 0);
    assert.equal((await market.lot("RACE"))?.buyer, buyers[winner], "the chain agrees with who was told they won");
    assert.equal(bodies[buyers.length + 1 - winner].ok, false);
  });
});

describe("concurrent writers on anvil, signing locally with CARBON_MNEMONIC", () => {
  let where: Place;
  let anvil: Anvil;

  before(async () => {
    where = await place({ CARBON_MNEMONIC: DEV_MNEMONIC });
    anvil = await startAnvil(where.port);
    const migrated = await runScript(MIGRATE, [], where.env);
    assert.equal(migrated.code, 0, `the migration failed:\n${migrated.stdout}\n${migrated.stderr}`);
    const registered = await carbon(["register", "customer", "1", "--password", "pw"], where.env);
    assert.equal(registered.code, 0, registered.stderr);
  });

  after(() => {
    anvil?.stop();
    where?.remove();
  });

  it(`${WRITERS} processes issuing from one key at once: no "nonce too low", every issue once`, async () => {
    process.env.CARBON_HOME = where.home;
    const market = await connect({ rpc: where.url, mnemonic: DEV_MNEMONIC });
    try {
      const [, customer] = await market.accounts();
      const before = await market.customerCarbonAmount(customer);
      await assertAllIssued(market, customer, before, await issueAll(where.env, customer));
    } finally {
      market.close();
    }
  });

  it("without CARBON_MNEMONIC, a node with no accounts is named as the problem", async () => {
    const { CARBON_MNEMONIC: _, ...env } = where.env;
    const accounts = await carbon(["accounts"], env);
    assert.equal(accounts.code, 2);
    assert.match(accounts.stderr, /holds none and CARBON_MNEMONIC is not set; set CARBON_MNEMONIC/);
    const issue = await carbon(["issue", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "5"], env);
    assert.equal(issue.code, 2);
    assert.match(issue.stderr, /^error: only the regulator \(0x[0-9a-f]{40}\) can do this, and its key is not on this machine: on a class chain it is the teacher's/, "issuing is the regulator's: said so, not how to bring keys");
  });
});

describe("kill -9 of the chain during concurrent writes", () => {
  let where: Place;
  let chain: EmbeddedChain;
  const startChain = () => startEmbeddedChain({ host: "127.0.0.1", port: where.port, dbPath: path.join(where.home, "chain") });

  before(async () => {
    where = await place();
    process.env.CARBON_HOME = where.home;
    chain = await startChain();
    const migrated = await runScript(MIGRATE, [], where.env);
    assert.equal(migrated.code, 0, `the migration failed:\n${migrated.stdout}\n${migrated.stderr}`);
    const registered = await carbon(["register", "customer", "1", "--password", "pw"], where.env);
    assert.equal(registered.code, 0, registered.stderr);
  });

  after(async () => {
    await chain?.stop();
    where?.remove();
  });

  it("every outcome is ok, not sent (3) or unknown with a hash (4); after restart each success is on chain and each hash resolves", async () => {
    const customer = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    const startBlock = Number(await where.rpc.request<string>("eth_blockNumber"));
    let market = await connect({ rpc: where.url });
    const before = await market.customerCarbonAmount(customer);
    market.close();

    const writes = issueAll(where.env, customer);
    // Kill the chain once a few of the writes are mined.
    while (Number(await where.rpc.request<string>("eth_blockNumber").catch(() => "0x0")) < startBlock + 3) await new Promise((r) => setTimeout(r, 20));
    process.kill(chain.pid, "SIGKILL");
    await chain.lost;
    const reported = await writes;
    chain = await startChain();

    market = await connect({ rpc: where.url });
    try {
      const delta = (await market.customerCarbonAmount(customer)) - before;
      for (const r of reported) {
        const onChain = (delta & r.amount) !== 0n;
        assert.ok([0, 3, 4].includes(r.code ?? -1), `issue ${r.amount}: exit ${r.code} is neither success, not sent, nor unknown: ${r.body?.error}`);
        if (r.code === 0) assert.ok(onChain, `issue ${r.amount} was reported done: it must be on chain`);
        if (r.code === 3) assert.ok(!onChain, `issue ${r.amount} was reported not sent (${r.body?.error}), but the chain has it`);
        if (r.code === 4) {
          assert.match(r.body?.txHash ?? "", /^0x[0-9a-f]{64}$/, "an unknown outcome names its hash");
          const status = await market.transactionStatus(r.body!.txHash!);
          assert.equal(status.state === "mined", onChain, `issue ${r.amount}: the hash's status (${status.state}) agrees with the chain`);
        }
      }
      assert.ok(reported.some((r) => r.code === 0), "some writes completed before the kill");
    } finally {
      market.close();
    }
  });
});
