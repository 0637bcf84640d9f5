// The order book's time and risk rules: expiry, the daily price band, halting, frozen accounts, and
// self-trade prevention.
import { expectCustomError, isolate } from "./helpers";
import {
  activities,
  advance,
  ask,
  bid,
  type BookMarket,
  bookState,
  deployedBook,
  etherOf,
  expectBookUnchanged,
  expectConserved,
  gasFee,
  latestTime,
  levels,
  Operation,
  orderOf,
  outcomeOf,
  outcomes,
  placedId,
  price,
  restingAsks,
  Status,
  TICK,
  tradesOf,
  ZERO_ADDRESS,
  fundTraders,
} from "./order-book-helpers";

const DAY = 86_400;
const OUTSIDE_BAND = "The price is outside today's price band";

contract("OrderBook", ([regulator, alice, bob, carol, dave, stranger]) => {
  let m: BookMarket;
  let book: OrderBookInstance;
  const customers = [alice, bob, carol, dave];
  const quota = async (account: string): Promise<number> => Number(await m.carbon.getCustomerCarbonAmount(account));

  before(async () => {
    m = await deployedBook();
    book = m.book;
    await fundTraders(m, regulator, customers, 1000);
  });

  describe("expiry", () => {
    isolate();

    it(`an order whose expiry has passed fills what it can and rests nothing: "Order expired unfilled"`, async () => {
      const before = await etherOf(dave);
      const tx = await bid(book, dave, 10, 100, { expiry: 1 });
      assert.deepEqual(outcomeOf(tx, "PlaceBid"), { sender: dave, isSuccess: true, message: "Order expired unfilled" }, "PlaceBid");
      assert.equal(before - (await etherOf(dave)), await gasFee(tx), "the escrow came back");
      assert.equal((await orderOf(book, placedId(tx))).status, Status.Expired, "recorded as expired");
      assert.deepEqual(await levels(book, true), [], "nothing rests");
      await expectConserved(m, customers);
    });

    it(`"Order partly filled; the rest expired" when it meets less than it wants`, async () => {
      await ask(book, alice, 10, 100);
      await ask(book, bob, 10, 100);
      const tx = await bid(book, dave, 30, 100, { expiry: 1 });
      assert.equal(outcomeOf(tx, "PlaceBid").message, "Order partly filled; the rest expired", "PlaceBid");
      assert.lengthOf(tradesOf(tx), 2, "two fills");
      assert.deepEqual(await levels(book, true), [], "nothing rests");
      await expectConserved(m, customers);
    });

    it(`removes a resting order met past its expiry: ExpireOrder "Order expired", escrow back, and goes on`, async () => {
      const now = await latestTime();
      await ask(book, alice, 10, 100, { expiry: now + 100 }); // 1
      await ask(book, bob, 10, 100); // 2
      await advance(200);

      const tx = await bid(book, dave, 10, 100);

      assert.deepEqual(outcomeOf(tx, "ExpireOrder"), { sender: dave, isSuccess: true, message: "Order expired" }, "ExpireOrder");
      assert.deepEqual(
        activities(tx),
        [
          { account: alice, counterparty: ZERO_ADDRESS, operation: Operation.ExpireOrder, orderId: 1, amount: 10, isSuccess: true },
          { account: dave, counterparty: bob, operation: Operation.Trade, orderId: 2, amount: 10, isSuccess: true },
          { account: dave, counterparty: ZERO_ADDRESS, operation: Operation.PlaceBid, orderId: 3, amount: 10, isSuccess: true },
        ],
        "the expiry, the fill behind it, the bid",
      );
      assert.equal(await quota(alice), 1000, "alice's quota is back");
      assert.equal((await orderOf(book, 1)).status, Status.Expired, "order 1 expired");
      assert.equal(outcomeOf(tx, "PlaceBid").message, "Order filled", "the bid filled against bob's ask");
      await expectConserved(m, customers);
    });

    it("does not count an expired order met toward the match limit: removals have their own budget", async () => {
      const now = await latestTime();
      await ask(book, alice, 10, 100, { expiry: now + 100 }); // 1
      await ask(book, bob, 10, 100); // 2
      await advance(200);
      const tx = await bid(book, dave, 10, 100, { maxMatches: 1 });
      assert.deepEqual(outcomes(tx, "ExpireOrder"), ["true Order expired"], "the expired ask is removed");
      assert.equal(outcomeOf(tx, "PlaceBid").message, "Order filled", "and the one match fills bob's ask behind it");
      await expectConserved(m, customers);
    });

    it("removes at most MAX_PRUNES dead orders in a call, returning the rest; pruneLevel sweeps what is left", async () => {
      const maxPrunes = Number(await book.MAX_PRUNES());
      assert.equal(maxPrunes, 20, "MAX_PRUNES");
      const now = await latestTime();
      await restingAsks(book, alice, maxPrunes + 2, 10, 100, now + 300); // 1..22: dust left to expire
      await ask(book, bob, 10, 100); // 23
      await advance(400);

      const tx = await bid(book, dave, 10, 100, { maxMatches: 1 });
      assert.lengthOf(outcomes(tx, "ExpireOrder"), maxPrunes, "20 removed");
      assert.equal(outcomeOf(tx, "PlaceBid").message, "The match limit was reached; the order was returned", "then the call stops, its bid returned");
      assert.deepEqual(await levels(book, false), [[100, 30, 3]], "two dead asks and bob's");

      const sweep = await book.pruneLevel(false, price(100), maxPrunes, { from: stranger });
      assert.deepEqual(outcomeOf(sweep, "PruneLevel"), { sender: stranger, isSuccess: true, message: "Orders removed" }, "PruneLevel");
      assert.deepEqual(outcomes(sweep, "ExpireOrder"), ["true Order expired", "true Order expired"], "the two left");
      assert.deepEqual(activities(sweep).at(-1), { account: stranger, counterparty: ZERO_ADDRESS, operation: Operation.PruneLevel, orderId: Number(price(100)), amount: 2, isSuccess: true }, "Activity");
      assert.deepEqual(await levels(book, false), [[100, 10, 1]], "bob's ask alone");
      assert.equal(await quota(alice), 1000, "alice's quota is all back");
      const nothing = await book.pruneLevel(false, price(100), 10, { from: stranger });
      assert.deepEqual(outcomeOf(nothing, "PruneLevel"), { sender: stranger, isSuccess: false, message: "Nothing to remove" }, "again");
      assert.equal(outcomeOf(await bid(book, dave, 10, 100, { maxMatches: 1 }), "PlaceBid").message, "Order filled", "bob's ask trades");
      await expectCustomError(book.pruneLevel(false, price(100), maxPrunes + 1, { from: stranger }), "OrderBookTooManyPrunes(uint256,uint256)", [maxPrunes + 1, maxPrunes]);
      await expectConserved(m, customers);
    });

    it("still fills the order right behind MAX_PRUNES removed ones", async () => {
      const now = await latestTime();
      await restingAsks(book, alice, 20, 10, 100, now + 300);
      await ask(book, bob, 10, 100);
      await advance(400);
      const tx = await bid(book, dave, 10, 100, { maxMatches: 1 });
      assert.lengthOf(outcomes(tx, "ExpireOrder"), 20, "every removal the budget allows");
      assert.equal(outcomeOf(tx, "PlaceBid").message, "Order filled", "and bob's ask behind them trades");
      await expectConserved(m, customers);
    });

    it("credits an expired bid's ether to its owner when an ask meets it", async () => {
      const now = await latestTime();
      await bid(book, alice, 10, 100, { expiry: now + 100 }); // 1
      await advance(200);
      const before = await etherOf(alice);
      const tx = await ask(book, bob, 10, 100);
      assert.deepEqual(outcomes(tx, "ExpireOrder"), ["true Order expired"], "ExpireOrder");
      assert.equal(await etherOf(alice), before, "no ether is sent to alice in bob's call");
      assert.equal(String(await book.withdrawable(alice)), (10n * 100n * TICK).toString(), "alice's escrow is credited to her");
      assert.equal(outcomeOf(tx, "PlaceAsk").message, "Order placed", "bob's ask rests");
      await expectConserved(m, customers);
    });

    describe("expireOrder", () => {
      it(`lets anybody remove an expired order: "Order expired", escrow back to its owner`, async () => {
        const now = await latestTime();
        await bid(book, alice, 10, 100, { expiry: now + 100 }); // 1
        const early = await bookState(m, customers);
        const refused = await book.expireOrder(1, { from: stranger });
        assert.deepEqual(
          outcomeOf(refused, "ExpireOrder"),
          { sender: stranger, isSuccess: false, message: "This order has not expired" },
          "ExpireOrder before its time",
        );
        await expectBookUnchanged(m, early, refused, stranger, "expiring an order too early");

        await advance(200);
        const tx = await book.expireOrder(1, { from: stranger });
        assert.deepEqual(outcomeOf(tx, "ExpireOrder"), { sender: stranger, isSuccess: true, message: "Order expired" }, "ExpireOrder");
        assert.deepEqual(
          activities(tx),
          [{ account: alice, counterparty: ZERO_ADDRESS, operation: Operation.ExpireOrder, orderId: 1, amount: 10, isSuccess: true }],
          "Activity",
        );
        assert.equal(String(await book.withdrawable(alice)), (10n * 100n * TICK).toString(), "alice's escrow is credited to her");
        assert.deepEqual(await levels(book, true), [], "the level is gone");
        await expectConserved(m, customers);

        const again = await book.expireOrder(1, { from: stranger });
        assert.deepEqual(outcomeOf(again, "ExpireOrder"), { sender: stranger, isSuccess: false, message: "This order is not open" }, "again");
      });

      it("reverts with OrderBookUnknownOrder for an ID never used", async () => {
        await expectCustomError(book.expireOrder(7, { from: stranger }), "OrderBookUnknownOrder(uint256)", [7]);
      });
    });
  });

  describe("the daily price band", () => {
    isolate();

    /** The band as [bps, low ticks, high ticks]. */
    const bandNow = async (): Promise<number[]> => {
      const band = await book.priceBand();
      return [Number(band.bps), Number(BigInt(String(band.low)) / TICK), Number(BigInt(String(band.high)) / TICK)];
    };
    const referenceTicks = async (): Promise<number> => Number(BigInt(String(await book.referencePrice())) / TICK);
    /** To `secondsBefore` seconds before the next UTC midnight of block time. */
    const toEndOfDay = async (secondsBefore = 60): Promise<void> => {
      const now = await latestTime();
      await advance(DAY - (now % DAY) - secondsBefore);
    };
    const trade = async (seller: string, buyer: string, quantity: number, ticks: number): Promise<void> => {
      assert.equal(outcomeOf(await ask(book, seller, quantity, ticks), "PlaceAsk").message, "Order placed", `an ask of ${quantity} at ${ticks}`);
      assert.equal(outcomeOf(await bid(book, buyer, quantity, ticks), "PlaceBid").message, "Order filled", `a bid of ${quantity} at ${ticks}`);
    };

    it(`setPriceBand emits SetPriceBand "Price band set" and is in force at once, on the regulator's reference`, async () => {
      const tx = await book.setPriceBand(1000, price(100), { from: regulator });
      assert.deepEqual(outcomeOf(tx, "SetPriceBand"), { sender: regulator, isSuccess: true, message: "Price band set" }, "SetPriceBand");
      assert.deepEqual(
        activities(tx),
        [{ account: regulator, counterparty: ZERO_ADDRESS, operation: Operation.SetPriceBand, orderId: 0, amount: 1000, isSuccess: true }],
        "Activity",
      );
      assert.equal(await referenceTicks(), 100, "the reference");
      assert.deepEqual(await bandNow(), [1000, 90, 110], "±10% on the first day, before any trade");
      assert.equal(outcomeOf(await ask(book, carol, 10, 300), "PlaceAsk").message, OUTSIDE_BAND, "the first day has a band");
    });

    it("reverts with OrderBookNoReference for a band without a reference, and a width change keeps the reference", async () => {
      await expectCustomError(book.setPriceBand(1000, 0, { from: regulator }), "OrderBookNoReference()", []);
      await book.setPriceBand(1000, price(100), { from: regulator });
      await book.setPriceBand(2000, 0, { from: regulator });
      assert.deepEqual(await bandNow(), [2000, 80, 120], "the new width on the kept reference");
    });

    it("is inclusive at both ends, refusing orders outside it and changing nothing", async () => {
      await book.setPriceBand(1000, price(100), { from: regulator });
      for (const [place, ticks, event] of [
        [bid, 111, "PlaceBid"],
        [ask, 89, "PlaceAsk"],
      ] as const) {
        const before = await bookState(m, customers);
        const tx = await place(book, carol, 10, ticks);
        assert.deepEqual(outcomeOf(tx, event), { sender: carol, isSuccess: false, message: OUTSIDE_BAND }, `${event} at ${ticks}`);
        assert.deepEqual(
          activities(tx),
          [{ account: carol, counterparty: ZERO_ADDRESS, operation: Operation[event], orderId: 0, amount: 10, isSuccess: false }],
          "Activity",
        );
        assert.deepEqual(outcomes(tx, "OrderPlaced"), [], "no order");
        await expectBookUnchanged(m, before, tx, carol, `${event} outside the band (a bid's ether refunded)`);
      }
      assert.equal(outcomeOf(await bid(book, carol, 10, 90), "PlaceBid").message, "Order placed", "the low end");
      assert.equal(outcomeOf(await ask(book, carol, 10, 110), "PlaceAsk").message, "Order placed", "the high end");
      await expectConserved(m, customers);
    });

    it("the wash-trade days: 10 units printed at the band's top at each close do not move the reference of 500 honest units", async () => {
      await m.carbon.sendCarbonToCustomer(alice, 1000, { from: regulator });
      await book.setPriceBand(1000, price(100), { from: regulator });
      for (const day of [1, 2, 3]) {
        await trade(alice, bob, 500, 100); // the honest market
        await toEndOfDay(60);
        await trade(carol, dave, 10, 110); // the colluders' print at 23:59, at the band's top
        assert.equal(Number(BigInt(String((await book.lastPrice()).price)) / TICK), 110, `day ${day}: the last print`);
        await advance(120); // past midnight
        assert.equal(await referenceTicks(), 100, `day ${day + 1}'s reference is still the most-traded price`);
        assert.deepEqual(await bandNow(), [1000, 90, 110], `day ${day + 1}'s band`);
      }
      await expectConserved(m, customers);
    });

    it("a day's most-traded price becomes the next day's reference once the day trades 100 units", async () => {
      await book.setPriceBand(1000, price(100), { from: regulator });
      await trade(alice, bob, 60, 104);
      await trade(alice, bob, 30, 96);
      const day = await book.tradingDay();
      assert.deepEqual([day.leadingPrice, day.leadingVolume, day.volume].map(String), [price(104), "60", "90"], "today's running figures");
      await advance(DAY);
      assert.equal(await referenceTicks(), 100, "90 units are below the minimum: the reference stays");
      await trade(alice, bob, 40, 108);
      await trade(alice, bob, 70, 95);
      await advance(DAY);
      assert.equal(await referenceTicks(), 95, "110 units, 70 of them at 95");
      assert.deepEqual(await bandNow(), [1000, 85, 105], "rounded outward: 85.5 down, 104.5 up");
      await advance(3 * DAY);
      assert.equal(await referenceTicks(), 95, "days without trades keep the reference");
    });

    it("the regulator's reference replaces the market's at once", async () => {
      await book.setPriceBand(1000, price(100), { from: regulator });
      await trade(alice, bob, 100, 105);
      await advance(DAY);
      assert.equal(await referenceTicks(), 105, "the market's");
      await book.setPriceBand(1000, price(200), { from: regulator });
      assert.equal(await referenceTicks(), 200, "the regulator's");
      assert.deepEqual(await bandNow(), [1000, 180, 220], "on it");
    });

    it("never pins the price: at least one tick each side of the reference, however narrow the band", async () => {
      await book.setPriceBand(50, price(120), { from: regulator }); // 0.012 ether at 50 bps: 119.4 to 120.6
      assert.deepEqual(await bandNow(), [50, 119, 121], "one tick each side");
      await book.setPriceBand(1000, price(9), { from: regulator }); // 8.1 to 9.9
      assert.deepEqual(await bandNow(), [1000, 8, 10], "rounded outward");
      await book.setPriceBand(10_000, price(1), { from: regulator });
      assert.deepEqual(await bandNow(), [10_000, 1, 2], "never below one tick");
      await book.setPriceBand(1000, price(65_535), { from: regulator });
      assert.deepEqual(await bandNow(), [1000, 58_981, 65_535], "never above the highest price");
    });

    it("lifts the band with 0", async () => {
      await book.setPriceBand(1000, price(100), { from: regulator });
      await book.setPriceBand(0, 0, { from: regulator });
      assert.deepEqual(await bandNow(), [0, 0, 65_535], "every price");
      assert.equal(outcomeOf(await ask(book, carol, 10, 500), "PlaceAsk").message, "Order placed", "any price");
    });

    it("reverts with OrderBookInvalidBand above 10,000 basis points, OrderBookInvalidPrice for a reference off the ticks", async () => {
      await expectCustomError(book.setPriceBand(10_001, price(100), { from: regulator }), "OrderBookInvalidBand(uint256,uint256)", [10_001, 10_000]);
      const offTick = (TICK * 100n + 1n).toString();
      await expectCustomError(book.setPriceBand(1000, offTick, { from: regulator }), "OrderBookInvalidPrice(uint256)", [offTick]);
    });

    it("reverts with OrderBookUnauthorizedRegulator for anybody else", async () => {
      for (const sender of [alice, stranger]) {
        await expectCustomError(book.setPriceBand(100, price(100), { from: sender }), "OrderBookUnauthorizedRegulator(address)", [sender]);
      }
    });
  });

  describe("halting trading", () => {
    isolate();

    it(`haltTrading emits HaltTrading "Trading halted"; orders then fail with "Trading is halted", changing nothing`, async () => {
      await bid(book, alice, 10, 100); // 1
      const tx = await book.haltTrading({ from: regulator });
      assert.deepEqual(outcomeOf(tx, "HaltTrading"), { sender: regulator, isSuccess: true, message: "Trading halted" }, "HaltTrading");
      assert.deepEqual(
        activities(tx),
        [{ account: regulator, counterparty: ZERO_ADDRESS, operation: Operation.HaltTrading, orderId: 0, amount: 0, isSuccess: true }],
        "Activity",
      );
      assert.isTrue(await book.halted(), "halted()");

      for (const [place, event] of [
        [bid, "PlaceBid"],
        [ask, "PlaceAsk"],
      ] as const) {
        const before = await bookState(m, customers);
        const refused = await place(book, bob, 10, 100);
        assert.deepEqual(outcomeOf(refused, event), { sender: bob, isSuccess: false, message: "Trading is halted" }, event);
        await expectBookUnchanged(m, before, refused, bob, `${event} while halted`);
      }
      const cancel = await book.cancelOrder(1, { from: alice });
      assert.equal(outcomeOf(cancel, "CancelOrder").message, "Order cancelled", "cancelling still works");
      await expectConserved(m, customers);
    });

    it(`"Trading is already halted" and "Trading is not halted" change nothing; resumeTrading emits "Trading resumed"`, async () => {
      const notHalted = await book.resumeTrading({ from: regulator });
      assert.deepEqual(outcomeOf(notHalted, "ResumeTrading"), { sender: regulator, isSuccess: false, message: "Trading is not halted" }, "resume");
      await book.haltTrading({ from: regulator });
      const before = await bookState(m, customers);
      const again = await book.haltTrading({ from: regulator });
      assert.deepEqual(outcomeOf(again, "HaltTrading"), { sender: regulator, isSuccess: false, message: "Trading is already halted" }, "halt again");
      assert.deepEqual(activities(again).map((row) => row.isSuccess), [false], "a failed Activity");
      await expectBookUnchanged(m, before, again, regulator, "halting twice");

      const tx = await book.resumeTrading({ from: regulator });
      assert.deepEqual(outcomeOf(tx, "ResumeTrading"), { sender: regulator, isSuccess: true, message: "Trading resumed" }, "ResumeTrading");
      assert.deepEqual(
        activities(tx),
        [{ account: regulator, counterparty: ZERO_ADDRESS, operation: Operation.ResumeTrading, orderId: 0, amount: 0, isSuccess: true }],
        "Activity",
      );
      assert.isFalse(await book.halted(), "not halted");
      assert.equal(outcomeOf(await bid(book, bob, 10, 100), "PlaceBid").message, "Order placed", "orders rest again");
    });

    it("reverts with OrderBookUnauthorizedRegulator for anybody else", async () => {
      for (const sender of [alice, stranger]) {
        await expectCustomError(book.haltTrading({ from: sender }), "OrderBookUnauthorizedRegulator(address)", [sender]);
        await expectCustomError(book.resumeTrading({ from: sender }), "OrderBookUnauthorizedRegulator(address)", [sender]);
      }
    });
  });

  describe("frozen accounts", () => {
    isolate();

    it(`a frozen account's order fails with "This account is frozen", first of all failures, changing nothing`, async () => {
      await m.carbon.freezeAccount(carol, { from: regulator });
      await book.haltTrading({ from: regulator });
      for (const [place, event] of [
        [bid, "PlaceBid"],
        [ask, "PlaceAsk"],
      ] as const) {
        const before = await bookState(m, customers);
        const tx = await place(book, carol, 10, 100);
        assert.deepEqual(outcomeOf(tx, event), { sender: carol, isSuccess: false, message: "This account is frozen" }, event);
        await expectBookUnchanged(m, before, tx, carol, `${event} by a frozen account`);
      }
    });

    it(`removes a frozen owner's resting ask when met (CancelOrder "Order cancelled: its owner is frozen"), quota back, and fills the next`, async () => {
      await ask(book, alice, 10, 100); // 1
      await ask(book, bob, 10, 100); // 2
      await m.carbon.freezeAccount(alice, { from: regulator });

      const tx = await bid(book, dave, 10, 100);

      assert.deepEqual(
        outcomeOf(tx, "CancelOrder"),
        { sender: dave, isSuccess: true, message: "Order cancelled: its owner is frozen" },
        "CancelOrder",
      );
      assert.deepEqual(
        activities(tx).map((row) => [row.account, row.counterparty, row.operation, row.orderId, row.amount]),
        [
          [alice, ZERO_ADDRESS, Operation.CancelOrder, 1, 10],
          [dave, bob, Operation.Trade, 2, 10],
          [dave, ZERO_ADDRESS, Operation.PlaceBid, 3, 10],
        ],
        "the removal, bob's fill, the bid",
      );
      assert.equal(await quota(alice), 1000, "the frozen owner's quota is back (release ignores the freeze)");
      assert.equal((await orderOf(book, 1)).status, Status.Cancelled, "order 1 is cancelled");
      await expectConserved(m, customers);
    });

    it("removes a frozen owner's resting bid when an ask meets it, its ether credited, and never fills it", async () => {
      await bid(book, alice, 10, 100); // 1
      await m.carbon.freezeAccount(alice, { from: regulator });
      const tx = await ask(book, bob, 10, 100);
      assert.deepEqual(outcomes(tx, "CancelOrder"), ["true Order cancelled: its owner is frozen"], "CancelOrder");
      assert.lengthOf(tradesOf(tx), 0, "no fill");
      assert.equal(String(await book.withdrawable(alice)), (10n * 100n * TICK).toString(), "alice's escrow is credited to her");
      const before = await etherOf(alice);
      const withdrawal = await book.withdraw({ from: alice });
      assert.equal((await etherOf(alice)) - before + (await gasFee(withdrawal)), 10n * 100n * TICK, "and a frozen account may withdraw it: it is its own");
      assert.equal(await quota(alice), 1000, "alice received no quota");
      assert.equal(outcomeOf(tx, "PlaceAsk").message, "Order placed", "bob's ask rests");
      await expectConserved(m, customers);
    });

    it("lets a frozen owner cancel its order, and trade again once unfrozen", async () => {
      await ask(book, alice, 10, 100); // 1
      await m.carbon.freezeAccount(alice, { from: regulator });
      assert.equal(outcomeOf(await book.cancelOrder(1, { from: alice }), "CancelOrder").message, "Order cancelled", "cancelled");
      assert.equal(await quota(alice), 1000, "quota back");
      await m.carbon.unfreezeAccount(alice, { from: regulator });
      assert.equal(outcomeOf(await ask(book, alice, 10, 100), "PlaceAsk").message, "Order placed", "trading again");
      await expectConserved(m, customers);
    });
  });

  describe("self-trade prevention", () => {
    isolate();

    it(`an incoming bid cancels its owner's resting ask ("Order cancelled: it met its owner's new order") and goes on`, async () => {
      await ask(book, alice, 10, 100); // 1
      await ask(book, bob, 10, 100); // 2

      const tx = await bid(book, alice, 20, 100);

      assert.deepEqual(
        outcomeOf(tx, "CancelOrder"),
        { sender: alice, isSuccess: true, message: "Order cancelled: it met its owner's new order" },
        "CancelOrder",
      );
      assert.deepEqual(
        tradesOf(tx).map((t) => [t.buyer, t.seller, t.quantity]),
        [[alice, bob, 10]],
        "alice never trades with herself: only bob's ask fills",
      );
      assert.deepEqual(
        activities(tx).map((row) => [row.account, row.operation, row.orderId, row.amount]),
        [
          [alice, Operation.CancelOrder, 1, 10],
          [alice, Operation.Trade, 2, 10],
          [alice, Operation.PlaceBid, 3, 20],
        ],
        "Activity",
      );
      assert.equal(outcomeOf(tx, "PlaceBid").message, "Order partly filled; the rest is in the book", "PlaceBid");
      assert.equal(await quota(alice), 1010, "her ask's 10 back, and 10 bought");
      assert.deepEqual(await levels(book, true), [[100, 10, 1]], "the bid's rest rests");
      await expectConserved(m, customers);
    });

    it("an incoming ask cancels its owner's resting bid, its ether back in the same call", async () => {
      await bid(book, alice, 10, 100); // 1
      const before = await etherOf(alice);
      const tx = await ask(book, alice, 10, 90);
      assert.deepEqual(outcomes(tx, "CancelOrder"), ["true Order cancelled: it met its owner's new order"], "CancelOrder");
      assert.lengthOf(tradesOf(tx), 0, "no trade");
      assert.equal((await etherOf(alice)) + (await gasFee(tx)) - before, 10n * 100n * TICK, "the bid's escrow is back");
      assert.equal(outcomeOf(tx, "PlaceAsk").message, "Order placed", "the ask rests");
      assert.deepEqual(await levels(book, false), [[90, 10, 1]], "at 90");
      await expectConserved(m, customers);
    });
  });
});
