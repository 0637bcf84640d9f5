// The order book's client (cli/chain/order-book.ts), which the book's commands and session build on:
// checks before sending (UsageError, nothing mined), outcomes with the new order's ID, the views in
// plain values, trades and new orders read from the events, and the history's order IDs. One chain.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { UsageError } from "../../cli/support/errors";
import { OrderBook } from "../../cli/chain/order-book";
import { formatEther, priceFromEther } from "../../cli/chain/order-book-prices";
import { MAX_PRUNES, MIN_QUANTITY, TICK_WEI } from "../../cli/chain/order-book-types";
import { startMarket, type CliChain } from "./support/cli";

let cli: CliChain;
let book: OrderBook;
let alice: string;
let bob: string;
let stranger: string;

before(async () => {
  cli = await startMarket();
  [, alice, bob, stranger] = cli.accounts;
  book = new OrderBook(cli.market);
  for (const account of [alice, bob]) {
    await cli.market.newCustomer(account, "a password of some length");
    await cli.market.sendCarbonToCustomer(account, 500n);
  }
});

after(async () => {
  await cli.stop();
});

describe("prices in ether", () => {
  it("reads and writes whole ticks of 0.0001 ether", () => {
    assert.equal(priceFromEther("0.0525"), 525n * TICK_WEI);
    assert.equal(priceFromEther("6.5535"), 65_535n * TICK_WEI);
    assert.equal(formatEther(525n * TICK_WEI), "0.0525");
    assert.equal(formatEther(10n ** 18n), "1");
    for (const wrong of ["0", "0.00001", "0.00015", "6.5536", "-1", "1e3", "abc"]) {
      assert.throws(() => priceFromEther(wrong), UsageError, wrong);
    }
  });
});

