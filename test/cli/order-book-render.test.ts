// The order book's rendering and input, without a chain: ether prices parsed exactly (and refused
// past the tick), durations, the depth ladder, the trades' CSV, and the chart drawn on a known series.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
process.env.TZ = "UTC";
import { setColourMode } from "../../cli/render/colours";
import { chart, columns, type ChartPoint } from "../../cli/render/chart";
import { bookJson, bookText, feedLine, placementText, TRADES_CSV_HEADER, tradesCsv, type BookView, type TradeView } from "../../cli/render/order-book";
import { formatEther, parseDuration, parseEther } from "../../cli/input/order-book";
import { UsageError } from "../../cli/support/errors";

setColourMode("never");

const ETHER = 10n ** 18n;
const FINNEY = 10n ** 15n; // 0.001 ETH
const BUYER = "0x" + "b".repeat(40);
const SELLER = "0x" + "5".repeat(40);
const T0 = Date.UTC(2026, 0, 1) / 1000;

describe("ether prices", () => {
  it("converts decimal ether to wei exactly", () => {
    assert.equal(parseEther("0.01"), 10n ** 16n);
    assert.equal(parseEther("1"), ETHER);
    assert.equal(parseEther("1.5"), 15n * 10n ** 17n);
    assert.equal(parseEther(".25"), 25n * 10n ** 16n);
    assert.equal(parseEther("0.000000000000000001"), 1n, "one wei");
    assert.equal(parseEther("123456789.123456789123456789"), 123456789123456789123456789n, "no floating point on the way");
    assert.equal(parseEther("0.013", "price", FINNEY), 13n * FINNEY, "a multiple of the tick");
  });

  it("refuses what is not a price, and more decimals than the tick allows", () => {
    for (const text of ["", "abc", "1e-2", "-1", "0", "0.0", "1,5", "0x10", "1.2.3", "."]) {
      assert.throws(() => parseEther(text), UsageError, `"${text}" is refused`);
    }
    assert.throws(() => parseEther("0.0000000000000000001"), /has 19 decimals; ether has 18/);
    assert.throws(() => parseEther("0.0015", "price", FINNEY), /price 0\.0015 has more decimals than the tick of 0\.001 ETH allows; use a multiple of it, e\.g\. 0\.001/);
  });

  it("prints wei back as the same decimal", () => {
    for (const text of ["0.01", "1", "1.5", "0.000000000000000001", "123456789.123456789123456789"]) assert.equal(formatEther(parseEther(text)), text);
  });
});

describe("durations", () => {
  it("reads s, m, h, d and w, and refuses the rest", () => {
    assert.deepEqual(["90s", "30m", "12h", "1d", "2w"].map((t) => parseDuration(t)), [90, 1800, 43_200, 86_400, 1_209_600]);
    for (const text of ["1", "1y", "0d", "-1d", "1.5d", "400d", ""]) assert.throws(() => parseDuration(text), UsageError, `"${text}" is refused`);
  });
});

const trade = (i: number, price: bigint, quantity: bigint): TradeView => ({
  time: T0 + i * 60,
  block: 10 + i,
  txHash: "0x" + String(i).repeat(64).slice(0, 64),
  logIndex: 0,
  buyer: BUYER,
  seller: SELLER,
  price,
  quantity,
  bidId: BigInt(2 * i + 1),
  askId: BigInt(2 * i + 2),
});

describe("the trades' CSV", () => {
  it("has a header row, then one row a trade with exact ether and wei", () => {
    const csv = tradesCsv([trade(1, 12n * FINNEY, 5n), trade(0, 10n * FINNEY, 10n)]).split("\n");
    assert.equal(csv[0], TRADES_CSV_HEADER);
    assert.equal(csv[0], "time,block,txHash,buyer,seller,price,priceWei,quantity,bidId,askId");
    assert.equal(csv[1], `2026-01-01T00:01:00.000Z,11,0x${"1".repeat(64)},${BUYER},${SELLER},0.012,12000000000000000,5,3,4`);
    assert.equal(csv.length, 3, "a header and two rows");
    assert.equal(tradesCsv([]), TRADES_CSV_HEADER, "no trades is the header alone");
  });
});

const BOOK: BookView = {
  bids: [
    { price: 11n * FINNEY, quantity: 25n, orders: 1 },
    { price: 10n * FINNEY, quantity: 30n, orders: 2 },
  ],
  asks: [
    { price: 12n * FINNEY, quantity: 10n, orders: 1 },
    { price: 13n * FINNEY, quantity: 40n, orders: 2 },
  ],
  halted: false,
  bandBps: 1000,
  band: { low: 99n * 10n ** 14n, high: 121n * 10n ** 14n },
  referencePrice: 11n * FINNEY,
  lastPrice: 12n * FINNEY,
};

