// The lesson end to end with the real `carbon` binary, on one chain: the teacher gives four customers
// firms from a seed and opens a round under a 30 % cut with free allocation; three firms abate,
// trade on the book, report and surrender, and one stays silent; the teacher closes the round and
// the results compare the class with theory. Every figure is checked against the seed's schedules,
// computed here independently of the CLI's own theory module.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Compliance } from "../../cli/chain/compliance";
import { drawFirms } from "../../cli/lesson/draw";
import { carbon, fingerprint, startMarket, type CliChain } from "./support/cli";

const TICK = 10n ** 14n;
const SEED = 7;
/** Each firm can abate 60 to 90 t: more than a 30 % cut of its baseline plus the 10 units traded. */
const TONNES = { min: 20n, max: 30n };

let cli: CliChain;
let env: NodeJS.ProcessEnv;
let firms: string[];
const drawn = drawFirms(4, {
  seed: SEED,
  blocks: 3,
  baseline: { min: 80n, max: 120n },
  tonnes: TONNES,
  cost: { min: 10n * TICK, max: 300n * TICK },
});

async function run(args: string[], expected = 0): Promise<{ stdout: string; stderr: string }> {
  const ran = await carbon(args, env);
  assert.equal(ran.code, expected, `carbon ${args.join(" ")} exited ${ran.code}, not ${expected}:\n${ran.stderr}${ran.stdout}`);
  return ran;
}

async function json(args: string[]): Promise<Record<string, any>> {
  const { stdout } = await run([...args, "--json"]);
  return JSON.parse(stdout);
}

