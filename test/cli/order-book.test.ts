// The order book end to end, on one chain: the real `carbon` binary places, fills, lists, cancels,
// halts and charts, each with its exit code and its JSON; `carbon watch` prints a trade as it happens;
// and the session's order-book menus do the same in a pseudo-terminal.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { OrderBook } from "../../cli/chain/order-book";
import { PROJECT_ROOT } from "../../cli/chain/home";
import { chart } from "../../cli/render/chart";
import { setColourMode } from "../../cli/render/colours";
import { carbon, CARBON, fingerprint, startMarket, type CliChain } from "./support/cli";
import { refuseWideLogRanges, startProxy } from "./support/proxy";
import { Terminal } from "./support/terminal";

process.env.TZ = "UTC";
setColourMode("never");

const TICK = 10n ** 14n;
let cli: CliChain;
let env: NodeJS.ProcessEnv;
let buyer: string;
let seller: string;
let book: OrderBook;

before(async () => {
  cli = await startMarket();
  env = { ...cli.env, TZ: "UTC" };
  [, buyer, seller] = cli.accounts;
  await cli.market.newCustomer(buyer, "pw-1");
  await cli.market.newCustomer(seller, "pw-2");
  await cli.market.newCustomer(cli.accounts[3], "pw-3");
  await cli.market.sendCarbonToCustomer(seller, 1000n);
  book = new OrderBook(cli.market);
});

after(async () => {
  await cli.stop();
});

function json(stdout: string): Record<string, any> {
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, `one JSON object, got:\n${stdout}`);
  return JSON.parse(lines[0]);
}

async function ok(args: string[]): Promise<string> {
  const ran = await carbon(args, env);
  assert.equal(ran.code, 0, `carbon ${args.join(" ")}: ${ran.stderr}${ran.stdout}`);
  return ran.stdout;
}