describe("OrderBook client", () => {
  it("places, reports the order's ID, and shows the book best first", async () => {
    const first = await book.placeAsk(20n, priceFromEther("0.011"), { from: alice });
    assert.deepEqual([first.ok, first.message, first.event, first.orderId], [true, "Order placed", "PlaceAsk", 1n]);
    await book.placeAsk(10n, priceFromEther("0.010"), { from: alice });
    const bid = await book.placeBid(10n, priceFromEther("0.009"), { from: bob, expiry: 4_000_000_000 });
    assert.equal(bid.orderId, 3n);

    assert.deepEqual(await book.depth(5), {
      bids: [{ price: 90n * TICK_WEI, quantity: 10n, orders: 1 }],
      asks: [
        { price: 100n * TICK_WEI, quantity: 10n, orders: 1 },
        { price: 110n * TICK_WEI, quantity: 20n, orders: 1 },
      ],
    });
    assert.deepEqual(await book.order(3n), {
      id: 3n,
      owner: bob.toLowerCase(),
      side: "bid",
      price: 90n * TICK_WEI,
      quantity: 10n,
      filled: 0n,
      remaining: 10n,
      expiry: 4_000_000_000,
      status: "open",
    });
    assert.equal(await book.order(99n), undefined);
    const best = await book.best();
    assert.equal(best.ask?.price, 100n * TICK_WEI);
    assert.equal(best.bid?.price, 90n * TICK_WEI);
    assert.deepEqual(await book.escrow(), { ether: 10n * 90n * TICK_WEI, withdrawable: 0n, carbon: 30n });
  });

  it("fills across levels and reads the trades and new orders back from the events", async () => {
    const from = (await cli.market.blockNumber()) + 1;
    const filled = await book.placeBid(25n, priceFromEther("0.011"), { from: bob, maxMatches: 2 });
    assert.deepEqual([filled.ok, filled.message], [true, "Order filled"]);

    const trades = await book.trades(from);
    assert.deepEqual(
      trades.map((t) => [t.seller, t.buyer, t.price, t.quantity, t.askId, t.bidId]),
      [
        [alice.toLowerCase(), bob.toLowerCase(), 100n * TICK_WEI, 10n, 2n, 4n],
        [alice.toLowerCase(), bob.toLowerCase(), 110n * TICK_WEI, 15n, 1n, 4n],
      ],
    );
    assert.equal((await book.trades(from, "latest", stranger)).length, 0, "nobody else's trades");
    assert.equal((await book.trades(0, "latest", alice)).length, 2, "alice's trades");
    const placed = await book.placedOrders(from);
    assert.deepEqual(placed.map((o) => [o.id, o.side, o.quantity, o.filled]), [[4n, "bid", 25n, 25n]]);
    assert.equal((await book.lastPrice())?.price, 110n * TICK_WEI);
    assert.equal(typeof (await cli.market.blockTime(filled.block)), "number");

    const history = await cli.market.activityPage(alice, { limit: 10 });
    const trade = history.records.find((record) => record.operation === "Trade");
    assert.ok(trade, "alice's history shows her sales");
    assert.equal(trade.orderId, 1n, "by the resting order's ID");
    assert.equal(trade.carbonId, undefined, "not as a lot ID");
    assert.equal(trade.message, "");
    const ask = history.records.find((record) => record.operation === "PlaceAsk");
    assert.equal(ask?.message, "Order placed");
  });

  it("credits a maker's proceeds, which its owner withdraws once", async () => {
    const proceeds = 10n * 100n * TICK_WEI + 15n * 110n * TICK_WEI;
    assert.equal(await book.withdrawable(alice), proceeds, "alice's two sales");
    assert.equal((await book.escrow()).withdrawable, proceeds);
    const before = await cli.market.etherBalance(alice);
    const paid = await book.withdraw(alice);
    assert.deepEqual([paid.ok, paid.message, paid.event, paid.amount], [true, "Ether withdrawn", "Withdraw", proceeds]);
    const gas = BigInt(paid.gasUsed) * BigInt((await cli.rpc.request<{ effectiveGasPrice: string }>("eth_getTransactionReceipt", [paid.txHash])).effectiveGasPrice);
    assert.equal(await cli.market.etherBalance(alice), before + proceeds - gas, "paid to alice, less the gas");
    const again = await book.withdraw(alice);
    assert.deepEqual([again.ok, again.message, again.amount], [false, "Nothing to withdraw", 0n]);
    const history = (await cli.market.activityPage(alice, { limit: 5 })).records.filter((record) => record.operation === "Withdraw");
    assert.deepEqual(history.map((r) => [r.amount, r.ok, r.message, r.orderId]).sort((x, y) => Number(y[1]) - Number(x[1])), [[proceeds, true, "Ether withdrawn", undefined], [0n, false, "Nothing to withdraw", undefined]], "both in alice's history");
    await assert.rejects(book.withdraw(stranger.replace(/.$/, (d) => (d === "0" ? "1" : "0"))), UsageError, "no key for it");
  });

  it("sweeps a level of expired orders, returning their escrow", async () => {
    const now = await cli.market.blockTime("latest");
    for (let i = 0; i < 3; i++) await book.placeAsk(10n, priceFromEther("0.02"), { from: alice, expiry: now + 60 });
    await cli.rpc.request("evm_increaseTime", [120]);
    await cli.rpc.request("evm_mine");
    const held = await cli.market.customerCarbonAmount(alice);
    await assert.rejects(book.pruneLevel("ask", priceFromEther("0.02"), bob, MAX_PRUNES + 1), UsageError);
    const swept = await book.pruneLevel("ask", priceFromEther("0.02"), bob);
    assert.deepEqual([swept.ok, swept.message, swept.removed], [true, "Orders removed", 3]);
    assert.equal(await cli.market.customerCarbonAmount(alice), held + 30n, "alice's quota is back");
    assert.deepEqual((await book.depth(5)).asks.filter((level) => level.price === priceFromEther("0.02")), [], "the level is gone");
    const nothing = await book.pruneLevel("ask", priceFromEther("0.02"), bob);
    assert.deepEqual([nothing.ok, nothing.message, nothing.removed], [false, "Nothing to remove", 0]);
    const sweeps = (await cli.market.activityPage(bob, { limit: 5 })).records.filter((record) => record.operation === "PruneLevel");
    assert.deepEqual(sweeps.map((r) => [r.price, r.orderId]), [[priceFromEther("0.02"), undefined], [priceFromEther("0.02"), undefined]], "bob's sweeps name the price, not an order");
  });

  it("cancels its owner's order, and refuses somebody else's before sending", async () => {
    const page = await book.orders(bob);
    assert.deepEqual(page.orders.map((o) => [o.id, o.status]), [[3n, "open"], [4n, "filled"]]);
    await assert.rejects(book.cancelOrder(3n, alice), UsageError);
    await assert.rejects(book.cancelOrder(99n, bob), UsageError);
    const cancelled = await book.cancelOrder(3n, bob);
    assert.deepEqual([cancelled.ok, cancelled.message, cancelled.event], [true, "Order cancelled", "CancelOrder"]);
    const again = await book.cancelOrder(3n, bob);
    assert.deepEqual([again.ok, again.message], [false, "This order is not open"]);
  });

  it("refuses malformed orders and the wrong senders with a UsageError, sending nothing", async () => {
    const count = await book.orderCount();
    await assert.rejects(book.placeAsk(MIN_QUANTITY - 1n, priceFromEther("0.01"), { from: alice }), UsageError);
    await assert.rejects(book.placeAsk(10n, TICK_WEI + 1n, { from: alice }), UsageError);
    await assert.rejects(book.placeAsk(10n, TICK_WEI, { from: alice, maxMatches: 101 }), UsageError);
    await assert.rejects(book.placeAsk(10n, TICK_WEI, { from: alice, expiry: -1 }), UsageError);
    await assert.rejects(book.placeBid(10n, TICK_WEI, { from: stranger }), UsageError, "not a customer");
    await assert.rejects(book.haltTrading(alice), UsageError, "not the regulator");
    await assert.rejects(book.setPriceBand(10_001), UsageError);
    assert.equal(await book.orderCount(), count, "nothing was placed");
  });

  it("lets the regulator halt, band and resume", async () => {
    assert.deepEqual((await book.haltTrading()).message, "Trading halted");
    assert.equal(await book.halted(), true);
    const refused = await book.placeAsk(10n, priceFromEther("0.01"), { from: alice });
    assert.deepEqual([refused.ok, refused.message, refused.orderId], [false, "Trading is halted", undefined]);
    assert.equal((await book.resumeTrading()).message, "Trading resumed");
    await assert.rejects(book.setPriceBand(1000), /no reference price yet/, "a first band needs a reference");
    assert.equal((await book.setPriceBand(1000, cli.market.regulator, priceFromEther("0.011"))).message, "Price band set");
    const band = await book.band();
    assert.deepEqual([band.bps, band.active, band.referencePrice, band.low, band.high], [1000, true, 110n * TICK_WEI, 99n * TICK_WEI, 121n * TICK_WEI]);
    assert.equal((await book.setPriceBand(500)).message, "Price band set", "a new width keeps the reference");
    assert.equal((await book.band()).referencePrice, 110n * TICK_WEI);
    const day = await book.tradingDay();
    assert.equal(day.day, Math.floor((await cli.market.blockTime("latest")) / 86_400), "today, in UTC days");
  });
});
