// The auction from the command line, as a teacher and students use it with the real `carbon` binary
// on one chain: the teacher opens an auction; students seal bids (kept 0600 on their own machine),
// reveal them, and the auction clears at one price; each bidder is settled with its quota and its
// escrow back to the wei, the one who never revealed included. Bad input is refused in one line
// before anything is sent. Last, every auction write is sent at its dearest and must stay under its
// fixed gas limit (cli/chain/gas.ts).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Auction, CLEAR_LEVELS_PER_CALL, MAX_BIDS } from "../../cli/chain/auction";
import { AUCTION_GAS_LIMITS } from "../../cli/chain/gas";
import { TICK_WEI } from "../../cli/chain/order-book-types";
import type { Outcome } from "../../cli/chain/outcome";
import { formatUtc } from "../../cli/input/time";
import { carbon, fingerprint, startMarket, type CliChain } from "./support/cli";

const TICK = TICK_WEI;
const ETHER = 10n ** 18n;

let cli: CliChain;
let env: NodeJS.ProcessEnv;
/** A second machine: the same chain, another CARBON_HOME. */
let elsewhere: NodeJS.ProcessEnv;
let bidders: string[];

async function run(args: string[], expected = 0, on = env): Promise<{ stdout: string; stderr: string }> {
  const ran = await carbon(args, on);
  assert.equal(ran.code, expected, `carbon ${args.join(" ")} exited ${ran.code}, not ${expected}:\n${ran.stderr}${ran.stdout}`);
  return ran;
}

async function json(args: string[], expected = 0, on = env): Promise<Record<string, any>> {
  return JSON.parse((await run([...args, "--json"], expected, on)).stdout);
}

/** The one line a refusal prints, and that nothing was sent. */
async function refused(args: string[], line: string): Promise<void> {
  const before = await fingerprint(cli);
  const { stdout, stderr } = await run(args, 2);
  assert.equal(stdout, "");
  assert.equal(stderr, `error: ${line}\n`);
  assert.equal(await fingerprint(cli), before, "nothing was sent");
}

async function advance(seconds: number): Promise<void> {
  await cli.rpc.request("evm_increaseTime", [seconds]);
  await cli.rpc.request("evm_mine");
}

const fee = async (txHash: string): Promise<bigint> => {
  const receipt = await cli.rpc.request<{ gasUsed: string; effectiveGasPrice: string }>("eth_getTransactionReceipt", [txHash]);
  return BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);
};

before(async () => {
  cli = await startMarket();
  env = { ...cli.env, TZ: "UTC" };
  elsewhere = { ...env, CARBON_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "carbon-elsewhere-")) };
  bidders = cli.accounts.slice(1, 5).map((account) => account.toLowerCase());
  for (const [i, account] of bidders.entries()) await cli.market.newCustomer(account, `pw-${i}`);
});

after(async () => {
  await cli.stop();
  fs.rmSync(elsewhere.CARBON_HOME!, { recursive: true, force: true });
});

