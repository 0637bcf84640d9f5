// A lesson without people: 20 automatic firms (40 in the long run) play three rounds under rising cuts with the real
// `carbon` binary, and the market finds the least-cost allocation, as the thesis claims trading
// does. The test computes each round's equilibrium price and least cost itself, from the schedules
// the chain holds, and checks the reported figures against them; the last round's efficiency must
// be at least 90 % and its average price within 15 % of the equilibrium. The second round sells half
// its cap at auction: the test clears the revealed bids itself (the uniform price where they meet
// the supply, the marginal level pro rata) and checks every firm's part and every wei of escrow.
// After every round the market's quota and ether are conserved: balances + the book's escrow =
// issued − surrendered, and the lesson holds exactly what the firms paid for abatement.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Compliance } from "../../cli/chain/compliance";
import { Lesson, type LessonFirm } from "../../cli/chain/lesson";
import { OrderBook } from "../../cli/chain/order-book";
import { scaled } from "../support/test-size";
import { carbon, startMarket, type CliChain } from "./support/cli";

/** 20 in `npm test`, 40 in `npm run test:long`. */
const FIRMS = scaled(40, 20);
const CUTS = [25n, 30n, 35n];
/** The round (0-based) that sells half its cap at auction. */
const AUCTION_ROUND = 1;

let cli: CliChain;
let env: NodeJS.ProcessEnv;

async function json(args: string[], expected = 0): Promise<Record<string, any>> {
  const ran = await carbon([...args, "--json"], env);
  assert.equal(ran.code, expected, `carbon ${args.join(" ")} exited ${ran.code}:\n${ran.stderr}${ran.stdout}`);
  return JSON.parse(ran.stdout);
}

