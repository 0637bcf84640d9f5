// `npm run migrate` and `npm run demo`: they need a node and say how to get one; the migration
// deploys once per chain; the demo seeds its scenario only when asked, and a second run sends
// nothing; its lesson does not open beside the scenario's period.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Compliance } from "../../cli/chain/compliance";
import { connect } from "../../cli/chain/connect";
import { readBook } from "../../cli/chain/deployments";
import { chainIdentity } from "../../cli/chain/rpc";
import { ALREADY_SEEDED, DEMO_SCENARIO, seedDemoScenario } from "../../cli/start/demo/scenario";
import { OrderBook } from "../../cli/chain/order-book";
import type { Level } from "../../cli/chain/order-book-types";
import { startEmbeddedChain, type EmbeddedChain } from "../../cli/start/embedded-chain/supervisor";
import { MIGRATE, place, runScript, type Place } from "./harness";

describe("npm run migrate without a node", () => {
  it("says there is no node and how to start one, and exits 3", async () => {
    const where = await place();
    try {
      const ran = await runScript(MIGRATE, [], where.env);
      assert.equal(ran.code, 3, "no node is exit code 3");
      assert.equal(ran.stderr.trim(), `error: no Ethereum node at ${where.url}; start one with \`npm start\` or \`npm run chain\``);
      assert.equal(ran.stdout, "", "nothing on stdout");
    } finally {
      where.remove();
    }
  });
});