describe("the auction, scripted", () => {
  const [ana, ben, cy, dan] = [1, 2, 3, 4].map(String);

  it("refuses what it can foresee, in one line, before anything is sent", async () => {
    await refused(["auction", "bid", ana, "10@0.0030"], "no auction has been opened: the regulator opens one with `carbon auction open` (or a lesson's round sells part of its cap: `carbon lesson round open --cut 30% --free 50%`)");
    await refused(["auction", "open", "--supply", "100"], "--reserve is required: the lowest price the auction sells at, in ether a unit, e.g. --reserve 0.0010");
    await refused(["auction", "open", "--supply", "100", "--reserve", "0.001", "--from", ana], `${bidders[0]} is not the regulator (${cli.market.regulator}); only the regulator can do this`);
    const opened = await json(["auction", "open", "--supply", "100", "--reserve", "0.0010", "--max-share", "50%", "--bids-by", "+1h", "--reveal-by", "+2h"]);
    assert.deepEqual([opened.ok, opened.message, opened.auction.phase, opened.auction.maxWin, opened.auction.reservePrice], [true, "Auction opened", "sealing", "50", "0.001"]);
    await refused(["auction", "bid", ana, "60@0.0030"], "the bids are for 60 units; one bidder may win at most 50 in auction #0");
    await refused(["auction", "bid", ana, "10@0.0005"], "bid 1 at 0.0005 ETH is under auction #0's reserve price of 0.001 ETH");
    await refused(["auction", "bid", ana, "10@0.0020", "10@0.0030"], "bid 2 is not cheaper than bid 1: bids go from the highest price down, one bid a price");
    await refused(["auction", "bid", ana, "10@0.00305"], "a price must be a whole number of 0.0001 ether from 0.0001 to 6.5535 ether a unit, not 0.00305");
    await refused(["auction", "bid", ana, "ten@0.003"], 'bid "ten@0.003" is not units@price, such as 50@0.0040 (50 units at 0.0040 ETH each)');
    await refused(["auction", "bid", ana, "10@0.0030", "--escrow", "0.01"], "the bids need 0.03 ETH in escrow; with 0.01 more you would hold 0.01");
    const bidsUntil = formatUtc(Date.parse(opened.auction.bidsUntil) / 1000);
    await refused(["auction", "reveal", ana], `auction #0 takes sealed bids until ${bidsUntil} on the chain's clock: reveal after that`);
  });

  it("seals bids with their escrow, keeps them only on the bidder's machine (0600), and shows nobody the bids", async () => {
    const sealed = await json(["auction", "bid", ana, "30@0.0050", "20@0.0030"]);
    assert.deepEqual([sealed.ok, sealed.message, sealed.escrowWei], [true, "Bids sealed", String(30n * 50n * TICK + 20n * 30n * TICK)]);
    await json(["auction", "bid", ben, "40@0.0040", "--escrow", "0.5"]);
    await json(["auction", "bid", cy, "50@0.0030"]);
    await json(["auction", "bid", dan, "50@0.0060"], 0, elsewhere); // sealed on another machine
    const file = path.join(env.CARBON_HOME!, "sealed-bids.json");
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.ok(!fs.readFileSync(file, "utf8").includes(bidders[3]), "dan's bids are not on this machine");
    const shown = await json(["auction", "show"]);
    assert.deepEqual(shown.bidders.map((bidder: any) => [bidder.address, bidder.state, bidder.bids.length]), bidders.map((account) => [account, "sealed", 0]));
    assert.equal(shown.bidders[1].escrowWei, String(ETHER / 2n), "ben put up more than his bids need");
  });

  it("reveals after the bids' deadline, and clears at the lowest winning bid once reveals are over", async () => {
    await advance(3_601);
    for (const bidder of [ana, ben, cy]) assert.equal((await json(["auction", "reveal", bidder])).message, "Bids revealed");
    await refused(["auction", "reveal", dan], `this machine does not hold ${bidders[3]}'s sealed bids for auction #0 (they are kept where they were sealed, in CARBON_HOME's sealed-bids.json); unrevealed, the escrow comes back whole at settlement`);
    const early = await carbon(["auction", "clear"], env);
    assert.equal(early.code, 2);
    assert.match(early.stderr, /^error: auction #0 clears after its reveal deadline, .* UTC on the chain's clock\n$/);
    await advance(3_600);
    const cleared = await json(["auction", "clear"]);
    // 30 at 0.005 and 40 at 0.004 win in full; the 70 bid at 0.003 share the 30 left (20 → 8, 50 → 21).
    assert.deepEqual([cleared.message, cleared.auction.clearingPrice, cleared.auction.demand, cleared.auction.sold], ["Auction cleared", "0.003", "140", "99"]);
    assert.deepEqual(cleared.levels, [
      { price: "0.005", quantity: "30", atOrAbove: "30" },
      { price: "0.004", quantity: "40", atOrAbove: "70" },
      { price: "0.003", quantity: "70", atOrAbove: "140" },
    ]);
    assert.deepEqual(cleared.bidders.map((bidder: any) => bidder.wins), ["38", "40", "21", "0"]);
  });

  it("settles every bidder to the wei: a bidder settling itself is paid at once, the others' refunds wait for them", async () => {
    const price = 30n * TICK;
    const before = await cli.market.etherBalance(bidders[0]);
    const mine = await json(["auction", "settle", ana]);
    assert.deepEqual(mine.rows.map((row: any) => [row.account, row.amount, row.message]), [[bidders[0], "38", "Bids settled"]]);
    const escrow = 30n * 50n * TICK + 20n * 30n * TICK;
    assert.equal(await cli.market.etherBalance(bidders[0]), before - (await fee(mine.rows[0].txHash)) + escrow - 38n * price);
    const rest = await json(["auction", "settle", "--all"]);
    assert.deepEqual(rest.rows.map((row: any) => [row.account, row.amount]), [[bidders[1], "40"], [bidders[2], "21"], [bidders[3], "0"]]);
    for (const [i, won] of [38n, 40n, 21n, 0n].entries()) assert.equal(await cli.market.customerCarbonAmount(bidders[i]), won);
    const again = await carbon(["auction", "settle", "--all"], cli.env);
    assert.equal(again.code, 2, "nobody is left to settle");
    assert.equal(again.stderr, "error: nobody is left to settle in the latest auction: every bidder is settled (or nobody bid)\n");
    const auction = await Auction.attach(cli.market);
    assert.equal(await auction.withdrawable(bidders[1]), ETHER / 2n - 40n * price, "ben's refund: his escrow less 40 at the clearing price");
    assert.equal(await auction.withdrawable(bidders[3]), 50n * 60n * TICK, "dan never revealed: all of his escrow");
    assert.equal(await auction.withdrawable(cli.market.regulator), 99n * price, "the revenue is the regulator's");
    const withdrawn = await json(["auction", "withdraw", ben]);
    assert.equal(withdrawn.amountWei, String(ETHER / 2n - 40n * price));
    await run(["auction", "withdraw", cy]);
    await run(["auction", "withdraw", dan]);
    await run(["auction", "withdraw", "0"]);
    assert.equal(await cli.market.etherBalance(auction.address), 0n, "nothing is left in the auction");
    await refused(["auction", "withdraw", ana], `${bidders[0]} has nothing to withdraw from the auction`);
    await refused(["auction", "settle", ana], `${bidders[0]}'s bids in auction #0 are settled already: it won 38`);
  });
});

it("the auction's writes stay under their fixed gas limits at their dearest, clearing a full batch of levels included", async () => {
  const { market, accounts } = cli;
  const all = accounts.slice(1, 9);
  for (const bidder of all) if (!(await market.roles(bidder)).customer) await market.newCustomer(bidder, "a password of some length");
  const auction = await Auction.attach(market);
  const used: Record<string, number> = {};
  const note = (method: string, outcome: Outcome) => {
    assert.equal(outcome.ok, true, `${method}: ${outcome.message}`);
    used[method] = Math.max(used[method] ?? 0, outcome.gasUsed);
  };
  const now = Number((await cli.rpc.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false])).timestamp);
  // One unit short of every bid: the walk goes through every level and the last is the marginal one.
  note("openAuction", await auction.open({ supply: BigInt(all.length * MAX_BIDS - 1), reservePrice: TICK, maxShareBps: 10_000n, commitDeadline: now + 3_600, revealDeadline: now + 7_200 }));
  // Each bidder's MAX_BIDS bids at prices in as many bitmap words (256 ticks a word), none shared:
  // every reveal opens fresh levels and words.
  const bids = (i: number) => Array.from({ length: MAX_BIDS }, (_, j) => ({ quantity: 1n, price: TICK * BigInt(60_000 - j * 256 * 8 - i) }));
  for (const [i, bidder] of all.entries()) note("commitBids", await auction.seal(bids(i), bidder));
  await advance(3_601);
  for (const bidder of all) note("revealBids", await auction.reveal(bidder));
  await advance(3_601);
  // The levels a clear walks cost the same each (about 3,000 gas): measured on the 32 here, checked for a full batch.
  const { outcomes } = await auction.clear(accounts[0]);
  assert.equal(outcomes.length, 1);
  const levels = all.length * MAX_BIDS;
  const perLevel = Math.ceil((outcomes[0].gasUsed - 60_000) / levels);
  used.clearAuction = 60_000 + perLevel * CLEAR_LEVELS_PER_CALL;
  for (const bidder of all) note("settleBidder", await auction.settle(bidder, accounts[0]));
  note("withdrawRefund", await auction.withdraw(all[0]));
  for (const [method, gas] of Object.entries(used)) {
    const limit = Number(AUCTION_GAS_LIMITS[method]);
    assert.ok(gas * 1.1 <= limit, `${method} used ${gas} gas; its limit of ${limit} leaves under 10 % spare`);
  }
  assert.deepEqual(Object.keys(used).sort(), Object.keys(AUCTION_GAS_LIMITS).sort(), "every auction method measured");
});
