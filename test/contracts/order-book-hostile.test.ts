// The order book against a hostile customer: a contract (HostileTrader) that turns every payment it
// receives into an attempt on each of the book's mutators, or refuses ether outright. In each role
// it can take (maker, taker, canceller, withdrawer, owner of an expired or frozen order) it must
// neither re-enter nor block anybody else; after each scenario the conservation law holds and the
// honest accounts hold exactly what they traded for.
import { isolate } from "./helpers";
import { all, Answer, bookOutcomes, Trader } from "./hostile-trader";
import {
  advance,
  ask,
  bid,
  type BookMarket,
  deployedBook,
  etherOf,
  expectConserved,
  fundTraders,
  gasFee,
  latestTime,
  orderOf,
  outcomeOf,
  outcomes,
  price,
  Status,
  TICK,
} from "./order-book-helpers";

/** The ether of `quantity` units at `ticks` ticks. */
const value = (quantity: number, ticks: number): bigint => BigInt(quantity) * BigInt(ticks) * TICK;

contract("OrderBook against a hostile trader", ([regulator, operator, alice, bob, carol]) => {
  const honest = [alice, bob, carol];
  let m: BookMarket;
  let book: OrderBookInstance;
  let trader: Trader;
  let customers: string[];

  const quota = async (account: string): Promise<number> => Number(await m.carbon.getCustomerCarbonAmount(account));
  const credit = async (account: string): Promise<bigint> => BigInt(String(await book.withdrawable(account)));

  /** The honest accounts' ether and quota, to compare with after a scenario. */
  async function holdings(): Promise<Map<string, { ether: bigint; quota: number }>> {
    const rows = await Promise.all(honest.map(async (account) => [account, { ether: await etherOf(account), quota: await quota(account) }] as const));
    return new Map(rows);
  }

  /** Each honest account moved by exactly `changes` (ether net of its gas), the others not at all. */
  async function expectHoldings(before: Map<string, { ether: bigint; quota: number }>, changes: Record<string, { ether?: bigint; quota?: number }>): Promise<void> {
    for (const account of honest) {
      const was = before.get(account)!;
      const change = changes[account] ?? {};
      assert.equal((await etherOf(account)).toString(), (was.ether + (change.ether ?? 0n)).toString(), `${account}'s ether`);
      assert.equal(await quota(account), was.quota + (change.quota ?? 0), `${account}'s quota`);
    }
  }

  before(async () => {
    m = await deployedBook();
    book = m.book;
  });

  isolate();

  before(async () => {
    await fundTraders(m, regulator, honest, 1000);
    trader = await Trader.deploy(m, operator, regulator, 100);
    customers = [...honest, trader.address];
  });

  describe("as a maker: its resting orders filled by others", () => {
    it("credits a filled ask's proceeds instead of paying them, so no payment, and no re-entry, ever reaches it", async () => {
      const placed = await trader.ask(10, 100);
      const id = Number(await book.orderCount());
      assert.deepEqual(await bookOutcomes(m, placed.hash, "PlaceAsk"), ["true Order placed"], "its ask rests");
      await trader.arm(id); // the attack: cancel the very ask being filled, from its proceeds
      const before = await holdings();

      const fill = await bid(book, bob, 10, 100);

      assert.equal(outcomeOf(fill, "PlaceBid").message, "Order filled", "bob's bid fills");
      assert.deepEqual(await trader.payments(), { count: 0, amount: 0n }, "no ether is sent to the maker");
      assert.deepEqual(await trader.answers(), all(Answer.NotTried), "so nothing is re-entered");
      assert.equal(await credit(trader.address), value(10, 100), "its proceeds are credited");
      assert.equal((await orderOf(book, id)).status, Status.Filled, "the ask is filled, once");
      assert.equal(await quota(trader.address), 90, "its 10 units went to bob");
      await expectHoldings(before, { [bob]: { ether: -value(10, 100) - (await gasFee(fill)), quota: 10 } });
      await expectConserved(m, customers);
    });

    it("credits a filled bid's quota; the seller is paid, the trader is sent nothing", async () => {
      await trader.bid(10, 100);
      const id = Number(await book.orderCount());
      await trader.arm(id);
      const before = await holdings();

      const fill = await ask(book, alice, 10, 100);

      assert.equal(outcomeOf(fill, "PlaceAsk").message, "Order filled", "alice's ask fills");
      assert.deepEqual(await trader.payments(), { count: 0, amount: 0n }, "no ether to the trader");
      assert.equal(await quota(trader.address), 110, "it got its 10 units");
      await expectHoldings(before, { [alice]: { ether: value(10, 100) - (await gasFee(fill)), quota: -10 } });
      await expectConserved(m, customers);
    });
  });

  describe("paid directly, last, under the lock: every re-entry from the payment is refused and the call goes through", () => {
    /** A resting bid of the trader's own, the target its re-entries try to cancel. */
    async function target(): Promise<number> {
      await trader.bid(10, 50);
      const id = Number(await book.orderCount());
      await trader.arm(id);
      return id;
    }

    /** The payment reached it once with `amount`, each attempt was refused, and its target still rests. */
    async function expectRefused(id: number, amount: bigint): Promise<void> {
      assert.deepEqual(await trader.payments(), { count: 1, amount }, "one payment, of its own ether");
      assert.deepEqual(await trader.answers(), all(Answer.Refused), "every re-entry is refused with OrderBookReentrantCall");
      assert.equal((await orderOf(book, id)).status, Status.Open, "its target order still rests");
    }

    it("its bid's change", async () => {
      await ask(book, alice, 10, 100);
      const id = await target();
      const before = await holdings();
      const ether = await etherOf(trader.address);

      const sent = await trader.bid(10, 120);

      assert.deepEqual(await bookOutcomes(m, sent.hash, "PlaceBid"), ["true Order filled"], "the bid fills at alice's 100");
      await expectRefused(id, value(10, 20));
      assert.equal(await etherOf(trader.address), ether + value(10, 20), "the change is the trader's");
      assert.equal(await quota(trader.address), 110, "and so are the 10 units");
      assert.equal(await credit(alice), value(10, 100), "alice's proceeds are credited");
      await expectHoldings(before, {});
      await expectConserved(m, customers);
    });

    it("its ask's proceeds", async () => {
      await bid(book, bob, 10, 100);
      const id = await target();
      const before = await holdings();

      const sent = await trader.ask(10, 100);

      assert.deepEqual(await bookOutcomes(m, sent.hash, "PlaceAsk"), ["true Order filled"], "the ask fills bob's bid");
      await expectRefused(id, value(10, 100));
      await expectHoldings(before, { [bob]: { quota: 10 } });
      await expectConserved(m, customers);
    });

    it("its own bid's escrow, when it cancels the bid", async () => {
      await trader.bid(10, 100);
      const cancelled = Number(await book.orderCount());
      const id = await target();

      const sent = await trader.onBook("cancelOrder", [cancelled]);

      assert.deepEqual(await bookOutcomes(m, sent.hash, "CancelOrder"), ["true Order cancelled"], "CancelOrder");
      await expectRefused(id, value(10, 100));
      assert.equal(String(await book.escrowedEther()), value(10, 50).toString(), "the target's escrow alone is held");
      await expectConserved(m, customers);
    });

    it("its own expired bid's escrow, when it expires the bid itself or sweeps its level", async () => {
      const expiry = (await latestTime()) + 60;
      await trader.bid(10, 100, expiry);
      const first = Number(await book.orderCount());
      await trader.bid(10, 90, expiry);
      const second = Number(await book.orderCount());
      const id = await target();
      await advance(120);

      const expired = await trader.onBook("expireOrder", [first]);
      assert.deepEqual(await bookOutcomes(m, expired.hash, "ExpireOrder"), ["true Order expired"], "ExpireOrder");
      await expectRefused(id, value(10, 100));

      const swept = await trader.onBook("pruneLevel", [true, price(90), 20]);
      assert.deepEqual(await bookOutcomes(m, swept.hash, "PruneLevel"), ["true Orders removed"], "PruneLevel");
      assert.equal((await orderOf(book, second)).status, Status.Expired, "the swept bid expired");
      assert.deepEqual(await trader.payments(), { count: 2, amount: value(10, 100) + value(10, 90) }, "each escrow paid to it once");
      assert.deepEqual(await trader.answers(), all(Answer.Refused), "every re-entry refused again");
      await expectConserved(m, customers);
    });

    it("its withdrawal of credited proceeds", async () => {
      await trader.ask(10, 100);
      await bid(book, bob, 10, 100);
      const id = await target();
      const ether = await etherOf(trader.address);

      const sent = await trader.onBook("withdraw", []);

      assert.deepEqual(await bookOutcomes(m, sent.hash, "Withdraw"), ["true Ether withdrawn"], "Withdraw");
      await expectRefused(id, value(10, 100));
      assert.equal(await credit(trader.address), 0n, "its credit is spent");
      assert.equal(await etherOf(trader.address), ether + value(10, 100), "once");
      await expectConserved(m, customers);
    });
  });

  describe("refusing ether: it blocks only its own calls", () => {
    it("its resting ask still fills, the proceeds credited; its withdraw reverts OrderBookPaymentFailed and the credit stays", async () => {
      await trader.ask(10, 100);
      await trader.setRefusing(true);
      const before = await holdings();

      const fill = await bid(book, bob, 10, 100);

      assert.equal(outcomeOf(fill, "PlaceBid").message, "Order filled", "bob's bid fills");
      await expectHoldings(before, { [bob]: { ether: -value(10, 100) - (await gasFee(fill)), quota: 10 } });
      await trader.expectBookRevert("withdraw", [], "OrderBookPaymentFailed(address,uint256)", [trader.address, value(10, 100)]);
      assert.equal(await credit(trader.address), value(10, 100), "the credit stays");
      await expectConserved(m, customers);
    });

    it("its resting bid still fills, the seller paid; cancelling its own bid reverts and the bid stays", async () => {
      await trader.bid(10, 100);
      await trader.bid(10, 90);
      const kept = Number(await book.orderCount());
      await trader.setRefusing(true);
      const before = await holdings();

      const fill = await ask(book, alice, 10, 100);

      assert.equal(outcomeOf(fill, "PlaceAsk").message, "Order filled", "alice's ask fills");
      await expectHoldings(before, { [alice]: { ether: value(10, 100) - (await gasFee(fill)), quota: -10 } });
      await trader.expectBookRevert("cancelOrder", [kept], "OrderBookPaymentFailed(address,uint256)", [trader.address, value(10, 90)]);
      assert.equal((await orderOf(book, kept)).status, Status.Open, "the bid it could not be paid for stays");
      await expectConserved(m, customers);
    });

    describe("its bid at the best price, expired or its owner frozen, is removed by anybody, its escrow credited", () => {
      let dead: number;

      beforeEach(async () => {
        await trader.bid(10, 110, (await latestTime()) + 60);
        dead = Number(await book.orderCount());
        await bid(book, carol, 10, 100);
        await trader.setRefusing(true);
      });

      /** The dead bid is gone, its escrow credited, the best bid carol's (if it rests), and the laws hold. */
      async function expectRemoved(status: Status, best = price(100)): Promise<void> {
        assert.equal((await orderOf(book, dead)).status, status, "the trader's bid is removed");
        assert.equal(await credit(trader.address), value(10, 110), "its escrow is credited to it");
        assert.equal(String((await book.bestBid()).price), best, "the best bid");
        await expectConserved(m, customers);
      }

      it("by expireOrder", async () => {
        await advance(120);
        const before = await holdings();
        const tx = await book.expireOrder(dead, { from: bob });
        assert.equal(outcomeOf(tx, "ExpireOrder").message, "Order expired", "ExpireOrder");
        await expectHoldings(before, { [bob]: { ether: -(await gasFee(tx)) } });
        await expectRemoved(Status.Expired);
      });

      it("by pruneLevel", async () => {
        await advance(120);
        const before = await holdings();
        const tx = await book.pruneLevel(true, price(110), 20, { from: bob });
        assert.equal(outcomeOf(tx, "PruneLevel").message, "Orders removed", "PruneLevel");
        await expectHoldings(before, { [bob]: { ether: -(await gasFee(tx)) } });
        await expectRemoved(Status.Expired);
      });

      it("by an ask that crosses it, which fills the honest bid behind it", async () => {
        await advance(120);
        const before = await holdings();
        const tx = await ask(book, alice, 10, 100);
        assert.deepEqual(outcomes(tx, "ExpireOrder"), ["true Order expired"], "the dead bid is removed on the way");
        assert.equal(outcomeOf(tx, "PlaceAsk").message, "Order filled", "and carol's bid fills");
        await expectHoldings(before, { [alice]: { ether: value(10, 100) - (await gasFee(tx)), quota: -10 }, [carol]: { quota: 10 } });
        await expectRemoved(Status.Expired, "0");
      });

      it("after the regulator freezes it, before it expires: by a crossing ask", async () => {
        await m.carbon.freezeAccount(trader.address, { from: regulator });
        const before = await holdings();
        const tx = await ask(book, alice, 10, 100);
        assert.deepEqual(outcomes(tx, "CancelOrder"), ["true Order cancelled: its owner is frozen"], "the frozen owner's bid is removed on the way");
        assert.equal(outcomeOf(tx, "PlaceAsk").message, "Order filled", "and carol's bid fills");
        await expectHoldings(before, { [alice]: { ether: value(10, 100) - (await gasFee(tx)), quota: -10 }, [carol]: { quota: 10 } });
        await expectRemoved(Status.Cancelled, "0");
      });

      it("after the regulator freezes it, before it expires: by pruneLevel", async () => {
        await m.carbon.freezeAccount(trader.address, { from: regulator });
        const before = await holdings();
        const tx = await book.pruneLevel(true, price(110), 20, { from: bob });
        assert.deepEqual(outcomes(tx, "CancelOrder"), ["true Order cancelled: its owner is frozen"], "CancelOrder");
        await expectHoldings(before, { [bob]: { ether: -(await gasFee(tx)) } });
        await expectRemoved(Status.Cancelled);
      });
    });
  });
});
