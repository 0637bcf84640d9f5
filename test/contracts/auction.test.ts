// The allowance auction: sealed bids (commit, reveal), a uniform clearing price where the bids meet
// the supply or the reserve when they do not, the marginal price level shared pro rata, each bidder
// settled with its quota issued under the market's rules and its escrow returned exactly, clearing
// in batches, refusals that change nothing, and a bidder that refuses ether blocking nobody else.
import type BN from "bn.js";
import { hostileTrader } from "../support/hostile-trader";
import { chainTime, deployedCompliance, mineAt, openPeriod } from "./compliance-helpers";
import { deployedMarket, digestOf, expectCustomError, expectOutcome, isolate, revertData, selector } from "./helpers";

const TICK = 10n ** 14n;
const DAY = 86_400;
const big = (value: BN | string | number): bigint => BigInt(value.toString());
const SALT = "0x" + "5a".repeat(32);

interface Bids {
  quantities: bigint[];
  prices: bigint[];
}

const bids = (...pairs: [number, number][]): Bids => ({
  quantities: pairs.map(([quantity]) => BigInt(quantity)),
  prices: pairs.map(([, ticks]) => BigInt(ticks) * TICK),
});

contract("Auction", (accounts) => {
  const [regulator, ana, ben, cy, dan, stranger] = accounts;
  let carbon: CarbonInstance;
  let auction: AuctionInstance;

  before(async () => {
    ({ carbon } = await deployedMarket());
    auction = await artifacts.require("Auction").deployed();
    for (const account of [ana, ben, cy, dan]) await carbon.newCustomer(account, digestOf(account), { from: account });
  });

  isolate();

  function commitment(id: number, bidder: string, { quantities, prices }: Bids, salt = SALT): string {
    const encoded = web3.eth.abi.encodeParameters(
      ["address", "uint256", "address", "uint256[]", "uint256[]", "bytes32"],
      [auction.address, id, bidder, quantities.map(String), prices.map(String), salt],
    );
    return web3.utils.keccak256(encoded);
  }

  /** Opens auction `supply` units at `reserveTicks`, one bidder winning at most `shareBps`; bids sealed for a day, revealed the next. */
  async function open(supply: number, reserveTicks = 10, shareBps = 10_000): Promise<{ id: number; commitBy: number; revealBy: number }> {
    const id = Number(await auction.auctionCount());
    const now = await chainTime();
    const [commitBy, revealBy] = [now + DAY, now + 2 * DAY];
    const tx = await auction.openAuction(supply, String(BigInt(reserveTicks) * TICK), shareBps, commitBy, revealBy, { from: regulator });
    expectOutcome(tx, "OpenAuction", { sender: regulator, isSuccess: true, message: "Auction opened" });
    return { id, commitBy, revealBy };
  }

  async function seal(id: number, bidder: string, sealed: Bids, escrow: bigint): Promise<TruffleTransaction> {
    return auction.commitBids(id, commitment(id, bidder, sealed), { from: bidder, value: String(escrow) });
  }

  async function reveal(id: number, bidder: string, revealed: Bids, salt = SALT): Promise<TruffleTransaction> {
    return auction.revealBids(id, revealed.quantities.map(String), revealed.prices.map(String), salt, { from: bidder });
  }

  const cost = ({ quantities, prices }: Bids): bigint => quantities.reduce((sum, quantity, i) => sum + quantity * prices[i], 0n);
  const quota = async (account: string): Promise<bigint> => big(await carbon.getCustomerCarbonAmount(account));
  const balance = async (account: string): Promise<bigint> => BigInt(await web3.eth.getBalance(account));
  const fee = async (tx: TruffleTransaction): Promise<bigint> => {
    const receipt = await web3.eth.getTransactionReceipt(tx.tx);
    return BigInt(receipt.gasUsed) * BigInt(String(receipt.effectiveGasPrice));
  };

  /** The contract's ether is the escrow of bidders not settled plus the credits, at every step. */
  async function expectConserved(id: number): Promise<void> {
    const view = await auction.getAuction(id);
    assert.equal(await balance(auction.address), big(view.escrow) + big(await auction.withdrawableEther()), "balance = escrow + credits");
  }

  it("is the market's auction, wired by the migration, and seals bids as the client computes them", async () => {
    assert.equal(await carbon.auction(), auction.address);
    assert.equal(await auction.market(), carbon.address);
    assert.equal(await auction.compliance(), (await deployedCompliance()).address);
    const sealed = bids([30, 50], [20, 30]);
    assert.equal(await auction.commitmentOf(3, ana, sealed.quantities.map(String), sealed.prices.map(String), SALT), commitment(3, ana, sealed));
  });

  it("refuses to open from anyone but the regulator, with bad figures, or while another is under way", async () => {
    const now = await chainTime();
    await expectCustomError(auction.openAuction(100, String(TICK), 2500, now + DAY, now + 2 * DAY, { from: stranger }), "AuctionUnauthorizedRegulator(address)", [stranger]);
    await expectCustomError(auction.openAuction(0, String(TICK), 2500, now + DAY, now + 2 * DAY, { from: regulator }), "AuctionInvalidSupply(uint256)", [0]);
    await expectCustomError(auction.openAuction(100, String(TICK + 1n), 2500, now + DAY, now + 2 * DAY, { from: regulator }), "AuctionInvalidPrice(uint256)", [TICK + 1n]);
    await expectCustomError(auction.openAuction(100, String(TICK), 10_001, now + DAY, now + 2 * DAY, { from: regulator }), "AuctionInvalidShare(uint256)", [10_001]);
    await expectCustomError(auction.openAuction(100, String(TICK), 2500, now + DAY, now + DAY, { from: regulator }), "AuctionInvalidDeadlines(uint256,uint256)", [now + DAY, now + DAY]);
    const { id } = await open(100, 10, 2500);
    const view = await auction.getAuction(id);
    assert.deepEqual([view.phase, view.supply, view.reservePrice, view.maxWin], ["1", "100", String(10n * TICK), "25"]);
    const again = await auction.openAuction(100, String(TICK), 2500, now + DAY, now + 2 * DAY, { from: regulator });
    expectOutcome(again, "OpenAuction", { sender: regulator, isSuccess: false, message: "An auction is under way: clear it first" });
    assert.equal(String(await auction.auctionCount()), "1", "a refused auction is not opened");
  });

  it("clears at the lowest winning bid, shares the marginal level pro rata, and settles every bidder exactly", async () => {
    const { id, commitBy, revealBy } = await open(100, 10, 5000);
    const sealed = {
      [ana]: bids([30, 50], [20, 30]), // 30 at 0.0050, 20 at 0.0030
      [ben]: bids([40, 40]),
      [cy]: bids([50, 30]),
    };
    const extra = 5n * 10n ** 16n; // Ana puts up more than her bids need: the rest comes back
    const escrow = { [ana]: cost(sealed[ana]) + extra, [ben]: cost(sealed[ben]), [cy]: cost(sealed[cy]) };
    for (const bidder of [ana, ben, cy]) {
      const tx = await seal(id, bidder, sealed[bidder], escrow[bidder]);
      expectOutcome(tx, "CommitBids", { sender: bidder, isSuccess: true, message: "Bids sealed" });
    }
    await expectConserved(id);
    assert.deepEqual((await auction.getBidder(id, ana)).quantities, [], "the bids are hidden until revealed");
    assert.deepEqual(await auction.bidders(id, 0, 10), [ana, ben, cy], "the bidders, in the order they sealed");
    await seal(id, ana, sealed[ana], 0n + 1n); // sealing again adds to the escrow, and lists her once
    escrow[ana] += 1n;
    assert.deepEqual(await auction.bidders(id, 1, 10), [ben, cy]);

    await mineAt(commitBy + 1);
    for (const bidder of [ana, ben, cy]) {
      expectOutcome(await reveal(id, bidder, sealed[bidder]), "RevealBids", { sender: bidder, isSuccess: true, message: "Bids revealed" });
    }
    const levels = (await auction.levels(id, 0, 10)).map((level) => [level.price, level.quantity].map(String));
    assert.deepEqual(levels, [[String(50n * TICK), "30"], [String(40n * TICK), "40"], [String(30n * TICK), "70"]]);

    const early = await auction.clearAuction(id, 0, { from: stranger });
    expectOutcome(early, "ClearAuction", { sender: stranger, isSuccess: false, message: "The auction clears after the reveal deadline" });
    await mineAt(revealBy + 1);
    const cleared = await auction.clearAuction(id, 0, { from: stranger });
    expectOutcome(cleared, "ClearAuction", { sender: stranger, isSuccess: true, message: "Auction cleared" });
    const view = await auction.getAuction(id);
    // 30 + 40 above 0.0030; the 70 bid at it share the 30 left.
    assert.deepEqual([view.phase, view.clearingPrice, view.demand, view.marginalQuantity, view.marginalFill], ["4", String(30n * TICK), "140", "70", "30"]);

    const price = 30n * TICK;
    const won = { [ana]: 30n + (20n * 30n) / 70n, [ben]: 40n, [cy]: (50n * 30n) / 70n }; // 38, 40, 21: one unit unsold
    for (const bidder of [ana, ben, cy]) assert.equal(big((await auction.allocationOf(id, bidder)).won), won[bidder]);

    // Ana settles herself: her refund is paid to her at once.
    const before = await balance(ana);
    const mine = await auction.settleBidder(id, ana, { from: ana });
    expectOutcome(mine, "SettleBidder", { sender: ana, isSuccess: true, message: "Bids settled" });
    assert.equal(await balance(ana), before - (await fee(mine)) + escrow[ana] - won[ana] * price, "Ana gets her escrow less the clearing price for what she won");
    // The regulator settles Ben: his refund waits for him, credited.
    await auction.settleBidder(id, ben, { from: regulator });
    assert.equal(big(await auction.withdrawable(ben)), escrow[ben] - won[ben] * price);
    await auction.settleBidder(id, cy, { from: stranger });
    await expectConserved(id);
    for (const bidder of [ana, ben, cy]) assert.equal(await quota(bidder), won[bidder], "the market issued what was won");

    const settled = await auction.getAuction(id);
    const revenue = (won[ana] + won[ben] + won[cy]) * price;
    assert.deepEqual([settled.issued, settled.revenue, settled.escrow], [String(99n), String(revenue), "0"]);
    assert.equal(big(await auction.withdrawable(regulator)), revenue, "the revenue is the regulator's");

    const again = await auction.settleBidder(id, ana, { from: ana });
    expectOutcome(again, "SettleBidder", { sender: ana, isSuccess: false, message: "The bids are settled already" });
    const benBefore = await balance(ben);
    const withdrawn = await auction.withdrawRefund({ from: ben });
    expectOutcome(withdrawn, "WithdrawRefund", { sender: ben, isSuccess: true, message: "Ether withdrawn" });
    assert.equal(await balance(ben), benBefore - (await fee(withdrawn)) + escrow[ben] - won[ben] * price);
    await auction.withdrawRefund({ from: regulator });
    await auction.withdrawRefund({ from: cy });
    assert.equal(await balance(auction.address), 0n, "nothing is left behind");
  });

  it("sells at the reserve when the bids do not take the supply, and the next auction may open", async () => {
    const { id, commitBy, revealBy } = await open(100, 10);
    await seal(id, ana, bids([30, 25]), 30n * 25n * TICK);
    await seal(id, ben, bids([20, 12]), 20n * 12n * TICK);
    await mineAt(commitBy + 1);
    await reveal(id, ana, bids([30, 25]));
    await reveal(id, ben, bids([20, 12]));
    await mineAt(revealBy + 1);
    await auction.clearAuction(id, 0, { from: regulator });
    const view = await auction.getAuction(id);
    assert.deepEqual([view.clearingPrice, view.marginalQuantity], [String(10n * TICK), "0"]);
    await auction.settleBidder(id, ana, { from: ana });
    await auction.settleBidder(id, ben, { from: ben });
    assert.deepEqual([await quota(ana), await quota(ben)], [30n, 20n]);
    assert.equal(big(await auction.withdrawable(regulator)), 50n * 10n * TICK);
    await open(10);
  });

  it("clears in batches of price levels to the same result", async () => {
    const { id, commitBy, revealBy } = await open(60);
    const sealed = [bids([20, 40]), bids([20, 35]), bids([20, 30]), bids([20, 25])];
    const bidders = [ana, ben, cy, dan];
    for (const [i, bidder] of bidders.entries()) await seal(id, bidder, sealed[i], cost(sealed[i]));
    await mineAt(commitBy + 1);
    for (const [i, bidder] of bidders.entries()) await reveal(id, bidder, sealed[i]);
    await mineAt(revealBy + 1);
    for (let walk = 0; walk < 2; walk++) {
      const partly = await auction.clearAuction(id, 1, { from: stranger });
      expectOutcome(partly, "ClearAuction", { sender: stranger, isSuccess: true, message: "Auction partly cleared: clear it again" });
      assert.equal((await auction.getAuction(id)).phase, "3", "still clearing");
    }
    expectOutcome(await auction.clearAuction(id, 1, { from: stranger }), "ClearAuction", { sender: stranger, isSuccess: true, message: "Auction cleared" });
    const view = await auction.getAuction(id);
    assert.deepEqual([view.clearingPrice, view.marginalFill], [String(30n * TICK), "20"]);
    assert.deepEqual(await Promise.all(bidders.map(async (bidder) => String((await auction.allocationOf(id, bidder)).won))), ["20", "20", "20", "0"]);
  });

  it("refuses seals outside the rules (reverts: they carry ether) and reveals that break them (nothing counts, the escrow comes back whole)", async () => {
    const { id, commitBy, revealBy } = await open(100, 10, 2500); // a bidder may win 25
    const good = bids([10, 20]);
    await expectCustomError(seal(id, stranger, good, TICK), "AuctionNotCustomer(address)", [stranger]);
    await expectCustomError(auction.commitBids(id, commitment(id, ana, good), { from: ana }), "AuctionZeroEscrow()");
    await expectCustomError(auction.commitBids(id, "0x" + "00".repeat(32), { from: ana, value: String(TICK) }), "AuctionZeroCommitment()");
    await carbon.freezeAccount(dan, { from: regulator });
    await expectCustomError(seal(id, dan, good, TICK), "AuctionFrozen(address)", [dan]);
    await expectCustomError(auction.commitBids(9, commitment(9, ana, good), { from: ana, value: String(TICK) }), "AuctionUnknown(uint256)", [9]);

    const over = bids([30, 20]); // 30 > 25
    const short = bids([10, 20]); // escrow of 9 units' worth
    const under = bids([10, 9]); // under the reserve
    await seal(id, ana, over, cost(over));
    await seal(id, ben, short, cost(short) - 20n * TICK);
    await seal(id, cy, under, cost(under));
    const early = await reveal(id, ana, over);
    expectOutcome(early, "RevealBids", { sender: ana, isSuccess: false, message: "Bids are revealed after the commitment deadline" });
    await mineAt(commitBy + 1);
    await expectCustomError(seal(id, ana, over, TICK), "AuctionNotSealing(uint256,uint256)", [id, commitBy]);
    expectOutcome(await reveal(id, ana, over, "0x" + "11".repeat(32)), "RevealBids", { sender: ana, isSuccess: false, message: "These are not the bids sealed" });
    expectOutcome(await reveal(id, ana, over), "RevealBids", { sender: ana, isSuccess: false, message: "The bids are for more than one bidder may win" });
    expectOutcome(await reveal(id, ben, short), "RevealBids", { sender: ben, isSuccess: false, message: "The escrow does not cover the bids" });
    expectOutcome(await reveal(id, cy, under), "RevealBids", { sender: cy, isSuccess: false, message: "A bid is under the reserve price or not in whole ticks" });
    expectOutcome(await reveal(id, dan, good), "RevealBids", { sender: dan, isSuccess: false, message: "This account sealed no bids in this auction" });
    assert.equal((await auction.getAuction(id)).demand, "0", "no refused reveal counts");

    await mineAt(revealBy + 1);
    expectOutcome(await reveal(id, ana, over), "RevealBids", { sender: ana, isSuccess: false, message: "The reveal deadline has passed" });
    await auction.clearAuction(id, 0, { from: regulator });
    for (const bidder of [ana, ben, cy]) {
      const escrow = big((await auction.getBidder(id, bidder)).escrow);
      const tx = await auction.settleBidder(id, bidder, { from: regulator });
      const settled = tx.logs.find((log) => log.event === "BidderSettled")!;
      assert.deepEqual([big(settled.args.won as BN), big(settled.args.refund as BN)], [0n, escrow], "an unrevealed bidder gets its escrow back whole");
    }
  });

  it("refunds a winner the market will not issue to (over the period's cap) in full", async () => {
    const compliance = await deployedCompliance();
    await openPeriod(compliance, regulator, { cap: 10 });
    const { id, commitBy, revealBy } = await open(50);
    assert.equal((await auction.getAuction(id)).periodId, "0", "opened in period 0");
    const sealed = bids([40, 20]);
    await seal(id, ana, sealed, cost(sealed));
    await mineAt(commitBy + 1);
    await reveal(id, ana, sealed);
    await mineAt(revealBy + 1);
    await auction.clearAuction(id, 0, { from: regulator });
    const tx = await auction.settleBidder(id, ana, { from: regulator });
    expectOutcome(tx, "SettleBidder", {
      sender: regulator,
      isSuccess: true,
      message: "Bids settled, nothing won: the market refused the quota (The cap of this period would be exceeded)",
    });
    assert.equal(await quota(ana), 0n);
    assert.equal(big(await auction.withdrawable(ana)), cost(sealed));
    assert.equal(big(await auction.withdrawable(regulator)), 0n);
  });

  it("a bidder that refuses ether fails only its own call: others settle it, and its refund waits", async () => {
    const { abi, bytecode } = hostileTrader();
    const deployed = await web3.eth.sendTransaction({ from: stranger, data: bytecode, gas: 1_500_000 });
    const trader = new web3.eth.Contract(abi as never, deployed.contractAddress!) as unknown as {
      options: { address: string };
      methods: Record<string, (...args: unknown[]) => { encodeABI(): string; send(options: object): Promise<unknown>; call(options: object): Promise<unknown> }>;
    };
    const address = trader.options.address;
    type Encoder = { methods: Record<string, (...args: unknown[]) => { encodeABI(): string }> };
    const act = (to: string, data: string, value = 0n) => trader.methods.act(to, data).send({ from: stranger, value: String(value), gas: 1_000_000 });
    const carbonCalls = new web3.eth.Contract(carbon.abi as never) as unknown as Encoder;
    const auctionCalls = new web3.eth.Contract(auction.abi as never) as unknown as Encoder;
    await act(carbon.address, carbonCalls.methods.newCustomer(address, digestOf(address)).encodeABI());

    const { id, commitBy, revealBy } = await open(50);
    const sealed = bids([10, 20]);
    await act(auction.address, auctionCalls.methods.commitBids(id, commitment(id, address, sealed)).encodeABI(), cost(sealed) + TICK);
    await seal(id, ana, bids([10, 20]), cost(bids([10, 20])));
    await mineAt(commitBy + 1);
    await act(auction.address, auctionCalls.methods.revealBids(id, sealed.quantities.map(String), sealed.prices.map(String), SALT).encodeABI());
    await reveal(id, ana, bids([10, 20]));
    await mineAt(revealBy + 1);
    await auction.clearAuction(id, 0, { from: regulator });
    await trader.methods.setRefusing(true).send({ from: stranger, gas: 100_000 });

    let error: unknown;
    try {
      await trader.methods.act(auction.address, auctionCalls.methods.settleBidder(id, address).encodeABI()).call({ from: stranger, gas: 1_000_000 });
    } catch (caught) {
      error = caught;
    }
    assert.equal(revertData(error)?.slice(0, 10), selector("AuctionPaymentFailed(address,uint256)"), "its own settling call fails");
    await auction.settleBidder(id, address, { from: regulator });
    await auction.settleBidder(id, ana, { from: ana });
    assert.deepEqual([await quota(address), await quota(ana)], [10n, 10n]);
    assert.equal(big(await auction.withdrawable(address)), cost(sealed) + TICK - 10n * 10n * TICK, "its refund is credited, not paid");
    await expectConserved(id);
  });

  it("reveals cost the same for the first bidder and the fourth", async () => {
    const { id, commitBy } = await open(1_000);
    const bidders = [ana, ben, cy, dan];
    for (const bidder of bidders) await seal(id, bidder, bids([10, 20]), 10n * 20n * TICK);
    await mineAt(commitBy + 1);
    const gas: number[] = [];
    for (const bidder of bidders) gas.push((await reveal(id, bidder, bids([10, 20]))).receipt.gasUsed);
    // The first reveal opens the price level; the rest add to it, each at the same cost.
    assert.equal(gas[1], gas[3], `reveal gas: ${gas.join(", ")}`);
  });
});
