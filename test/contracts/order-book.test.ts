// The order book: placing and resting orders, price-time priority, partial fills, the match limit,
// cancel, the minimum size and malformed calls. Expiry, band, halt, freeze and self-trade are in
// order-book-risk.test.ts; random sequences in order-book-property.test.ts.
import { digestOf, expectCustomError, isolate, selector } from "./helpers";
import {
  activities,
  ask,
  bid,
  type BookMarket,
  bookState,
  deployedBook,
  etherOf,
  expectBookUnchanged,
  expectConserved,
  gasFee,
  levels,
  NEVER,
  Operation,
  orderOf,
  outcomeOf,
  outcomes,
  placedId,
  price,
  queue,
  Status,
  TICK,
  tradesOf,
  ZERO_ADDRESS,
  fundTraders,
} from "./order-book-helpers";

/** A contract that forwards a call (and its ether), passing a revert through: an order from a contract. */
const FORWARDER = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
contract Forwarder {
    function forward(address to, bytes calldata data) external payable returns (bytes memory out) {
        bool ok;
        (ok, out) = to.call{value: msg.value}(data);
        if (!ok) assembly { revert(add(out, 32), mload(out)) }
    }
}`;

async function deployForwarder(from: string): Promise<string> {
  const solc = require("solc") as { compile(input: string): string };
  const input = { language: "Solidity", sources: { "Forwarder.sol": { content: FORWARDER } }, settings: { evmVersion: "shanghai", outputSelection: { "*": { "*": ["evm.bytecode.object"] } } } };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const bytecode = "0x" + output.contracts["Forwarder.sol"].Forwarder.evm.bytecode.object;
  const receipt = await web3.eth.sendTransaction({ from, data: bytecode, gas: 1_000_000 });
  return receipt.contractAddress!;
}

contract("OrderBook", ([regulator, alice, bob, carol, dave, seller, stranger]) => {
  let m: BookMarket;
  let book: OrderBookInstance;
  const customers = [alice, bob, carol, dave];
  const quota = async (account: string): Promise<number> => Number(await m.carbon.getCustomerCarbonAmount(account));

  before(async () => {
    m = await deployedBook();
    book = m.book;
    await fundTraders(m, regulator, customers, 1000);
    await m.carbon.newSeller(seller, digestOf(seller), { from: seller });
  });

  describe("wiring", () => {
    it("belongs to the market, whose regulator it answers to", async () => {
      assert.equal(await book.market(), m.carbon.address, "market()");
      assert.equal(await book.regulator(), regulator, "regulator()");
      assert.equal((await book.TICK()).toString(), TICK.toString(), "TICK");
      assert.equal((await book.MIN_QUANTITY()).toString(), "10", "MIN_QUANTITY");
    });
  });

  describe("placing an order that rests", () => {
    isolate();

    it(`emits PlaceBid "Order placed", rests the bid and escrows quantity × price in ether`, async () => {
      const before = await etherOf(alice);
      const tx = await bid(book, alice, 20, 100);

      assert.deepEqual(outcomeOf(tx, "PlaceBid"), { sender: alice, isSuccess: true, message: "Order placed" }, "PlaceBid");
      assert.deepEqual(
        activities(tx),
        [{ account: alice, counterparty: ZERO_ADDRESS, operation: Operation.PlaceBid, orderId: 1, amount: 20, isSuccess: true }],
        "one Activity: the bid",
      );
      assert.equal(placedId(tx), 1, "the first order is 1");
      assert.deepEqual(
        await orderOf(book, 1),
        { id: 1, owner: alice, isBid: true, ticks: 100, quantity: 20, filled: 0, expiry: NEVER, status: Status.Open },
        "order(1)",
      );
      const escrow = 20n * 100n * TICK;
      assert.equal(before - (await etherOf(alice)) - (await gasFee(tx)), escrow, "alice paid the escrow (and gas)");
      assert.equal((await book.escrowedEther()).toString(), escrow.toString(), "escrowedEther()");
      assert.deepEqual(await levels(book, true), [[100, 20, 1]], "one bid level");
      assert.deepEqual(await levels(book, false), [], "no asks");
      const best = await book.bestBid();
      assert.equal(best.price.toString(), price(100), "best bid price");
      assert.equal(best.quantity.toString(), "20", "best bid quantity");
      await expectConserved(m, customers);
    });

    it(`emits PlaceAsk "Order placed", rests the ask and escrows its quota`, async () => {
      const tx = await ask(book, bob, 30, 120, { expiry: 4_000_000_000 });

      assert.deepEqual(outcomeOf(tx, "PlaceAsk"), { sender: bob, isSuccess: true, message: "Order placed" }, "PlaceAsk");
      assert.deepEqual(
        activities(tx),
        [{ account: bob, counterparty: ZERO_ADDRESS, operation: Operation.PlaceAsk, orderId: 1, amount: 30, isSuccess: true }],
        "one Activity: the ask",
      );
      assert.deepEqual(
        await orderOf(book, 1),
        { id: 1, owner: bob, isBid: false, ticks: 120, quantity: 30, filled: 0, expiry: 4_000_000_000, status: Status.Open },
        "order(1)",
      );
      assert.equal(await quota(bob), 970, "bob's quota is escrowed");
      assert.equal((await book.escrowedCarbonAmount()).toString(), "30", "escrowedCarbonAmount()");
      assert.equal((await etherOf(book.address)).toString(), "0", "an ask holds no ether");
      await expectConserved(m, customers);
    });

    it("keeps levels best first on each side, and orders at one price oldest first", async () => {
      await bid(book, alice, 10, 100);
      await bid(book, bob, 10, 105);
      await bid(book, carol, 15, 100);
      await ask(book, dave, 10, 300);
      await ask(book, carol, 12, 200);
      await ask(book, bob, 11, 200);

      assert.deepEqual(await levels(book, true), [[105, 10, 1], [100, 25, 2]], "bids: highest first");
      assert.deepEqual(await levels(book, false), [[200, 23, 2], [300, 10, 1]], "asks: lowest first");
      assert.deepEqual(await queue(book, true, 100), [1, 3], "bids at 100: alice then carol");
      assert.deepEqual(await queue(book, false, 200), [5, 6], "asks at 200: carol then bob");
      assert.deepEqual(
        (await book.depth(true, 1, 5)).map((level) => level.price),
        [price(100)],
        "depth pages by level (offset 1)",
      );
      assert.lengthOf(await book.depth(false, 0, 1), 1, "depth's limit");
      assert.lengthOf(await book.depth(false, 5, 1), 0, "an offset past the last level");
      assert.equal((await book.orderCountOf(bob)).toString(), "2", "bob placed two orders");
      assert.deepEqual(
        (await book.ordersOf(bob, 1, 10)).map((order) => order.id),
        ["6"],
        "ordersOf pages the account's orders",
      );
      await expectConserved(m, customers);
    });

    it("spreads levels across bitmap words and finds the best, and the next, each way", async () => {
      for (const ticks of [512, 65_535, 600, 1024]) await ask(book, alice, 10, ticks);
      for (const ticks of [1, 255, 300, 2, 256]) await bid(book, bob, 10, ticks);
      assert.deepEqual((await levels(book, false)).map(([ticks]) => ticks), [512, 600, 1024, 65_535], "asks ascend across words");
      assert.deepEqual((await levels(book, true)).map(([ticks]) => ticks), [300, 256, 255, 2, 1], "bids descend across words");
      assert.equal((await book.bestAsk()).price.toString(), price(512), "best ask");
      assert.equal((await book.bestBid()).price.toString(), price(300), "best bid");
      await expectConserved(m, customers);
    });
  });

  describe("matching", () => {
    isolate();

    it("fills the cheapest asks first, at their prices, refunds the bid's difference, and credits the sellers", async () => {
      await ask(book, alice, 20, 110); // 1
      await ask(book, bob, 10, 100); // 2
      await ask(book, carol, 10, 105); // 3
      const before = { dave: await etherOf(dave), alice: await etherOf(alice), bob: await etherOf(bob), carol: await etherOf(carol) };

      const tx = await bid(book, dave, 25, 110);

      assert.deepEqual(
        tradesOf(tx),
        [
          { buyer: dave, seller: bob, ticks: 100, quantity: 10, bidId: 4, askId: 2 },
          { buyer: dave, seller: carol, ticks: 105, quantity: 10, bidId: 4, askId: 3 },
          { buyer: dave, seller: alice, ticks: 110, quantity: 5, bidId: 4, askId: 1 },
        ],
        "price priority, each at the resting ask's price",
      );
      assert.deepEqual(outcomeOf(tx, "PlaceBid"), { sender: dave, isSuccess: true, message: "Order filled" }, "PlaceBid");
      assert.deepEqual(
        activities(tx),
        [
          { account: dave, counterparty: bob, operation: Operation.Trade, orderId: 2, amount: 10, isSuccess: true },
          { account: dave, counterparty: carol, operation: Operation.Trade, orderId: 3, amount: 10, isSuccess: true },
          { account: dave, counterparty: alice, operation: Operation.Trade, orderId: 1, amount: 5, isSuccess: true },
          { account: dave, counterparty: ZERO_ADDRESS, operation: Operation.PlaceBid, orderId: 4, amount: 25, isSuccess: true },
        ],
        "an Activity per fill (the buyer's, with the seller), then the bid's",
      );
      const paid = (10n * 100n + 10n * 105n + 5n * 110n) * TICK;
      assert.equal(before.dave - (await etherOf(dave)) - (await gasFee(tx)), paid, "dave paid the asks' prices, not his limit");
      const credit = async (account: string): Promise<bigint> => BigInt(String(await book.withdrawable(account)));
      assert.equal(await credit(bob), 10n * 100n * TICK, "bob is credited at his price");
      assert.equal(await credit(carol), 10n * 105n * TICK, "carol is credited at her price");
      assert.equal(await credit(alice), 5n * 110n * TICK, "alice is credited for the part sold");
      for (const seller of ["alice", "bob", "carol"] as const) {
        assert.equal(await etherOf({ alice, bob, carol }[seller]), before[seller], `no ether is sent to ${seller} in dave's call`);
      }
      assert.equal(await quota(dave), 1025, "dave receives the quota");
      assert.deepEqual(
        await orderOf(book, 1),
        { id: 1, owner: alice, isBid: false, ticks: 110, quantity: 20, filled: 5, expiry: NEVER, status: Status.Open },
        "alice's ask is partly filled and rests",
      );
      assert.equal((await orderOf(book, 2)).status, Status.Filled, "bob's ask is filled");
      assert.deepEqual(
        await orderOf(book, 4),
        { id: 4, owner: dave, isBid: true, ticks: 110, quantity: 25, filled: 25, expiry: NEVER, status: Status.Filled },
        "the bid is recorded, filled",
      );
      assert.deepEqual(await levels(book, false), [[110, 15, 1]], "the rest of alice's ask is the book");
      const last = await book.lastPrice();
      assert.equal(last.price.toString(), price(110), "the last price is the last fill's");
      await expectConserved(m, customers);

      const withdrawal = await book.withdraw({ from: bob });
      assert.deepEqual(outcomeOf(withdrawal, "Withdraw"), { sender: bob, isSuccess: true, message: "Ether withdrawn" }, "Withdraw");
      assert.deepEqual(
        activities(withdrawal),
        [{ account: bob, counterparty: ZERO_ADDRESS, operation: Operation.Withdraw, orderId: 0, amount: Number(10n * 100n * TICK), isSuccess: true }],
        "Activity: the amount in wei",
      );
      assert.equal((await etherOf(bob)) - before.bob + (await gasFee(withdrawal)), 10n * 100n * TICK, "bob's ether, withdrawn");
      assert.equal(await credit(bob), 0n, "nothing left to withdraw");
      const again = await book.withdraw({ from: bob });
      assert.deepEqual(outcomeOf(again, "Withdraw"), { sender: bob, isSuccess: false, message: "Nothing to withdraw" }, "again");
      await expectConserved(m, customers);
    });

    it("fills the highest bids first, paid from their escrow, and rests the ask's rest at its limit", async () => {
      await bid(book, alice, 10, 90); // 1
      await bid(book, bob, 10, 100); // 2
      await bid(book, carol, 10, 80); // 3
      const before = await etherOf(dave);

      const tx = await ask(book, dave, 30, 90);

      assert.deepEqual(
        tradesOf(tx),
        [
          { buyer: bob, seller: dave, ticks: 100, quantity: 10, bidId: 2, askId: 4 },
          { buyer: alice, seller: dave, ticks: 90, quantity: 10, bidId: 1, askId: 4 },
        ],
        "the highest bids, at their prices; carol's 80 is below the ask's limit",
      );
      assert.deepEqual(
        activities(tx).map((row) => [row.account, row.counterparty, row.operation]),
        [
          [bob, dave, Operation.Trade],
          [alice, dave, Operation.Trade],
          [dave, ZERO_ADDRESS, Operation.PlaceAsk],
        ],
        "each fill's Activity is the buyer's, with the seller as counterparty",
      );
      assert.deepEqual(
        outcomeOf(tx, "PlaceAsk"),
        { sender: dave, isSuccess: true, message: "Order partly filled; the rest is in the book" },
        "PlaceAsk",
      );
      assert.equal((await etherOf(dave)) + (await gasFee(tx)) - before, (10n * 100n + 10n * 90n) * TICK, "dave is paid the bids' prices");
      assert.equal(await quota(bob), 1010, "bob receives 10");
      assert.equal(await quota(alice), 1010, "alice receives 10");
      assert.equal(await quota(dave), 970, "dave gave 20 and escrows 10");
      assert.deepEqual(await levels(book, false), [[90, 10, 1]], "the ask's rest rests at its limit");
      assert.deepEqual(await levels(book, true), [[80, 10, 1]], "carol's bid is untouched");
      await expectConserved(m, customers);
    });

    it("fills orders at one price oldest first (time priority), a partly filled head keeping its place", async () => {
      await ask(book, alice, 20, 100); // 1
      await ask(book, bob, 20, 100); // 2
      await ask(book, carol, 20, 100); // 3

      const first = await bid(book, dave, 30, 100);
      assert.deepEqual(
        tradesOf(first).map((t) => [t.seller, t.quantity]),
        [
          [alice, 20],
          [bob, 10],
        ],
        "alice's (oldest) then half of bob's",
      );
      assert.deepEqual(await queue(book, false, 100), [2, 3], "bob's rest stays ahead of carol");
      assert.deepEqual(await levels(book, false), [[100, 30, 2]], "the level holds bob's 10 and carol's 20");

      const second = await bid(book, dave, 20, 100);
      assert.deepEqual(
        tradesOf(second).map((t) => [t.seller, t.quantity]),
        [
          [bob, 10],
          [carol, 10],
        ],
        "bob's rest before carol",
      );
      await expectConserved(m, customers);
    });

    it("returns a resting order's rest below the minimum order size to its owner: quota released, ether credited", async () => {
      await ask(book, alice, 15, 100); // 1
      const quotaBefore = await quota(alice);
      const tx = await bid(book, bob, 10, 100);
      assert.deepEqual(outcomes(tx, "CancelOrder"), ["true Order cancelled: its rest is below the minimum order size"], "CancelOrder");
      assert.equal(await quota(alice), quotaBefore + 5, "alice's 5 are back");
      assert.deepEqual(
        await orderOf(book, 1),
        { id: 1, owner: alice, isBid: false, ticks: 100, quantity: 15, filled: 10, expiry: NEVER, status: Status.Cancelled },
        "partly filled, then closed",
      );
      assert.deepEqual(await levels(book, false), [], "no dust rests");

      await bid(book, carol, 15, 100); // 3
      await ask(book, dave, 10, 100);
      assert.equal(String(await book.withdrawable(carol)), (5n * 100n * TICK).toString(), "carol's rest's ether is credited to her");
      assert.equal((await orderOf(book, 3)).status, Status.Cancelled, "carol's bid is closed");
      assert.deepEqual(await levels(book, true), [], "no dust rests");
      await expectConserved(m, customers);
    });

    it(`returns an incoming order's rest below the minimum: "Order partly filled; the rest, below the minimum order size, was returned"`, async () => {
      await ask(book, alice, 10, 100); // 1
      const before = await etherOf(bob);
      const tx = await bid(book, bob, 15, 100);
      assert.deepEqual(
        outcomeOf(tx, "PlaceBid"),
        { sender: bob, isSuccess: true, message: "Order partly filled; the rest, below the minimum order size, was returned" },
        "PlaceBid",
      );
      assert.equal(before - (await etherOf(bob)) - (await gasFee(tx)), 10n * 100n * TICK, "bob paid for 10 only");
      assert.equal((await orderOf(book, 2)).status, Status.Cancelled, "recorded, closed");
      assert.deepEqual(await levels(book, true), [], "no dust rests");
      await expectConserved(m, customers);
    });

    it("puts a later order at the same price behind the earlier ones", async () => {
      await bid(book, alice, 10, 100); // 1
      await bid(book, bob, 10, 100); // 2
      await bid(book, alice, 10, 100); // 3
      const tx = await ask(book, carol, 30, 100);
      assert.deepEqual(tradesOf(tx).map((t) => t.bidId), [1, 2, 3], "first placed, first filled");
      await expectConserved(m, customers);
    });

    it("trades at the resting order's price, not the incoming order's", async () => {
      await bid(book, alice, 10, 150);
      const tx = await ask(book, bob, 10, 100);
      assert.equal(tradesOf(tx)[0].ticks, 150, "the ask sells at the bid's 150");
      await expectConserved(m, customers);
    });
  });

  describe("the match limit", () => {
    isolate();
    before(async () => {
      await ask(book, alice, 10, 100); // 1
      await ask(book, bob, 10, 101); // 2
      await ask(book, carol, 10, 102); // 3
    });

    it("meets at most maxMatches resting orders, and returns the rest rather than cross the book", async () => {
      const before = await etherOf(dave);
      const tx = await bid(book, dave, 30, 102, { maxMatches: 2 });

      assert.lengthOf(tradesOf(tx), 2, "two fills");
      assert.deepEqual(
        outcomeOf(tx, "PlaceBid"),
        { sender: dave, isSuccess: true, message: "Order partly filled; the rest was returned: the match limit was reached" },
        "PlaceBid",
      );
      assert.equal(before - (await etherOf(dave)) - (await gasFee(tx)), (10n * 100n + 10n * 101n) * TICK, "dave paid the two fills only");
      assert.equal((await orderOf(book, 4)).status, Status.Cancelled, "the bid is closed, not resting");
      assert.deepEqual(await levels(book, true), [], "no bid rests against carol's ask");
      await expectConserved(m, customers);
    });

    it("with maxMatches 0, rests an order that does not cross", async () => {
      const tx = await bid(book, dave, 10, 99, { maxMatches: 0 });
      assert.equal(outcomeOf(tx, "PlaceBid").message, "Order placed", "PlaceBid");
      assert.deepEqual(await levels(book, true), [[99, 10, 1]], "the bid rests");
    });

    it("with maxMatches 0, returns an order that crosses", async () => {
      const before = await etherOf(dave);
      const tx = await bid(book, dave, 10, 100, { maxMatches: 0 });
      assert.deepEqual(
        outcomeOf(tx, "PlaceBid"),
        { sender: dave, isSuccess: true, message: "The match limit was reached; the order was returned" },
        "PlaceBid",
      );
      assert.equal(before - (await etherOf(dave)), await gasFee(tx), "the escrow came back");
      assert.lengthOf(tradesOf(tx), 0, "no fill");
      await expectConserved(m, customers);
    });

    it("rests the rest when the matches run out exactly as the other side stops crossing", async () => {
      const tx = await bid(book, dave, 40, 102, { maxMatches: 3 });
      assert.equal(outcomeOf(tx, "PlaceBid").message, "Order partly filled; the rest is in the book", "PlaceBid");
      assert.deepEqual(await levels(book, true), [[102, 10, 1]], "the rest rests at 102");
      await expectConserved(m, customers);
    });

    it("reverts with OrderBookTooManyMatches above 100", async () => {
      await expectCustomError(bid(book, dave, 10, 100, { maxMatches: 101 }), "OrderBookTooManyMatches(uint256,uint256)", [101, 100]);
    });
  });

  describe("cancelOrder", () => {
    isolate();
    before(async () => {
      await bid(book, alice, 10, 100); // 1
      await bid(book, bob, 10, 100); // 2
      await bid(book, carol, 10, 100); // 3
      await ask(book, dave, 20, 200); // 4
    });

    it(`emits CancelOrder "Order cancelled" and gives a bid's ether back`, async () => {
      const before = await etherOf(bob);
      const tx = await book.cancelOrder(2, { from: bob });

      assert.deepEqual(outcomeOf(tx, "CancelOrder"), { sender: bob, isSuccess: true, message: "Order cancelled" }, "CancelOrder");
      assert.deepEqual(
        activities(tx),
        [{ account: bob, counterparty: ZERO_ADDRESS, operation: Operation.CancelOrder, orderId: 2, amount: 10, isSuccess: true }],
        "Activity",
      );
      assert.equal((await etherOf(bob)) + (await gasFee(tx)) - before, 10n * 100n * TICK, "bob's escrow is back");
      assert.equal((await orderOf(book, 2)).status, Status.Cancelled, "order 2 is cancelled");
      assert.deepEqual(await queue(book, true, 100), [1, 3], "alice and carol keep their order");
      await expectConserved(m, customers);

      const fill = await ask(book, dave, 20, 100);
      assert.deepEqual(tradesOf(fill).map((t) => t.bidId), [1, 3], "the level still fills in time order");
    });

    it("gives an ask's quota back and removes an emptied level", async () => {
      const tx = await book.cancelOrder(4, { from: dave });
      assert.equal(outcomeOf(tx, "CancelOrder").message, "Order cancelled", "CancelOrder");
      assert.equal(await quota(dave), 1000, "dave's quota is back");
      assert.deepEqual(await levels(book, false), [], "no asks");
      await expectConserved(m, customers);
    });

    it("unlinks the head and the tail of a level", async () => {
      await book.cancelOrder(1, { from: alice });
      assert.deepEqual(await queue(book, true, 100), [2, 3], "without the head");
      await book.cancelOrder(3, { from: carol });
      assert.deepEqual(await queue(book, true, 100), [2], "without the tail");
      await bid(book, carol, 10, 100); // 5
      assert.deepEqual(await queue(book, true, 100), [2, 5], "a new order joins behind");
      await book.cancelOrder(2, { from: bob });
      await book.cancelOrder(5, { from: carol });
      assert.deepEqual(await levels(book, true), [], "the level is gone");
      await bid(book, carol, 10, 100); // 6
      assert.deepEqual(await queue(book, true, 100), [6], "and comes back");
      await expectConserved(m, customers);
    });

    it(`emits CancelOrder "This order is not open" for a closed order, changing nothing`, async () => {
      await book.cancelOrder(1, { from: alice });
      const before = await bookState(m, customers);
      const tx = await book.cancelOrder(1, { from: alice });
      assert.deepEqual(outcomeOf(tx, "CancelOrder"), { sender: alice, isSuccess: false, message: "This order is not open" }, "CancelOrder");
      assert.deepEqual(
        activities(tx),
        [{ account: alice, counterparty: ZERO_ADDRESS, operation: Operation.CancelOrder, orderId: 1, amount: 0, isSuccess: false }],
        "Activity",
      );
      await expectBookUnchanged(m, before, tx, alice, "cancelling a cancelled order");
    });

    it("reverts with OrderBookUnauthorizedAccount for somebody else's order, even the regulator", async () => {
      for (const sender of [bob, regulator, stranger]) {
        await expectCustomError(book.cancelOrder(1, { from: sender }), "OrderBookUnauthorizedAccount(address,address)", [sender, alice]);
      }
    });

    it("reverts with OrderBookUnknownOrder for an ID never used", async () => {
      for (const id of [0, 99]) await expectCustomError(book.cancelOrder(id, { from: alice }), "OrderBookUnknownOrder(uint256)", [id]);
    });
  });

  describe("malformed orders", () => {
    isolate();

    it("reverts with OrderBookQuantityTooSmall below the minimum, and takes the minimum", async () => {
      await expectCustomError(bid(book, alice, 9, 100), "OrderBookQuantityTooSmall(uint256,uint256)", [9, 10]);
      await expectCustomError(ask(book, alice, 0, 100), "OrderBookQuantityTooSmall(uint256,uint256)", [0, 10]);
      assert.equal(outcomeOf(await ask(book, alice, 10, 100), "PlaceAsk").message, "Order placed", "10 units rest");
    });

    it("reverts with OrderBookQuantityTooLarge above 2^64-1", async () => {
      const huge = (2n ** 64n).toString();
      await expectCustomError(book.placeAsk(huge, price(1), 0, 1, { from: alice }), "OrderBookQuantityTooLarge(uint256,uint256)", [
        2n ** 64n,
        2n ** 64n - 1n,
      ]);
    });

    it("reverts with OrderBookInvalidPrice for a price that is not a whole number of ticks from 1 to 65,535", async () => {
      for (const wrong of [0n, TICK - 1n, TICK + 1n, 65_536n * TICK, 2n ** 255n]) {
        await expectCustomError(book.placeAsk(10, wrong.toString(), 0, 1, { from: alice }), "OrderBookInvalidPrice(uint256)", [wrong]);
      }
      await expectCustomError(book.placeBid(10, "1", 0, 1, { from: alice, value: 10 }), "OrderBookInvalidPrice(uint256)", [1]);
      assert.equal(outcomeOf(await ask(book, alice, 10, 65_535), "PlaceAsk").message, "Order placed", "the highest price rests");
    });

    it("reverts with OrderBookWrongValue unless a bid sends exactly quantity × price", async () => {
      const due = 10n * 100n * TICK;
      for (const value of [0n, due - 1n, due + 1n]) {
        await expectCustomError(bid(book, alice, 10, 100, { value }), "OrderBookWrongValue(uint256,uint256)", [value, due]);
      }
    });

    it("refuses ether with an ask (not payable)", async () => {
      let failed = false;
      try {
        await book.placeAsk(10, price(100), 0, 1, { from: alice, value: 1 } as TruffleOptions);
      } catch {
        failed = true;
      }
      assert.isTrue(failed, "an ask with ether reverts");
    });

    it("reverts with OrderBookInvalidExpiry beyond 2^40-1", async () => {
      await expectCustomError(ask(book, alice, 10, 100, { expiry: 2 ** 40 }), "OrderBookInvalidExpiry(uint256)", [2 ** 40]);
    });

    it("lets a contract that is a registered customer trade (a multisig, a contract wallet)", async () => {
      const forwarder = await deployForwarder(alice);
      const forward = (to: string, data: string): string =>
        selector("forward(address,bytes)") + web3.eth.abi.encodeParameters(["address", "bytes"], [to, data]).slice(2);
      const register = selector("newCustomer(address,bytes32)") + web3.eth.abi.encodeParameters(["address", "bytes32"], [forwarder, digestOf("contract")]).slice(2);
      await web3.eth.sendTransaction({ from: alice, to: forwarder, data: forward(m.carbon.address, register), gas: 500_000 });
      assert.isTrue(await m.customers.isRegistered(forwarder), "the contract is a customer");
      await m.carbon.sendCarbonToCustomer(forwarder, 20, { from: regulator });

      const types = ["uint256", "uint256", "uint256", "uint256"];
      const order = selector(`placeAsk(${types.join(",")})`) + web3.eth.abi.encodeParameters(types, [10, price(100), 0, 1]).slice(2);
      await web3.eth.sendTransaction({ from: alice, to: forwarder, data: forward(book.address, order), gas: 1_000_000 });
      assert.equal(Number(await m.carbon.getCustomerCarbonAmount(forwarder)), 10, "its ask escrowed 10");
      assert.equal(outcomeOf(await bid(book, bob, 10, 100), "PlaceBid").message, "Order filled", "and it trades");
      assert.equal(String(await book.withdrawable(forwarder)), (10n * 100n * TICK).toString(), "its proceeds are credited to it");
    });

    it("reverts with OrderBookNotCustomer for a seller or a stranger", async () => {
      for (const account of [seller, stranger, regulator]) {
        await expectCustomError(ask(book, account, 10, 100), "OrderBookNotCustomer(address)", [account]);
        await expectCustomError(bid(book, account, 10, 100), "OrderBookNotCustomer(address)", [account]);
      }
    });

    it(`emits PlaceAsk "Insufficient quota for this order" beyond the balance, changing nothing`, async () => {
      const before = await bookState(m, customers);
      const tx = await ask(book, alice, 1001, 100);
      assert.deepEqual(outcomeOf(tx, "PlaceAsk"), { sender: alice, isSuccess: false, message: "Insufficient quota for this order" }, "PlaceAsk");
      assert.deepEqual(
        activities(tx),
        [{ account: alice, counterparty: ZERO_ADDRESS, operation: Operation.PlaceAsk, orderId: 0, amount: 1001, isSuccess: false }],
        "Activity",
      );
      assert.deepEqual(outcomes(tx, "OrderPlaced"), [], "no OrderPlaced");
      await expectBookUnchanged(m, before, tx, alice, "an ask beyond the balance");
    });

    it("takes the whole balance", async () => {
      assert.equal(outcomeOf(await ask(book, alice, 1000, 100), "PlaceAsk").message, "Order placed", "PlaceAsk");
      assert.equal(await quota(alice), 0, "all escrowed");
    });
  });
});