describe("npm run migrate and npm run demo on a chain", () => {
  let where: Place;
  let chain: EmbeddedChain;

  const blockNumber = async () => Number(await where.rpc.request<string>("eth_blockNumber"));

  before(async () => {
    where = await place();
    process.env.CARBON_HOME = where.home;
    chain = await startEmbeddedChain({ host: "127.0.0.1", port: where.port, dbPath: path.join(where.home, "chain") });
  });

  after(async () => {
    await chain?.stop();
    where?.remove();
  });

  it("deploys the market once, records it in the book, and seeds nothing without --demo", async () => {
    const first = await runScript(MIGRATE, [], where.env);
    assert.equal(first.code, 0, `the first migration failed:\n${first.stdout}\n${first.stderr}`);
    const deployedAt = await blockNumber();
    assert.equal(deployedAt, 12, "seven contracts and five wiring transactions");
    // One clear line per contract and the market's address: none of Truffle's own report.
    const lines = first.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 8, `eight lines:\n${first.stdout}`);
    ([["Customer", 1], ["Seller", 2], ["Carbon", 3], ["Compliance", 4], ["OrderBook", 5], ["Lesson", 9], ["Auction", 11]] as const).forEach(([name, block], i) => {
      assert.match(lines[i], new RegExp(`^✔ ${name} +deployed at 0x[0-9a-fA-F]{40} {2}block ${block}, gas [\\d,]+$`), `the ${name} line`);
    });
    assert.equal(lines[7], `Market at ${/Carbon +deployed at (0x[0-9a-fA-F]{40})/.exec(lines[2])![1]}`);
    assert.doesNotMatch(first.stdout + first.stderr, /Compiling|Starting migrations|Summary|Total cost|Blocks: \d/, "no Truffle noise");

    const second = await runScript(MIGRATE, [], where.env);
    assert.equal(second.code, 0, `the second migration failed:\n${second.stderr}`);
    assert.match(second.stdout, /The market is already deployed on this chain: Carbon at 0x[0-9a-fA-F]{40}\. Nothing to do\./);
    assert.equal(await blockNumber(), deployedAt, "a second migration sends no transaction");
    assert.doesNotMatch(second.stdout, /Seeding|demo scenario is/, "the demo migration does nothing unless asked");
    const { genesisHash } = await chainIdentity(where.rpc);
    const booked = readBook(path.join(where.home, "deployments.json"))[genesisHash];
    assert.ok(booked, "the deployment book should have this chain's market");
    assert.match(second.stdout, new RegExp(`Carbon at ${booked.Carbon}`, "i"), "the book and the migration agree on the address");
    assert.match(second.stdout, new RegExp(`\\nMarket at ${booked.Carbon}\\n$`, "i"), "the closing line names the market");
  });

  it("seeds the demo scenario, which the CLI's logins and queries then see", async () => {
    const ran = await runScript(MIGRATE, ["--demo"], where.env);
    assert.equal(ran.code, 0, `npm run demo failed:\n${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stdout, /Seeding the demo scenario \(32 transactions\):/);
    assert.match(ran.stdout, /The demo scenario is on the chain\./);
    assert.match(ran.stdout, / 1 {2}customer {3}0x70997970c51812dc3a010c7d01b50e0d17dc79c8 {2}customer1/);
    assert.match(ran.stdout, / 4 {2}seller {5}0x15d34aaf54267db7d7c367839aaf71a00a2c6a65 {2}seller2/);
    assert.match(ran.stdout, / 9 {2}verifier {3}0xa0ee7a142d267c1f36714e4a8f75612f20a79720 {2}\(its key; no password\)/);

    const market = await connect({ rpc: where.url });
    try {
      const accounts = await market.accounts();
      for (const { index, password } of DEMO_SCENARIO.customers) {
        assert.ok((await market.checkPassword(accounts[index], password)).customer, `customer ${index} should log in with "${password}"`);
      }
      for (const { index, password } of DEMO_SCENARIO.sellers) {
        assert.ok((await market.checkPassword(accounts[index], password)).seller, `seller ${index} should log in with "${password}"`);
      }
      assert.equal(await market.customerCarbonAmount(accounts[1]), 825n, "customer 1: 1000 issued, 300 spent on CEA-001, 25 bought on the book, 600 issued in 2026, 500 surrendered");
      assert.equal(await market.customerCarbonAmount(accounts[2]), 580n, "customer 2: 500 issued, 120 offered on the book (25 of it sold), 400 issued in 2026, 200 surrendered");
      const book = await new OrderBook(market).depth();
      const levels = (side: Level[]) => side.map((l) => `${l.quantity}@${l.price / 10n ** 14n}`);
      assert.deepEqual([levels(book.bids), levels(book.asks)], [["30@110", "20@105", "50@100"], ["15@120", "30@125", "50@130"]], "the demo's book: one ask partly filled");
      assert.equal(await market.sellerCarbonAmount(accounts[3]), 200n, "seller 1: 300 earned, 100 settled");
      assert.equal((await market.lot("CEA-001"))?.buyer, accounts[1], "CEA-001 was bought by customer 1");
      assert.equal((await market.lot("CEA-002"))?.buyer, undefined, "CEA-002 is for sale");
      assert.equal((await market.lot("CEA-003"))?.seller, accounts[4], "CEA-003 was published by seller 2");
      const totals = await market.totals();
      assert.deepEqual({ issued: totals.issued, settled: totals.settled, lots: totals.lots }, { issued: 2500n, settled: 100n, lots: 3 });
      const compliance = new Compliance(market);
      const period = (await compliance.periodByLabel("2026"))!;
      assert.equal(period.closed, false, "the demo's period stays open for the class");
      assert.deepEqual([(await compliance.record(accounts[1], period.periodId)).status, (await compliance.record(accounts[2], period.periodId)).status], ["A", "B"], "one compliant customer and one short");
    } finally {
      market.close();
    }
  });

  it("changes nothing on a second run, and says so", async () => {
    const before = await blockNumber();
    const ran = await runScript(MIGRATE, ["--demo"], where.env);
    assert.equal(ran.code, 0, `the second npm run demo failed:\n${ran.stderr}`);
    assert.ok(ran.stdout.includes(ALREADY_SEEDED), `expected "${ALREADY_SEEDED}" in:\n${ran.stdout}`);
    assert.equal(await blockNumber(), before, "no transaction was sent");
  });

  it("refuses its lesson beside the scenario's open period, before sending anything", async () => {
    // The seeding as 2_demo_scenario.js runs it for `npm run demo -- --lesson` (its own runs are in one-market.test.ts).
    process.env.CARBON_RPC_URL = where.url;
    const before = await blockNumber();
    await assert.rejects(seedDemoScenario(() => undefined, { lesson: true }), /period 2026 is open, and the lesson's round would be a period of its own .*run `npm run demo -- --lesson` again/);
    assert.equal(await blockNumber(), before, "no transaction was sent");
  });
});