/** Every tonne the class could abate, cheapest first: the least cost of a cut is the sum of its first `cut`. */
function unitCosts(firms: LessonFirm[]): bigint[] {
  return firms.flatMap((firm) => firm.blocks.flatMap((block) => Array<bigint>(Number(block.tonnes)).fill(block.costPerTonne))).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

before(async () => {
  cli = await startMarket();
  env = { ...cli.env, TZ: "UTC" };
});

after(async () => {
  await cli.stop();
});

describe("a lesson of automatic firms", () => {
  let firms: LessonFirm[];
  const paidByRound: bigint[] = [];

  it(`adds ${FIRMS} automatic firms, each with a key of its own kept only on the teacher's machine`, async () => {
    const setup = await json(["lesson", "setup", "--automatic", String(FIRMS), "--seed", "11", "--ether", "20"]);
    assert.equal(setup.rows.length, FIRMS);
    assert.ok(setup.rows.every((row: any) => row.ok), JSON.stringify(setup.rows.filter((row: any) => !row.ok)));
    const file = path.join(env.CARBON_HOME!, "automatic-firms.json");
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, "the keys file is the owner's alone");
    const stored = JSON.parse(fs.readFileSync(file, "utf8")).keys.map((entry: any) => entry.address);
    firms = await (await Lesson.attach(cli.market)).firms();
    assert.deepEqual(firms.map((firm) => firm.account), stored, "every automatic key is a firm");
    const names = await cli.market.names.namesOf(firms.map((firm) => firm.account));
    assert.deepEqual(firms.map((firm) => names.get(firm.account)), firms.map((_, i) => `auto-${i + 1}`), "named auto-1, auto-2, …");
    const played = await carbon(["lesson", "play"], env);
    assert.equal(played.code, 2, "no round is open yet");
    assert.match(played.stderr, /^error: no round is open: the teacher opens one with `carbon lesson round open --cut 30%`\n$/);
  });

  for (const [k, cutPercent] of CUTS.entries()) {
    it(`plays round ${k + 1} under a ${cutPercent} % cut: every firm covered, figures as theory says, quota and ether conserved`, async () => {
      const auctioned = k === AUCTION_ROUND;
      const split = auctioned ? ["--free", "50%", "--bids-by", "+2h", "--reveal-by", "+4h"] : [];
      const opened = await json(["lesson", "round", "open", "--cut", `${cutPercent}%`, ...split, "--report-by", "+1d", "--surrender-by", "+2d"]);
      const total = firms.reduce((sum, firm) => sum + firm.baseline, 0n);
      const cut = (total * cutPercent) / 100n;
      assert.equal(opened.cut, cut.toString());
      if (auctioned) await playAuction(opened, k);
      const play = await json(["lesson", "play", "--seed", String(k + 1)]);
      assert.equal(play.ok, true, JSON.stringify(play.firms.filter((firm: any) => firm.failed.length > 0)));
      const units = unitCosts(firms);
      assert.equal(play.expectedPrice, units[Number(cut) - 1].toString(), "the firms expect the equilibrium price");
      assert.deepEqual(play.firms.filter((firm: any) => firm.short !== "0"), [], "every firm covered its emissions");
      const bought = play.firms.reduce((sum: bigint, firm: any) => sum + BigInt(firm.bought), 0n);
      const sold = play.firms.reduce((sum: bigint, firm: any) => sum + BigInt(firm.sold), 0n);
      assert.equal(bought, sold, "what was bought was sold");
      if (!auctioned) assert.ok(bought > 0n, "the firms traded");

      await json(["time", "advance", "3d"]);
      const closed = await json(["lesson", "round", "close"]);
      assert.deepEqual([...new Set(closed.enforced.map((row: any) => row.status))], ["A"], "every firm is A");

      const results = await json(["lesson", "results"]);
      const round = results.rounds[k];
      assert.equal(round.equilibriumPrice, units[Number(cut) - 1].toString());
      assert.equal(round.leastCost, units.slice(0, Number(cut)).reduce((sum, cost) => sum + cost, 0n).toString(), "the least cost: the class's cheapest tonnes");
      const abated = BigInt(round.abated);
      assert.ok(abated >= cut, `the class abated the cut at least (${abated} of ${cut})`);
      const paid = BigInt(round.actualCost);
      const least = units.slice(0, Number(abated)).reduce((sum, cost) => sum + cost, 0n);
      assert.equal(round.efficiency, Number((least * 1_000_000n) / paid) / 1_000_000, "efficiency: least cost of what was abated ÷ what was paid");
      paidByRound.push(paid);

      // Quota: every unit issued is held, escrowed on the book, or surrendered; no lot was settled.
      const compliance = new Compliance(cli.market);
      const book = new OrderBook(cli.market);
      const held = (await Promise.all(firms.map((firm) => cli.market.customerCarbonAmount(firm.account)))).reduce((sum, units) => sum + units, 0n);
      const { issued, settled } = await cli.market.totals();
      assert.equal(held + (await book.escrow()).carbon + (await compliance.surrenderedCarbonAmount()), issued - settled, "balances + escrow + surrendered = issued − settled");
      // Ether: the lesson holds what every round's abatement cost.
      assert.equal(await cli.market.etherBalance((await Lesson.attach(cli.market)).address), paidByRound.reduce((sum, wei) => sum + wei, 0n));
    });
  }

  /** The round's auction through the firms' turns: sealed, revealed, then cleared and settled by the play that trades. */
  async function playAuction(opened: Record<string, any>, k: number): Promise<void> {
    assert.equal(opened.auction.ok, true, JSON.stringify(opened.auction));
    const supply = BigInt(opened.auction.supply);
    assert.equal(supply + BigInt(opened.free), BigInt(opened.cap), "the cap is issued free or sold");
    const sealed = await json(["lesson", "play", "--seed", String(k + 1)]);
    assert.deepEqual([sealed.auction.action, sealed.auction.waiting], ["sealed", true]);
    assert.ok(sealed.auction.bids.length > FIRMS / 2, "most firms bid");
    const hidden = await json(["auction", "show"]);
    assert.ok(hidden.bidders.every((bidder: any) => bidder.state === "sealed" && bidder.bids.length === 0), "the bids are sealed");
    await json(["time", "advance", "2h1m"]);
    const revealed = await json(["lesson", "play", "--seed", String(k + 1)]);
    assert.deepEqual([revealed.auction.action, revealed.auction.bids.length], ["revealed", sealed.auction.bids.length]);
    await json(["time", "advance", "2h"]);
  }

  it("cleared the auction where the revealed bids meet the supply, each firm paying the one price and refunded to the wei", async () => {
    const shown = await json(["auction", "show"]);
    const { auction } = shown;
    assert.equal(auction.phase, "cleared");
    const supply = BigInt(auction.supply);
    const wei = (ether: string) => BigInt(Math.round(Number(ether) * 1e4)) * 10n ** 14n; // prices are whole ticks
    const levels: Array<{ price: bigint; quantity: bigint }> = [];
    for (const bidder of shown.bidders) for (const bid of bidder.bids) {
      const price = wei(bid.price);
      const level = levels.find((entry) => entry.price === price);
      if (level) level.quantity += BigInt(bid.quantity);
      else levels.push({ price, quantity: BigInt(bid.quantity) });
    }
    levels.sort((a, b) => (a.price > b.price ? -1 : 1));
    let above = 0n;
    let clearing = wei(auction.reservePrice);
    let marginal: { quantity: bigint; fill: bigint } | undefined;
    for (const level of levels) {
      if (above + level.quantity >= supply) {
        clearing = level.price;
        marginal = { quantity: level.quantity, fill: supply - above };
        break;
      }
      above += level.quantity;
    }
    assert.equal(wei(auction.clearingPrice), clearing, "the clearing price: the lowest winning bid, or the reserve");
    const auctionContract = await cli.market.lessonModule("Auction");
    let revenue = 0n;
    for (const bidder of shown.bidders) {
      let won = 0n;
      for (const bid of bidder.bids) {
        const price = wei(bid.price);
        if (!marginal || price > clearing) won += BigInt(bid.quantity);
        else if (price === clearing) won += (BigInt(bid.quantity) * marginal.fill) / marginal.quantity;
      }
      assert.equal(BigInt(bidder.wins), won, `what ${bidder.address} won`);
      assert.equal(BigInt(bidder.paysWei), won * clearing);
      assert.equal(bidder.state, "settled");
      revenue += won * clearing;
    }
    assert.equal(BigInt(auction.revenueWei), revenue);
    // The firms settled themselves: their refunds were paid at once; the auction keeps only the revenue, the regulator's to withdraw.
    assert.equal(await cli.market.etherBalance(auctionContract), revenue, "the auction holds the revenue and nothing else");
    const results = await json(["lesson", "results"]);
    assert.equal(results.rounds[AUCTION_ROUND].auction.clearingPrice, clearing.toString());
    const paid = results.rounds[AUCTION_ROUND].firms.reduce((sum: bigint, firm: any) => sum + BigInt(firm.auctionPaid), 0n);
    assert.equal(paid, revenue, "the results count what each firm paid at auction");
  });

  it("ends near the least-cost allocation: efficiency at least 90 %, the price within 15 % of the equilibrium", async () => {
    const results = await json(["lesson", "results"]);
    const last = results.rounds[results.rounds.length - 1];
    assert.ok(last.efficiency >= 0.9, `efficiency ${last.efficiency}`);
    const price = Number(BigInt(last.averagePrice));
    const equilibrium = Number(BigInt(last.equilibriumPrice));
    assert.ok(Math.abs(price - equilibrium) <= 0.15 * equilibrium, `average price ${price} against ${equilibrium}`);
    assert.ok(BigInt(last.actualCost) < BigInt(last.uniformCost), "trading cut at less than the uniform standard would");
    assert.equal(results.leaderboard.length, FIRMS);
  });
});
