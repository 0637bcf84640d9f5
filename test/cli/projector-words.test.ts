// The projector without a browser: the feed's plain words (names, or 0x1234…abcd for an account
// without one), and the page guard's verdicts on the headers a browser sends. The page itself is
// tested in Chromium (test/start/projector.test.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FeedEvent } from "../../cli/chain/book-feed";
import { browserProblem, pageProblem } from "../../cli/gate/browser-guard";
import { bookLine, lotLine } from "../../cli/projector/feed-words";

const ANA = "0x" + "a".repeat(40);
const BEN = "0x" + "b".repeat(40);
const NAMES = new Map([[ANA, "Ana"], [BEN, "Ben"]]);
const TICK = 10n ** 14n;
const at = { block: 7, time: 1_700_000_000 };

function words(event: FeedEvent, names = NAMES): string {
  return bookLine(event, "k", names).text;
}

describe("the feed's words", () => {
  it("says who bought how much from whom at what price, in ether as the CLI prints it", () => {
    const trade = { buyer: ANA, seller: BEN, price: 120n * TICK, quantity: 20n, bidId: 2n, askId: 1n, block: 7, txHash: "0x", logIndex: 0, time: at.time };
    assert.equal(words({ kind: "trade", ...at, trade }), "Ana bought 20 from Ben at 0.012");
    assert.equal(words({ kind: "trade", ...at, trade }, new Map()), "0xaaaa…aaaa bought 20 from 0xbbbb…bbbb at 0.012", "no names: short addresses");
  });

  it("says what an order offers or bids for, and how much of it filled at once", () => {
    const order = { id: 3n, side: "bid" as const, owner: ANA, price: 110n * TICK, quantity: 15n, filled: 0n };
    assert.equal(words({ kind: "order", ...at, order }), "Ana bids for 15 at 0.011");
    assert.equal(words({ kind: "order", ...at, order: { ...order, filled: 15n } }), "Ana bids for 15 at 0.011, filled at once");
    assert.equal(words({ kind: "order", ...at, order: { ...order, side: "ask", owner: BEN, filled: 5n } }), "Ben offers 15 at 0.011, 5 filled at once");
  });

  it("says an order was cancelled or expired, and the regulator's acts with a capital", () => {
    assert.equal(words({ kind: "cancel", ...at, id: 4n, owner: ANA, reason: "cancelled" }), "Ana's order 4 was cancelled");
    assert.equal(words({ kind: "cancel", ...at, id: 4n, owner: BEN, reason: "expired" }), "Ben's order 4 expired");
    assert.equal(words({ kind: "market", ...at, message: "trading halted by the regulator" }), "Trading halted by the regulator");
  });

  it("says a lot was bought for quota", () => {
    const lot = { kind: "lot" as const, key: "l7.1", ...at, buyer: ANA, seller: BEN, buyerName: "Ana", sellerName: "", quantity: "30", lot: "LOT-1" };
    assert.equal(lotLine(lot).text, "Ana bought lot LOT-1 from 0xbbbb…bbbb for 30 quota");
  });
});

describe("the page guard", () => {
  it("lets the page's own GETs through: no Origin, or its own", () => {
    assert.equal(pageProblem({ host: "127.0.0.1:8545" }), undefined);
    assert.equal(pageProblem({ host: "192.168.1.20:8545", origin: "http://192.168.1.20:8545" }), undefined);
    assert.equal(pageProblem({ host: "localhost:8545" }), undefined);
  });

  it("refuses another site's Origin, a null Origin and a Host that is a name", () => {
    assert.match(pageProblem({ host: "127.0.0.1:8545", origin: "http://evil.example" }) ?? "", /Origin: "http:\/\/evil\.example"\) are refused/);
    assert.match(pageProblem({ host: "127.0.0.1:8545", origin: "null" }) ?? "", /refused/);
    assert.match(pageProblem({ host: "127.0.0.1:8545", origin: "http://127.0.0.1:9999" }) ?? "", /refused/, "another port is another site");
    assert.match(pageProblem({ host: "rebind.evil.example:8545" }) ?? "", /Host "rebind\.evil\.example:8545" is refused/);
    assert.match(pageProblem({}) ?? "", /Host "\(none\)" is refused/);
  });

  it("leaves JSON-RPC's rule as it was: even the page's own origin may not POST JSON-RPC", () => {
    assert.match(browserProblem({ host: "127.0.0.1:8545", origin: "http://127.0.0.1:8545", "content-type": "application/json" }) ?? "", /refused/);
    assert.equal(browserProblem({ host: "127.0.0.1:8545", "content-type": "application/json" }), undefined);
  });
});
