// The auction as a property: random auctions (supply, reserve, the share one bidder may win),
// random bidders sealing random demand curves with random extra escrow, some never revealing,
// cleared in random batches by anyone and settled in a random order by the bidders themselves or
// by others. After every call the auction's ether is the escrow not yet settled plus the credits;
// after each auction the clearing price, every bidder's units and payment are what a reference
// clearing written here says, every bidder's escrow is paid back to the wei less what it won, the
// units issued are the market's, and the revenue is the regulator's.
import type BN from "bn.js";
import { chainTime, mineAt } from "./compliance-helpers";
import { deployedMarket, digestOf, isolate } from "./helpers";
import { prng, propertySeed, propertySteps } from "./seeded";

const SEED = propertySeed();
const AUCTIONS = propertySteps(12, 1);
const TICK = 10n ** 14n;
const big = (value: BN | string | number): bigint => BigInt(value.toString());

interface Bidder {
  account: string;
  quantities: bigint[];
  prices: bigint[];
  escrow: bigint;
  reveals: boolean;
}

/** The clearing the contract must reach, from the revealed bids alone. */
function reference(supply: bigint, reserve: bigint, bidders: Bidder[]): { price: bigint; won: Map<string, bigint> } {
  const revealed = bidders.filter((bidder) => bidder.reveals);
  const levels = new Map<bigint, bigint>();
  for (const bidder of revealed) bidder.prices.forEach((price, i) => levels.set(price, (levels.get(price) ?? 0n) + bidder.quantities[i]));
  const prices = [...levels.keys()].sort((a, b) => (a > b ? -1 : 1));
  let above = 0n;
  let price = reserve;
  let marginal: { quantity: bigint; fill: bigint } | undefined;
  for (const level of prices) {
    const quantity = levels.get(level)!;
    if (above + quantity >= supply) {
      price = level;
      marginal = { quantity, fill: supply - above };
      break;
    }
    above += quantity;
  }
  const won = new Map<string, bigint>();
  for (const bidder of bidders) {
    let units = 0n;
    if (bidder.reveals) {
      bidder.prices.forEach((bid, i) => {
        if (!marginal || bid > price) units += bidder.quantities[i];
        else if (bid === price) units += (bidder.quantities[i] * marginal.fill) / marginal.quantity;
      });
    }
    won.set(bidder.account, units);
  }
  return { price, won };
}

