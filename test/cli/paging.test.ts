// Lists and history page: `carbon carbons`, `records`, `market` and `accounts` return one page with
// where it sits in the whole list; history is read newest first in bounded block ranges, and works
// through a node that refuses wide eth_getLogs ranges as public providers do.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { carbon, startMarket, type CliChain } from "./support/cli";
import { refuseWideLogRanges, startProxy, type Proxy } from "./support/proxy";

let cli: CliChain;
let customer: string;
let seller: string;
const LOTS = 7;

before(async () => {
  cli = await startMarket();
  [, customer, seller] = cli.accounts;
  const { market } = cli;
  await market.newCustomer(customer, "pw");
  await market.newSeller(seller, "pw");
  await market.sendCarbonToCustomer(customer, 1000n);
  for (let i = 0; i < LOTS; i++) await market.addCarbon(seller, `LOT-${i}`, BigInt(10 + i));
  await market.buyCarbon(customer, "LOT-1");
});

after(async () => {
  await cli.stop();
});

function json(stdout: string): Record<string, any> {
  return JSON.parse(stdout.trim());
}

describe("carbons pages", () => {
  it("gives the first page, the total and the next offset, and says so on stderr in text", async () => {
    const page = json((await carbon(["carbons", "--limit", "3", "--json"], cli.env)).stdout);
    assert.deepEqual(page.lots.map((l: any) => l.carbonId), ["LOT-0", "LOT-1", "LOT-2"], "first three in publication order");
    assert.deepEqual([page.offset, page.count, page.total, page.next], [0, 3, LOTS, "3"], "where the page sits");
    const text = await carbon(["carbons", "--limit", "3"], cli.env);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stderr.trim(), `showing 1–3 of ${LOTS} (next: --offset 3)`, "the page line");
    assert.equal(text.stdout.trim().split("\n").length, 4, "a header and three rows on stdout");
  });

  it("the last page ends at the boundary with no next, and a page past the end is empty", async () => {
    const last = json((await carbon(["carbons", "--limit", "3", "--offset", "6", "--json"], cli.env)).stdout);
    assert.deepEqual(last.lots.map((l: any) => l.carbonId), ["LOT-6"], "the one lot after the boundary");
    assert.equal(last.next, undefined, "no next page");
    const exact = json((await carbon(["carbons", "--limit", "7", "--json"], cli.env)).stdout);
    assert.equal(exact.lots.length, LOTS, "a page exactly the list's length");
    assert.deepEqual(Object.keys(exact), ["ok", "lots"], "a whole list carries no page fields: no next page");
    const empty = await carbon(["carbons", "--offset", "50", "--json"], cli.env);
    assert.equal(empty.code, 0, empty.stderr);
    assert.deepEqual([json(empty.stdout).lots, json(empty.stdout).total], [[], LOTS], "an empty page, the total still told");
  });

  it("refuses a bad --limit or --offset with exit 2", async () => {
    for (const flags of [["--limit", "0"], ["--limit", "x"], ["--offset", "-1"], ["--limit", "100000"]]) {
      const { code, stderr } = await carbon(["carbons", ...flags], cli.env);
      assert.equal(code, 2, `${flags.join(" ")}: ${stderr}`);
    }
  });

  it("a lot sold between two pages of unsold lots is neither lost nor shown twice among those left", async () => {
    const first = await cli.market.lotPage({ unsold: true }, 0, 3);
    assert.equal(first.total, LOTS - 1, "LOT-1 is sold");
    assert.ok(first.lots.every((lot) => lot.buyer === undefined), "only unsold lots");
    await cli.market.buyCarbon(customer, first.lots[0].carbonId);
    const second = await cli.market.lotPage({ unsold: true }, 3, 3);
    assert.equal(second.total, LOTS - 2, "the total follows the sale");
    const seen = [...first.lots, ...second.lots].map((lot) => lot.carbonId);
    assert.equal(new Set(seen).size, seen.length, "no lot twice");
    const all = await cli.market.lotPage({ unsold: true }, 0, 100);
    assert.ok(all.lots.every((lot) => lot.buyer === undefined), "still only unsold lots");
    assert.equal(all.lots.length, LOTS - 2);
  });

  it("filters by seller and by customer with totals of their own", async () => {
    const bySeller = json((await carbon(["carbons", "--seller", "2", "--limit", "2", "--json"], cli.env)).stdout);
    assert.deepEqual([bySeller.total, bySeller.lots.length], [LOTS, 2]);
    const byCustomer = json((await carbon(["carbons", "--customer", "1", "--limit", "1", "--json"], cli.env)).stdout);
    assert.equal(byCustomer.total, 2, "the customer bought two lots");
    assert.ok(byCustomer.lots.every((l: any) => l.buyer === customer));
  });
});

describe("accounts page", () => {
  it("--limit and --offset select a slice of the node's accounts with their indices", async () => {
    const page = json((await carbon(["accounts", "--limit", "2", "--offset", "1", "--json"], cli.env)).stdout);
    assert.deepEqual(page.accounts.map((a: any) => [a.index, a.address]), [[1, customer], [2, seller]]);
    assert.deepEqual([page.total, page.next], [10, "3"]);
  });
});

describe("history pages", () => {
  it("records: the latest rows oldest first, and --before the cursor gives the older ones without overlap", async () => {
    const all = json((await carbon(["records", "2", "--json"], cli.env)).stdout).records as any[];
    assert.ok(all.length >= LOTS + 1, "registration, publications and sales");
    const latest = json((await carbon(["records", "2", "--limit", "3", "--json"], cli.env)).stdout);
    assert.deepEqual(latest.records.map((r: any) => r.txHash), all.slice(-3).map((r) => r.txHash), "the latest three, oldest first");
    assert.ok(latest.next, "a cursor to older records");
    const older = json((await carbon(["records", "2", "--limit", "3", "--before", latest.next, "--json"], cli.env)).stdout);
    assert.deepEqual(older.records.map((r: any) => r.txHash), all.slice(-6, -3).map((r) => r.txHash), "the three before them");
  });

  it("an account with no history gets an empty page", async () => {
    const { code, stdout } = await carbon(["records", "9", "--json"], cli.env);
    assert.equal(code, 0);
    assert.deepEqual(json(stdout).records, []);
  });

  describe("through a node that refuses eth_getLogs over 4 blocks", () => {
    let proxy: Proxy;
    before(async () => {
      proxy = await startProxy(cli.chain.url, refuseWideLogRanges(4));
    });
    after(() => proxy.close());

    it("records and market still answer, every log query within the limit", async () => {
      const direct = json((await carbon(["records", "2", "--json"], cli.env)).stdout);
      const env = { ...cli.env, CARBON_RPC_URL: proxy.url };
      const proxied = await carbon(["records", "2", "--json"], env);
      assert.equal(proxied.code, 0, proxied.stderr);
      assert.deepEqual(json(proxied.stdout).records, direct.records, "the same history");
      const market = await carbon(["market", "--json"], env);
      assert.equal(market.code, 0, market.stderr);
      assert.deepEqual(json(market.stdout).trades.map((t: any) => t.carbonId), ["LOT-1", "LOT-0"], "both trades, oldest first");
      const accepted = proxy.calls.filter((c) => c.method === "eth_getLogs").map((c) => c.params[0] as { fromBlock: string; toBlock: string });
      assert.ok(accepted.some(({ fromBlock, toBlock }) => Number(toBlock) - Number(fromBlock) + 1 <= 4), "narrowed to the node's limit");
    });
  });
});