/** The cost of a schedule's cheapest `tonnes`, and the class's cheapest `cut` tonnes: the least cost. */
function cheapest(blocks: Array<{ tonnes: bigint; costPerTonne: bigint }>, tonnes: bigint): bigint {
  const unit: bigint[] = blocks.flatMap((block) => Array.from({ length: Number(block.tonnes) }, () => block.costPerTonne)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return unit.slice(0, Number(tonnes)).reduce((sum, cost) => sum + cost, 0n);
}

/** Grandfathering's share of the cap, by largest remainders, computed here from the seed's baselines. */
const free = (i: number): bigint => {
  const total = drawn.reduce((sum, firm) => sum + firm.baseline, 0n);
  const cap = total - (total * 30n) / 100n;
  const floors = drawn.map((firm) => (firm.baseline * cap) / total);
  const remainders = drawn.map((firm, k) => ({ k, r: (firm.baseline * cap) % total })).sort((a, b) => (a.r > b.r ? -1 : a.r < b.r ? 1 : a.k - b.k));
  const extra = cap - floors.reduce((sum, f) => sum + f, 0n);
  return floors[i] + (remainders.slice(0, Number(extra)).some((entry) => entry.k === i) ? 1n : 0n);
};

before(async () => {
  cli = await startMarket();
  env = { ...cli.env, TZ: "UTC" };
  firms = cli.accounts.slice(1, 5).map((a) => a.toLowerCase());
  for (const [i, account] of firms.entries()) await cli.market.newCustomer(account, `pw-${i}`);
});

after(async () => {
  await cli.stop();
});

describe("a lesson's first round", () => {
  const paid: bigint[] = [0n, 0n, 0n, 0n];
  const price = 150n * TICK;

  it("refuses a round before the class has firms, and changes nothing", async () => {
    const before = await fingerprint(cli);
    const { stderr } = await run(["lesson", "round", "open", "--cut", "30%"], 2);
    assert.equal(stderr.trim(), "error: the lesson has no firms yet: `carbon lesson setup` gives every customer one");
    assert.equal(await fingerprint(cli), before);
  });

  it("gives every customer the firm the seed draws, once", async () => {
    const setup = await json(["lesson", "setup", "--seed", String(SEED), "--tonnes", "20-30", "--cost", "0.001-0.03"]);
    assert.deepEqual(setup.rows.map((row: any) => [row.account, row.ok]), firms.map((account) => [account, true]), JSON.stringify(setup));
    for (const [i, account] of firms.entries()) {
      const firm = await json(["lesson", "firm", account]);
      assert.equal(firm.baseline, drawn[i].baseline.toString(), `firm ${i + 1}'s baseline`);
      assert.deepEqual(
        firm.blocks.map((b: any) => [b.tonnes, b.costPerTonne, b.abated]),
        drawn[i].blocks.map((b) => [b.tonnes.toString(), b.costPerTonne.toString(), "0"]),
        `firm ${i + 1}'s schedule is the seed's`,
      );
      assert.equal(firm.round, null);
    }
    const again = await run(["lesson", "setup"], 2);
    assert.match(again.stderr, /^error: every customer has a firm already\n$/);
    const text = (await run(["lesson", "firm", firms[0]])).stdout;
    assert.match(text, /No round has opened yet\./);
    assert.match(text, /The chain is public: every firm's schedule, and every abatement, can be read by anyone in the class\./, "the price of transparency is said on screen");
  });

  it("opens a round: a cap of the baseline less the cut, all of it free in proportion to the baselines, the penalty twice the dearest tonne", async () => {
    const total = drawn.reduce((sum, firm) => sum + firm.baseline, 0n);
    const cut = (total * 30n) / 100n;
    const dearest = drawn.flatMap((firm) => firm.blocks).reduce((max, b) => (b.costPerTonne > max ? b.costPerTonne : max), 0n);
    const opened = await json(["lesson", "round", "open", "--cut", "30%"]);
    assert.deepEqual([opened.label, opened.cut, opened.cap, opened.penaltyRate], ["Round 1", cut.toString(), (total - cut).toString(), (dearest * 2n).toString()]);
    for (const [i, account] of firms.entries()) assert.equal(await cli.market.customerCarbonAmount(account), free(i), `firm ${i + 1}'s free allocation`);
    assert.deepEqual([opened.free, opened.forAuction], [(total - cut).toString(), "0"], "the whole cap is issued free");
    const period = await new Compliance(cli.market).period(opened.periodId);
    assert.equal(period.cap, total - cut, "the period's cap on the chain");
  });

  it("abates at the schedule's cost, cheapest blocks first, and refuses more than the schedule holds", async () => {
    // Firm 1 abates what it lacks; firm 2 that and 10 more to sell; firm 3 what it lacks less the 10 it buys.
    const want = [drawn[0].baseline - free(0), drawn[1].baseline - free(1) + 10n, drawn[2].baseline - free(2) - 10n];
    for (const [i, tonnes] of want.entries()) {
      const etherBefore = await cli.market.etherBalance(firms[i]);
      const abated = await json(["lesson", "abate", firms[i], tonnes.toString()]);
      const expected = cheapest(drawn[i].blocks, tonnes);
      assert.deepEqual([abated.ok, abated.cost, abated.emissions], [true, expected.toString(), (drawn[i].baseline - tonnes).toString()], `firm ${i + 1} abates ${tonnes} t`);
      const spent = etherBefore - (await cli.market.etherBalance(firms[i]));
      assert.ok(spent >= expected && spent - expected < 10n ** 16n, `firm ${i + 1} paid the cost and gas (${spent})`);
      paid[i] = expected;
    }
    const abatable = drawn[0].blocks.reduce((sum, b) => sum + b.tonnes, 0n);
    const before = await fingerprint(cli);
    const refused = await run(["lesson", "abate", firms[0], "999"], 2);
    assert.equal(refused.stderr.trim(), `error: your schedule has ${abatable - want[0]} t left to abate in round "Round 1" (you abated ${want[0]} of ${abatable}), not 999`);
    assert.equal(await fingerprint(cli), before, "a refusal sends nothing");
    const firm = await json(["lesson", "firm", firms[0]]);
    assert.equal(firm.round.abated, want[0].toString());
    assert.equal(firm.round.obligation, free(0).toString(), "what is left to cover is its free allocation");
    assert.equal(
      firm.blocks.reduce((sum: bigint, b: any) => sum + BigInt(b.abated), 0n),
      want[0],
      "the blocks show where the abatement fell",
    );
  });

  it("trades 10 units on the book, reports at the chain's figure, and surrenders", async () => {
    await run(["ask", firms[1], "10", "0.015"]);
    await run(["bid", firms[2], "10", "0.015"]);
    assert.equal(await cli.market.customerCarbonAmount(firms[2]), free(2) + 10n, "the buyer holds its allocation and the 10");
    for (const i of [0, 1, 2]) {
      const { stdout } = await run(["lesson", "report", firms[i]]);
      assert.match(stdout, /^✔ .*approved.* {2}\d+ t in Round 1, 3 transactions\n$/, `firm ${i + 1}'s report`);
      const again = await run(["lesson", "report", firms[i]]);
      assert.match(again.stdout, /already verified: \d+ t {2}\d+ t in Round 1, 0 transactions/, "a second report sends nothing");
    }
    const holdings = [free(0), free(1) - 10n, free(2) + 10n];
    for (const i of [0, 1, 2]) await run(["surrender", firms[i], holdings[i].toString()]);
    const late = await run(["lesson", "round", "close"], 2);
    assert.match(late.stderr, /^error: round "Round 1" takes surrenders until .* on the chain's clock \(now .*\): close it after that/);
  });

  it("closes the round after its deadline: three firms covered, the silent one enforced at the lesson's figure", async () => {
    await run(["time", "advance", "15d"]);
    const closed = await json(["lesson", "round", "close"]);
    const rate = 2n * drawn.flatMap((firm) => firm.blocks).reduce((max, b) => (b.costPerTonne > max ? b.costPerTonne : max), 0n);
    assert.deepEqual(
      closed.enforced.map((row: any) => [row.account, row.status]),
      firms.map((account, i) => [account, i < 3 ? "A" : "C"]),
    );
    const silent = closed.enforced[3];
    // Its emissions were its baseline, it surrendered nothing, and the surcharge only raises that.
    assert.ok(BigInt(silent.penalty) >= (drawn[3].baseline - 0n) * rate, `the silent firm's penalty ${silent.penalty}`);
    assert.equal(await cli.market.isFrozen(firms[3]), true, "a C firm is frozen");
    const after = await run(["lesson", "abate", firms[0], "1"], 2);
    assert.match(after.stderr, /^error: no round is open: the teacher opens one with `carbon lesson round open --cut 30%`\n$/);
  });

  it("compares the round with theory, and scores every firm in one number", async () => {
    const total = drawn.reduce((sum, firm) => sum + firm.baseline, 0n);
    const cut = (total * 30n) / 100n;
    const all = drawn.flatMap((firm) => firm.blocks);
    const results = await json(["lesson", "results"]);
    const [round] = results.rounds;
    assert.equal(results.rounds.length, 1);
    assert.equal(round.leastCost, cheapest(all, cut).toString(), "the class's cheapest tonnes");
    const units = all.flatMap((b) => Array.from({ length: Number(b.tonnes) }, () => b.costPerTonne)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.equal(round.equilibriumPrice, units[Number(cut) - 1].toString(), "the price is the cost of the cut's last tonne");
    const actual = paid.reduce((sum, cost) => sum + cost, 0n);
    assert.equal(round.actualCost, actual.toString());
    const abated = drawn[0].baseline - free(0) + drawn[1].baseline - free(1) + 10n + drawn[2].baseline - free(2) - 10n;
    assert.equal(round.abated, abated.toString());
    const efficiency = Number((cheapest(all, abated) * 1_000_000n) / actual) / 1_000_000;
    assert.equal(round.efficiency, efficiency);
    assert.deepEqual([round.averagePrice, round.volume], [price.toString(), "10"]);
    const byFirm = new Map(round.firms.map((f: any) => [f.account, f]));
    const seller = byFirm.get(firms[1]) as any;
    assert.equal(seller.profit, (10n * price - paid[1]).toString(), "the seller: its sale less its abatement");
    const buyer = byFirm.get(firms[2]) as any;
    assert.equal(buyer.profit, (-10n * price - paid[2]).toString(), "the buyer: its purchase and its abatement");
    const silent = byFirm.get(firms[3]) as any;
    assert.equal(silent.profit, (-BigInt(silent.penalty)).toString(), "the silent firm: its penalty");
    const totals = results.leaderboard.map((row: any) => BigInt(row.total));
    assert.deepEqual(totals, [...totals].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)), "the leaderboard is sorted by total");
    assert.deepEqual(results.leaderboard.map((row: any) => row.rank), [1, 2, 3, 4]);
    assert.equal(results.leaderboard[3].account, firms[3], "silence comes last");

    const text = (await run(["lesson", "results"])).stdout;
    for (const part of ["Rounds", "Price per round", "Cost of the cut per round", "Leaderboard"]) assert.match(text, new RegExp(`^${part}`, "m"), `the results show ${part}`);
    assert.match(text, /Round 1 +\d+ +0\.\d+ +0\.015 /, "the round's line: cut, equilibrium and the class's average price");

    const csv = (await run(["lesson", "results", "--csv"])).stdout.trim().split("\n");
    assert.equal(csv.length, 5, "a header and a row a firm");
    assert.match(csv[0], /^round,firm,name,abated,/);
    const sellerRow = csv.find((line) => line.includes(firms[1]))!.split(",");
    assert.equal(sellerRow[6], (10n * price).toString(), "sales_wei");
    assert.equal(sellerRow[9], (10n * price - paid[1]).toString(), "profit_wei");
  });
});