contract("Auction, as a property", (accounts) => {
  const [regulator, ...others] = accounts;
  const customers = others.slice(0, 8);
  let carbon: CarbonInstance;
  let auction: AuctionInstance;

  before(async () => {
    ({ carbon } = await deployedMarket());
    auction = await artifacts.require("Auction").deployed();
    for (const account of customers) await carbon.newCustomer(account, digestOf(account), { from: account });
  });

  isolate();

  it(`${AUCTIONS} random auctions clear as the reference says, and every wei and unit is accounted for`, async () => {
    const random = prng(SEED);
    const pick = (n: number) => Math.floor(random() * n);
    const commitment = (id: number, bidder: Bidder, salt: string) =>
      web3.utils.keccak256(web3.eth.abi.encodeParameters(["address", "uint256", "address", "uint256[]", "uint256[]", "bytes32"], [auction.address, id, bidder.account, bidder.quantities.map(String), bidder.prices.map(String), salt]));
    const conserved = async (id: number, when: string) => {
      const view = await auction.getAuction(id);
      const held = BigInt(await web3.eth.getBalance(auction.address));
      assert.equal(held, big(view.escrow) + big(await auction.withdrawableEther()), `seed ${SEED}, auction ${id}, ${when}: balance = escrow + credits`);
    };
    const quotaBefore = new Map<string, bigint>();
    for (const account of customers) quotaBefore.set(account, big(await carbon.getCustomerCarbonAmount(account)));
    let revenueCredited = 0n;
    const credits = new Map<string, bigint>();

    for (let id = 0; id < AUCTIONS; id++) {
      const supply = BigInt(20 + pick(200));
      const reserve = BigInt(1 + pick(20)) * TICK;
      const shareBps = [2_500, 5_000, 10_000][pick(3)];
      const maxWin = (supply * BigInt(shareBps)) / 10_000n || 1n;
      const now = await chainTime();
      await auction.openAuction(String(supply), String(reserve), shareBps, now + 3_600, now + 7_200, { from: regulator });

      const bidders: Bidder[] = customers.filter(() => random() < 0.8).map((account) => {
        const count = 1 + pick(4);
        let price = reserve + BigInt(pick(60) + count) * TICK;
        const quantities: bigint[] = [];
        const prices: bigint[] = [];
        let total = 0n;
        for (let i = 0; i < count && price >= reserve && total < maxWin; i++) {
          const quantity = 1n + BigInt(pick(Number(maxWin - total)));
          quantities.push(quantity);
          prices.push(price);
          total += quantity;
          price -= BigInt(1 + pick(10)) * TICK;
        }
        const cost = quantities.reduce((sum, quantity, i) => sum + quantity * prices[i], 0n);
        return { account, quantities, prices, escrow: cost + BigInt(pick(3)) * TICK * 7n, reveals: random() < 0.85 };
      });
      const salts = new Map(bidders.map((bidder) => [bidder.account, web3.utils.randomHex(32)]));
      for (const bidder of bidders) await auction.commitBids(id, commitment(id, bidder, salts.get(bidder.account)!), { from: bidder.account, value: String(bidder.escrow) });
      await conserved(id, "sealed");
      await mineAt(now + 3_601);
      for (const bidder of bidders.filter((entry) => entry.reveals)) {
        await auction.revealBids(id, bidder.quantities.map(String), bidder.prices.map(String), salts.get(bidder.account)!, { from: bidder.account });
      }
      await mineAt(now + 7_201);
      for (let calls = 0; (await auction.getAuction(id)).phase !== "4"; calls++) {
        assert.isBelow(calls, 100, "clearing ends");
        await auction.clearAuction(id, 1 + pick(8), { from: accounts[pick(accounts.length)] });
      }
      const expected = reference(supply, reserve, bidders);
      const view = await auction.getAuction(id);
      assert.equal(big(view.clearingPrice), expected.price, `seed ${SEED}, auction ${id}: the clearing price`);

      await conserved(id, "cleared");
      const order = [...bidders].sort(() => random() - 0.5);
      let paid = 0n;
      for (const [n, bidder] of order.entries()) {
        const self = random() < 0.5;
        const caller = self ? bidder.account : accounts[pick(accounts.length)];
        const before = credits.get(bidder.account) ?? 0n;
        const tx = await auction.settleBidder(id, bidder.account, { from: caller });
        const settled = tx.logs.find((log) => log.event === "BidderSettled")!.args;
        const won = expected.won.get(bidder.account)!;
        assert.equal(big(settled.won as BN), won, `seed ${SEED}, auction ${id}: what ${bidder.account} won`);
        assert.equal(big(settled.paid as BN) + big(settled.refund as BN), bidder.escrow, "paid + refund = the escrow");
        assert.equal(big(settled.paid as BN), won * expected.price, "every winner pays the one price");
        credits.set(bidder.account, before + (caller === bidder.account ? 0n : bidder.escrow - won * expected.price));
        paid += won * expected.price;
        if (n === Math.floor(order.length / 2)) await conserved(id, "half settled");
      }
      await conserved(id, "settled");
      // A refund is paid to its owner when it settles itself, else credited to it.
      for (const bidder of bidders) assert.equal(big(await auction.withdrawable(bidder.account)), credits.get(bidder.account) ?? 0n, `${bidder.account}'s credit`);
      revenueCredited += paid;
      assert.equal(big((await auction.getAuction(id)).escrow), 0n, "all escrow settled");
      assert.equal(big(await auction.withdrawable(regulator)), revenueCredited, "the revenue is the regulator's");
      for (const bidder of bidders) quotaBefore.set(bidder.account, quotaBefore.get(bidder.account)! + expected.won.get(bidder.account)!);
      for (const account of customers) assert.equal(big(await carbon.getCustomerCarbonAmount(account)), quotaBefore.get(account), `seed ${SEED}: ${account}'s quota`);
    }
    for (const account of [...customers, ...accounts]) if (big(await auction.withdrawable(account)) > 0n) await auction.withdrawRefund({ from: account });
    assert.equal(await web3.eth.getBalance(auction.address), "0", "nothing is left in the auction");
    console.log(`      (seed ${SEED}: ${AUCTIONS} auctions)`);
  });
});