describe("the book", () => {
  it("draws the ladder: asks from the highest down, the spread, bids from the best down", () => {
    assert.equal(
      bookText(BOOK, { width: 80 }),
      [
        "trading   band ±10% of 0.011: 0.0099–0.0121 ETH   last 0.012 ETH",
        "side  price (ETH)  quantity  orders",
        "ask        0.0130        40       2",
        "ask        0.0120        10       1",
        "  spread 0.0010",
        "bid        0.0110        25       1",
        "bid        0.0100        30       2",
      ].join("\n"),
    );
    assert.match(bookText({ bids: [], asks: [], halted: true, bandBps: 0 }), /^⏸ trading halted   no price band\nThe book is empty: no open bids or asks\.$/);
  });

  it("gives bids and asks in JSON, best first, prices in ether and wei", () => {
    const json = bookJson(BOOK);
    assert.deepEqual(Object.keys(json), ["halted", "bandBps", "band", "referencePrice", "lastPrice", "bids", "asks"]);
    assert.deepEqual(json.band, { low: "0.0099", high: "0.0121" });
    assert.deepEqual(json.bids, [
      { price: "0.011", priceWei: "11000000000000000", quantity: "25", orders: 1 },
      { price: "0.01", priceWei: "10000000000000000", quantity: "30", orders: 2 },
    ]);
    assert.deepEqual((json.asks as Array<{ price: string }>).map((l) => l.price), ["0.012", "0.013"]);
  });
});

describe("the chart", () => {
  const series: ChartPoint[] = [
    [10n, 10n],
    [12n, 5n],
    [11n, 20n],
    [13n, 5n],
    [12n, 8n],
    [14n, 12n],
  ].map(([price, quantity], i) => ({ time: T0 + i * 60, price: price * FINNEY, quantity }));

  it("draws price and volume of a known series", () => {
    assert.equal(
      chart(series, { width: 40, height: 6 }),
      [
        "price (ETH per unit): 6 trades, one column each",
        "    0.0140┤    ╭",
        "    0.0133┤  ╭╮│",
        "    0.0127┤  │││",
        "    0.0120┤╭╮│╰╯",
        "    0.0113┤│╰╯",
        "    0.0107┤│",
        "    0.0100┤╯",
        "",
        "volume (units)",
        "        20┤ ╭╮",
        "        13┤╮││ ╭",
        "         7┤╰╯╰─╯",
        "         0┤",
        "      time  2026-01-01 00:00:00 → 2026-01-01 00:05:00",
      ].join("\n"),
    );
  });

  it("puts neighbouring trades in one column when they outnumber the columns: last price, summed volume", () => {
    assert.deepEqual(
      columns(series, 3).map((c) => [c.price / FINNEY, c.volume]),
      [
        [12n, 15n],
        [13n, 25n],
        [14n, 20n],
      ],
    );
    const many = Array.from({ length: 500 }, (_, i) => ({ time: T0 + i, price: 10n * FINNEY, quantity: 1n }));
    const drawn = chart(many, { width: 60 });
    assert.match(drawn, /500 trades, 48 columns/);
    assert.ok(drawn.split("\n").every((line) => line.length <= 60), "fits the width");
  });

  it("says so when there is nothing to draw", () => {
    assert.equal(chart([]), "No trades yet: the chart starts with the first.");
  });
});

describe("a placement", () => {
  const outcome = { ok: true, event: "PlaceBid", txHash: "0x" + "a".repeat(64), block: 9, gasUsed: 1, side: "bid" as const, orderId: 7n, price: 12n * FINNEY, quantity: 100n };

  it("says what filled at once and what rests, or what came back", () => {
    const fill = trade(1, 12n * FINNEY, 5n);
    const tail = (text: string) => text.split("\n").slice(3).join("\n");
    assert.equal(tail(placementText({ ...outcome, message: "Order partly filled; the rest is in the book", fills: [fill], resting: 95n })), `filled 5 at 0.012 ETH with ${SELLER}\norder #7 95 of 100 rests on the book at 0.012 ETH`);
    assert.equal(tail(placementText({ ...outcome, message: "Order partly filled; the rest was returned: the match limit was reached", fills: [fill], resting: 0n })), `filled 5 at 0.012 ETH with ${SELLER}\norder #7: 5 of 100 filled, the rest returned`);
    assert.equal(tail(placementText({ ...outcome, message: "The match limit was reached; the order was returned", fills: [], resting: 0n })), "order #7: nothing filled, all of it returned");
    assert.equal(tail(placementText({ ...outcome, message: "Order filled", fills: [{ ...fill, quantity: 100n }], resting: 0n })), `filled 100 at 0.012 ETH with ${SELLER}\norder #7 filled completely`);
    assert.equal(placementText({ ...outcome, ok: false, message: "Trading is halted", fills: [], resting: 0n }).split("\n")[0], "✘ Trading is halted");
  });
});

describe("the live feed", () => {
  it("prints a trade on one line", () => {
    const line = feedLine({ kind: "trade", block: 12, time: T0 + 5, trade: trade(2, 12n * FINNEY, 5n) });
    assert.equal(line, "00:00:05 #12 TRADE 5 at 0.012 ETH 0x5555…5555 → 0xbbbb…bbbb");
  });
});