describe("placing orders", () => {
  it("rests orders that do not cross, saying so, with the price in ether exactly", async () => {
    const first = await ok(["ask", "2", "40", "0.012"]);
    assert.match(first, /^✔ Order placed\ntx 0x[0-9a-f]{64}\nblock \d+ {2}gas used \d+\norder #1 40 of 40 rests on the book at 0\.012 ETH\n$/);
    const second = json(await ok(["ask", "2", "30", "0.0125", "--json"]));
    assert.deepEqual([second.ok, second.message, second.side, second.orderId, second.price, second.priceWei, second.resting, second.fills], [true, "Order placed", "ask", "2", "0.0125", "12500000000000000", "30", []]);
    const bid = json(await ok(["bid", "1", "50", "0.01", "--expires", "1d", "--json"]));
    const placed = await book.order(3n);
    const lead = placed!.expiry! - (await cli.market.blockTime(bid.block));
    assert.ok(lead <= 86_400 && lead > 86_400 - 10, `--expires 1d counts from the chain's time (${lead} s)`);
    assert.equal(await cli.market.customerCarbonAmount(seller), 930n, "the asks' quota is escrowed");
  });

  it("fills a crossing bid at the resting prices, cheapest first, and leaves the rest of the second ask", async () => {
    const result = json(await ok(["bid", "1", "50", "0.0125", "--json"]));
    assert.equal(result.message, "Order filled");
    assert.deepEqual(
      result.fills.map((f: any) => [f.price, f.quantity, f.buyer, f.seller, f.askId, f.bidId]),
      [
        ["0.012", "40", buyer, seller, "1", "4"],
        ["0.0125", "10", buyer, seller, "2", "4"],
      ],
    );
    assert.equal(result.resting, "0");
    assert.equal(await cli.market.customerCarbonAmount(buyer), 50n, "the buyer received 50");
    const proceeds = 40n * 120n * TICK + 10n * 125n * TICK;
    assert.deepEqual(await book.escrow(), { ether: 50n * 100n * TICK, withdrawable: proceeds, carbon: 20n }, "left in escrow: the resting bid's ether, the ask's 20; the seller's proceeds credited");
    assert.match(await ok(["orders", "--mine", "2"]), new RegExp(`\\n0\\.605 ETH to withdraw: carbon withdraw ${seller}\\n$`), "the seller's orders say what it may withdraw");
    const paid = json(await ok(["withdraw", "2", "--json"]));
    assert.deepEqual([paid.ok, paid.message, paid.amount, paid.amountWei], [true, "Ether withdrawn", "0.605", proceeds.toString()]);
    assert.equal(await book.withdrawable(seller), 0n);
    const supervision = json(await ok(["market", "--json"]));
    assert.deepEqual(supervision.bookTrades.map((t: any) => [t.price, t.quantity, t.buyer, t.seller]), [["0.012", "40", buyer, seller], ["0.0125", "10", buyer, seller]], "supervision shows the book's fills, oldest first");
    assert.match(await ok(["market"]), /Latest trades on the book\n.*\n.*0\.0120 +40 /, "and as text");
    const again = await carbon(["withdraw", "2"], env);
    assert.equal(again.code, 1, "nothing left: the contract says no");
    assert.match(again.stdout, /^✘ Nothing to withdraw\n/);
  });

  it("shows the book by price level, with bids and asks in its JSON", async () => {
    const view = json(await ok(["book", "--json"]));
    assert.deepEqual(view.bids, [{ price: "0.01", priceWei: "10000000000000000", quantity: "50", orders: 1 }]);
    assert.deepEqual(view.asks, [{ price: "0.0125", priceWei: "12500000000000000", quantity: "20", orders: 1 }]);
    assert.deepEqual([view.halted, view.lastPrice], [false, "0.0125"]);
    const batch = await carbon(["batch"], env, { input: "book\norders --limit 1\n" });
    assert.equal(batch.code, 0, batch.stderr);
    assert.deepEqual(batch.stdout.trim().split("\n").map((line) => Object.keys(JSON.parse(line)).slice(-2)), [["bids", "asks"], ["next", "orders"]], "a batch runs the book's reads too");
    const text = await ok(["book"]);
    assert.match(text, /^trading {3}no price band {3}last 0\.0125 ETH\nside  price \(ETH\)  quantity  orders\nask        0\.0125        20       1\n  spread 0\.0025\nbid        0\.0100        50       1\n$/);
  });

  it("lists open orders in trading order, paged, and one account's orders with --mine", async () => {
    const all = json(await ok(["orders", "--json"]));
    assert.deepEqual(all.orders.map((o: any) => [o.id, o.side, o.remaining]), [["3", "bid", "50"], ["2", "ask", "20"]]);
    const page = json(await ok(["orders", "--limit", "1", "--offset", "1", "--json"]));
    assert.deepEqual([page.orders.map((o: any) => o.id), page.total, page.offset], [["2"], 2, 1]);
    const mine = json(await ok(["orders", "--mine", "1", "--json"]));
    assert.deepEqual(mine.orders.map((o: any) => [o.id, o.status, o.filled]), [["3", "open", "0"], ["4", "filled", "50"]]);
    assert.equal(mine.address, buyer);
  });
});

describe("refusals", () => {
  it("refuses bad input with exit 2 and a reason, sending nothing", async () => {
    const before = await fingerprint(cli);
    const cases: Array<[string[], RegExp]> = [
      [["bid", "1", "20", "0.00015"], /price 0\.00015 has more decimals than the tick of 0\.0001 ETH allows/],
      [["bid", "1", "20", "1e-2"], /is not an amount of ether/],
      [["bid", "1", "5", "0.01"], /at least 10 units/],
      [["bid", "1", "20", "7"], /from 0\.0001 to 6\.5535 ether/],
      [["bid", "1", "20", "0.01", "--expires", "1y"], /--expires "1y" is not a duration/],
      [["ask", "2", "20", "0.01", "--max-matches", "101"], /--max-matches "101" is not a whole number from 0 to 100/],
      [["bid", "4", "20", "0.01"], /is not a registered customer/],
      [["cancel", "1", "2"], /order 2 is 0x[0-9a-f]{40}'s: only its owner can cancel it/],
      [["cancel", "1", "99"], /there is no order 99/],
      [["halt", "--from", "1"], /is not the regulator/],
      [["band", "10001"], /band \(basis points\) "10001" is not a whole number from 0 to 10000/],
      [["trades", "--limit", "0"], /--limit "0"/],
    ];
    for (const [args, message] of cases) {
      const ran = await carbon(args, env);
      assert.equal(ran.code, 2, `${args.join(" ")}: ${ran.stderr}`);
      assert.match(ran.stderr, message, args.join(" "));
    }
    assert.equal(await fingerprint(cli), before, "nothing was sent");
  });

  it("refuses an ask for more quota than the account holds before sending (exit 2)", async () => {
    const before = await fingerprint(cli);
    const broke = await carbon(["ask", "3", "10", "0.01", "--json"], env);
    assert.equal(broke.code, 2);
    assert.deepEqual(json(broke.stdout), { ok: false, error: `${cli.accounts[3]} holds 0 quota: an ask of 10 needs 10 (10 short)`, exitCode: 2 });
    const short = await carbon(["ask", "2", "100000", "0.01"], env);
    assert.equal(short.code, 2);
    assert.match(short.stderr, new RegExp(`^error: ${seller} holds \\d+ quota: an ask of 100000 needs 100000 \\(\\d+ short\\)\n$`));
    assert.equal(await fingerprint(cli), before, "nothing was sent");
  });

  it("exits 1 with the contract's message when it says no", async () => {
    const twice = await carbon(["cancel", "1", "4"], env);
    assert.equal(twice.code, 1);
    assert.match(twice.stdout, /^✘ This order is not open\n/);
  });
});

describe("the regulator", () => {
  it("halts trading (orders refused, exit 1), resumes it, and sets the band", async () => {
    assert.deepEqual(json(await ok(["halt", "--json"])).halted, true);
    const refused = await carbon(["bid", "1", "20", "0.01"], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /^✘ Trading is halted\n/);
    assert.match(await ok(["resume"]), /^✔ Trading resumed\n[\s\S]*\ntrading is open, no price band$/m);
    const first = await carbon(["band", "1000"], env);
    assert.deepEqual([first.code, first.stderr.trim()], [2, "error: there is no reference price yet (no day has traded enough): give one with --reference <ether>"], "a first band needs a reference");
    const set = json(await ok(["band", "1000", "--reference", "0.012", "--json"]));
    assert.deepEqual([set.message, set.bandBps, set.referencePrice, set.band], ["Price band set", 1000, "0.012", { low: "0.0108", high: "0.0132" }]);
    assert.match(await ok(["band"]), /^trading is open, band ±10% of 0\.012 ETH: orders from 0\.0108 to 0\.0132 ETH a unit\nreference 0\.012 ETH {3}today \d+ units traded, most at [\d.]+ ETH \(\d+ units\)\n/, "anybody sees the band");
    const lifted = json(await ok(["band", "0", "--json"]));
    assert.deepEqual([lifted.bandBps, lifted.band, lifted.referencePrice], [0, null, "0.012"], "lifted, the reference kept");
  });
});

describe("trades and the chart", () => {
  it("lists the trades newest first, paged, and as CSV with a header row", async () => {
    const all = json(await ok(["trades", "--json"]));
    assert.deepEqual(all.trades.map((t: any) => [t.price, t.quantity]), [["0.0125", "10"], ["0.012", "40"]]);
    const first = json(await ok(["trades", "--limit", "1", "--json"]));
    assert.deepEqual([first.trades.length, first.next], [1, "1"]);
    const csv = (await ok(["trades", "--csv"])).trim().split("\n");
    assert.equal(csv[0], "time,block,txHash,buyer,seller,price,priceWei,quantity,bidId,askId");
    assert.match(csv[1], new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z,\\d+,0x[0-9a-f]{64},${buyer},${seller},0\\.0125,12500000000000000,10,4,2$`));
    assert.equal(csv.length, 3, "the header and two trades");
  });

  it("reads the same trades through a node that refuses wide log ranges", async () => {
    const proxy = await startProxy(cli.chain.url, refuseWideLogRanges(4));
    try {
      const direct = json(await ok(["trades", "--json"])).trades;
      const proxied = await carbon(["trades", "--json"], { ...env, CARBON_RPC_URL: proxy.url });
      assert.equal(proxied.code, 0, proxied.stderr);
      assert.deepEqual(json(proxied.stdout).trades, direct);
      const ranges = proxy.calls.filter((c) => c.method === "eth_getLogs").map((c) => c.params[0] as { fromBlock: string; toBlock: string });
      assert.ok(ranges.some(({ fromBlock, toBlock }) => Number(toBlock) - Number(fromBlock) + 1 <= 4), "narrowed to the node's limit");
    } finally {
      await proxy.close();
    }
  });

  it("draws the trades' price and volume as the renderer does for the same series", async () => {
    const trades = json(await ok(["trades", "--json"])).trades.reverse();
    const expected = chart(
      trades.map((t: any) => ({ time: Date.parse(t.time) / 1000, price: BigInt(t.priceWei), quantity: BigInt(t.quantity) })),
      { width: 80 },
    );
    const drawn = await ok(["chart"]);
    assert.equal(drawn, expected + "\n");
    assert.match(drawn, /^price \(ETH per unit\): 2 trades, one column each\n/);
    assert.deepEqual(json(await ok(["chart", "--json"])).points.map((p: any) => p.quantity), ["40", "10"]);
  });
});

describe("carbon watch", () => {
  it("prints a trade as its block arrives, naming its accounts, without a terminal, until Ctrl+C (exit 130)", async () => {
    await ok(["rename", "2", "Sol"]);
    const child = spawn(process.execPath, [CARBON, "watch"], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      await until(() => stderr.includes("Watching the order book"), () => stderr);
      await ok(["ask", "2", "10", "0.01"]); // meets the resting bid of 50 at 0.01
      await until(() => /TRADE 10 at 0\.01 ETH/.test(stdout), () => stdout);
      assert.match(stdout, new RegExp(`\\d\\d:\\d\\d:\\d\\d #\\d+ TRADE 10 at 0\\.01 ETH Sol ${seller.slice(0, 6)}…${seller.slice(-4)} → ${buyer.slice(0, 6)}…${buyer.slice(-4)}\\n`));
      assert.match(stdout, /ask  #\d+ 10 at 0\.01 ETH by Sol 0x[0-9a-f]{4}…[0-9a-f]{4} \(all filled at once\)/);
      child.kill("SIGINT");
      assert.equal(await exited, 130, "Ctrl+C is exit 130");
    } finally {
      child.kill();
    }
  });

  it("with --count and --json, prints one object a line, accounts named, and exits 0", async () => {
    await ok(["rename", "2", "Bea"]);
    const ran = carbon(["watch", "--count", "2", "--json"], env);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await ok(["ask", "2", "10", "0.01"]);
    const { code, stdout } = await ran;
    assert.equal(code, 0);
    const rows = stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(rows.map((row) => row.kind), ["trade", "order"], "the fill, then the order that made it");
    assert.equal(rows[1].name, "Bea", "the order's owner by name");
    assert.equal(rows[0].sellerName, "Bea", "the fill's seller by name");
    assert.ok("buyerName" in rows[0], "every account field has its name field, null without a name");
  });
});

describe("help", () => {
  it("every order-book command's --help has examples, the global options and the exit codes", async () => {
    for (const command of ["bid", "ask", "cancel", "withdraw", "prune", "orders", "book", "trades", "chart", "watch", "band", "halt", "resume"]) {
      const stdout = await ok([command, "--help"]);
      assert.match(stdout, /^Global Options:$/m, command);
      assert.match(stdout, new RegExp(`\\nExamples:\\n {2}\\$ carbon ${command}`), `${command}: examples`);
      assert.match(stdout, /Exit codes:\n {2}0 {4}done[\s\S]*\n {2}130 /, `${command}: exit codes`);
    }
  });
});

describe("the session", () => {
  it("lets a customer bid, see the book and cancel, and the regulator halt, resume and set the band", async () => {
    const term = new Terminal([], env);
    try {
      await term.waitFor(/Sign in as[\s\S]*8\. Quit/);
      await term.choose(2);
      await term.waitFor("Which customer?");
      await term.type("\r");
      await term.waitFor("Password");
      await term.line("pw-1");
      await term.waitFor(/6\. Order book: bid, offer, cancel[\s\S]*8\. Log out/);
      await term.choose(6);
      await term.waitFor("10. Back");
      await term.choose(2);
      await term.waitFor("Quantity to buy");
      await term.line("20");
      await term.waitFor("Highest price");
      await term.type("0.0001");
      await term.waitFor("escrow 0.002 ETH");
      await term.type("1\r");
      await term.waitFor("more decimals than the tick");
      await term.type("\u007f".repeat(7) + "0.0101");
      // The escrow beside the ether the bidder holds: gas is not escrow, and comes on top.
      await term.waitFor(/escrow 0\.202 ETH\s+of\s+the\s+[\d.]+\s+ETH\s+you\s+hold;\s+gas\s+on\s+top/);
      await term.type("\r");
      await term.waitFor("Rests for");
      await term.type("\r");
      await term.waitFor(/✔ Order placed[\s\S]*rests on the book at 0\.0101 ETH/);
      await term.waitFor("10. Back");
      await term.choose(1);
      await term.waitFor(/bid {8}0\.0101 {8}20 {7}1/);
      await term.waitFor("10. Back");
      await term.choose(5);
      await term.waitFor(/Cancel which order\?[\s\S]*❯ #\d+ {2}bid {2}20 of 20 at 0\.0101 ETH/);
      await term.type("\r");
      await term.waitFor("✔ Order cancelled");
      await term.waitFor("10. Back");
      await term.choose(6);
      await term.waitFor("The book holds no ether for you to withdraw.");
      // An offer of more than the customer holds is refused in the field; Esc sends nothing.
      await term.waitFor("10. Back");
      await term.choose(3);
      const held = /Quantity to sell \(you hold (\d+)\)/.exec(await term.waitFor(/Quantity to sell \(you hold \d+\)/))![1];
      await term.line(String(BigInt(held) + 1n));
      await term.waitFor(`> you hold ${held} quota`);
      await term.type("\u001b");
      await term.waitFor("10. Back");
      await term.choose(10);
      await term.waitFor("8. Log out");
      await term.choose(8);

      await term.waitFor("Sign in as");
      await term.choose(1);
      await term.waitFor(/8\. Order book: band, halt, resume[\s\S]*13\. Log out/);
      await term.choose(8);
      await term.waitFor("7. Back");
      await term.choose(2);
      await term.waitFor(/trading is open, no price band\nreference 0\.012 ETH/);
      await term.waitFor("7. Back");
      await term.choose(3);
      await term.waitFor("Band");
      await term.line("500");
      await term.waitFor("Reference price, ether a unit (empty: keep 0.012)");
      await term.type("\r");
      await term.waitFor(/✔ Price band set[\s\S]*band ±5%/);
      await term.waitFor("7. Back");
      await term.choose(4);
      await term.waitFor(/✔ Trading halted[\s\S]*trading is halted/);
      await term.waitFor("7. Back");
      await term.choose(5);
      await term.waitFor(/✔ Trading resumed/);
      await term.waitFor("7. Back");
      await term.choose(7);
      await term.waitFor("13. Log out");
      await term.choose(13);
      await term.waitFor("Sign in as");
      await term.choose(8);
      assert.equal(await term.exited, 0);
    } finally {
      term.kill();
    }
    assert.deepEqual([await book.halted(), (await book.band()).bps], [false, 500], "the regulator's acts are on the chain");
  });
});

async function until(condition: () => boolean, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; the output was:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
