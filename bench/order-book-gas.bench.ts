// The order book's gas (contracts/OrderBook.sol): placing an order that rests, cancelling one, and one
// fill, with 1 and with 1,000 resting orders over 100 price levels already in the book, and their
// ratio (the book's levels are a bitmap and each level a FIFO queue, so the ratio should be 1.00);
// then the gas of a call that fills k = 1, 10, 50 resting orders, at one price and at k prices, and
// what each fill adds. On the large book after them, what orders that cannot trade cost: a taker that
// meets k = 1, 10, 20 (MAX_PRUNES, the whole removal budget) expired orders before its one fill
// (asks, whose quota is released; bids, whose ether is credited to owners with no credit yet: the
// dearer write), pruneLevel sweeping k = 1, 10, 20, and
// withdraw; each set against its limit in cli/chain/gas.ts, and the run fails if one is exceeded.
// CARBON_BOOK_PRIOR changes the 1,000 for a quick run. Both runs of the comparison start from the
// same snapshot and send byte-identical measured transactions; every figure is read from a receipt.
import fs from "node:fs";
import path from "node:path";
import Web3 from "web3";
import type { AbiItem } from "web3-utils";
import { readBook } from "../cli/chain/deployments";
import { GAS_LIMITS, PLACE_ORDER_GAS, PRUNE_LEVEL_GAS, placeOrderGas, pruneLevelGas } from "../cli/chain/gas";
import { ARTIFACTS_DIR } from "../cli/chain/home";
import { migrate, startTestChain } from "../test/support/test-chain";
import { BulkChain, type Transaction } from "./bulk-chain";

const LARGE = Number(process.env.CARBON_BOOK_PRIOR ?? 1_000);
const LEVELS = 100;
/** Setup transactions per block: each well under 300,000 gas, inside the 30M block gas limit. */
const PER_BLOCK = 80;
const TICK = 10n ** 14n;
/** The prior book: asks from this tick up, LEVELS of them; the measured orders sit below, at MEASURED. */
const PRIOR_TICK = 1_101;
const MEASURED = 1_000;
const DAY = 86_400;

interface Receipt {
  status: string;
  gasUsed: string;
  logs: { topics: string[]; data: string }[];
}

async function main(): Promise<void> {
  const chain = await startTestChain();
  try {
    await migrate(chain);
    const web3 = new Web3(chain.url);
    const bulk = new BulkChain(chain.url);
    const batch = <T>(calls: { method: string; params: unknown[] }[]): Promise<T[]> => bulk.batch<T>(calls);
    const request = <T>(method: string, params: unknown[] = []): Promise<T> => bulk.request<T>(method, params);
    const genesis = await web3.eth.getBlock(0);
    const deployment = readBook(path.join(chain.home, "deployments.json"))[genesis.hash.toLowerCase()];
    if (!deployment) throw new Error("the migration recorded no deployment for the test chain");
    const abi = (name: string): AbiItem[] => JSON.parse(fs.readFileSync(path.join(ARTIFACTS_DIR, `${name}.json`), "utf8")).abi;
    const carbon = new web3.eth.Contract(abi("Carbon"), deployment.Carbon).methods;
    const book = new web3.eth.Contract(abi("OrderBook"), deployment.OrderBook).methods;
    const [regulator] = await web3.eth.getAccounts();
    const hex = (n: bigint): string => "0x" + n.toString(16);
    const toCarbon = (from: string, data: string): Transaction => ({ from, to: deployment.Carbon, data });
    const toBook = (from: string, data: string, value = 0n): Transaction => ({ from, to: deployment.OrderBook, data, value: hex(value) });
    const price = (ticks: number): string => (BigInt(ticks) * TICK).toString();
    const bid = (from: string, quantity: number, ticks: number, maxMatches: number, expiry = 0): Transaction =>
      toBook(from, book.placeBid(quantity, price(ticks), expiry, maxMatches).encodeABI(), BigInt(quantity) * BigInt(ticks) * TICK);
    const ask = (from: string, quantity: number, ticks: number, maxMatches = 0, expiry = 0): Transaction =>
      toBook(from, book.placeAsk(quantity, price(ticks), expiry, maxMatches).encodeABI());

    /** Setup in bulk: mining paused, PER_BLOCK transactions a block; every one must succeed. */
    const load = (transactions: Transaction[]): Promise<void> => bulk.load(transactions, PER_BLOCK);

    /**
     * Sends one transaction in a block of its own, checks its outcome event says `message` (a success
     * unless told) and that it expired `expired` resting orders on the way, returns its gas.
     */
    async function measure(what: string, tx: Transaction, event: string, message: string, { expired = 0, succeeds = true } = {}): Promise<number> {
      const hash = await request<string>("eth_sendTransaction", [{ ...tx, gas: "0x1c9c380" }]);
      const receipt = await request<Receipt>("eth_getTransactionReceipt", [hash]);
      if (receipt.status !== "0x1") throw new Error(`${what} reverted`);
      const topic = web3.utils.keccak256(`${event}(address,bool,string)`);
      const outcome = receipt.logs.find((log) => log.topics[0] === topic);
      if (!outcome) throw new Error(`${what} emitted no ${event}`);
      const decoded = web3.eth.abi.decodeParameters(["address", "bool", "string"], outcome.data);
      if (decoded[1] !== succeeds || decoded[2] !== message) throw new Error(`${what}: ${decoded[1]} "${decoded[2]}", not "${message}"`);
      const expiries = receipt.logs.filter((log) => log.topics[0] === web3.utils.keccak256("ExpireOrder(address,bool,string)")).length;
      if (expiries !== expired) throw new Error(`${what} expired ${expiries} orders, not ${expired}`);
      return Number(receipt.gasUsed);
    }

    // Made-up accounts Ganache lets the bench send as (orders come from EOAs only: tx.origin).
    const fresh = (label: string): string => web3.utils.toChecksumAddress("0x" + web3.utils.keccak256(label).slice(26));
    const makers = Array.from({ length: 50 }, (_, i) => fresh(`maker ${i}`));
    const fillers = Array.from({ length: 20 }, (_, i) => fresh(`filler ${i}`));
    const [a, b, taker] = [fresh("measured maker a"), fresh("measured maker b"), fresh("measured taker")];
    const everyone = [...makers, ...fillers, a, b, taker];
    await batch(everyone.map((account) => ({ method: "evm_addAccount", params: [account, ""] })));
    await batch(everyone.map((account) => ({ method: "personal_unlockAccount", params: [account, "", 0] })));
    await batch(everyone.map((account) => ({ method: "evm_setAccountBalance", params: [account, hex(10n ** 24n)] })));
    await load(everyone.map((account) => toCarbon(account, carbon.newCustomer(account, web3.utils.keccak256(account)).encodeABI())));
    await load(everyone.map((account) => toCarbon(regulator, carbon.sendCarbonToCustomer(account, 1_000_000).encodeABI())));
    const snapshot = await request<string>("evm_snapshot");

    /** `prior` resting asks over min(prior, LEVELS) levels, then each measured operation once. */
    async function run(prior: number): Promise<Map<string, number>> {
      await load(Array.from({ length: prior }, (_, i) => ask(fillers[i % fillers.length], 10, PRIOR_TICK + (i % LEVELS))));
      const resting = (await book.depth(false, 0, 1000).call()) as unknown[];
      if (resting.length !== Math.min(prior, LEVELS)) throw new Error(`expected ${Math.min(prior, LEVELS)} levels, found ${resting.length}`);
      const base = Number(await book.orderCount().call());

      const gas = new Map<string, number>();
      gas.set("placeAsk, rests at a new level", await measure("placeAsk", ask(a, 10, MEASURED), "PlaceAsk", "Order placed"));
      gas.set("placeAsk, rests behind another", await measure("placeAsk", ask(b, 10, MEASURED), "PlaceAsk", "Order placed"));
      gas.set("placeBid, rests at a new level", await measure("placeBid", bid(b, 10, 900, 1), "PlaceBid", "Order placed"));
      gas.set("cancelOrder, an ask at a level's tail", await measure("cancelOrder", toBook(b, book.cancelOrder(base + 2).encodeABI()), "CancelOrder", "Order cancelled"));
      gas.set("cancelOrder, a level's last bid", await measure("cancelOrder", toBook(b, book.cancelOrder(base + 3).encodeABI()), "CancelOrder", "Order cancelled"));
      gas.set("placeBid, one fill (emptying the level)", await measure("placeBid", bid(taker, 10, MEASURED, 1), "PlaceBid", "Order filled"));
      await load([ask(a, 20, MEASURED)]);
      gas.set("placeBid, one partial fill", await measure("placeBid", bid(taker, 10, MEASURED, 1), "PlaceBid", "Order filled"));
      await load([bid(taker, 10, MEASURED, 1)]); // the rest, so the measured price is empty again
      return gas;
    }

    /** A bid that fills k resting asks of k makers, at one price or at k prices (each fill empties a level). */
    async function fills(k: number, spread: boolean): Promise<number> {
      await load(Array.from({ length: k }, (_, i) => ask(makers[i], 10, spread ? MEASURED - k + 1 + i : MEASURED)));
      return measure(`${k} fills`, bid(taker, 10 * k, MEASURED, k), "PlaceBid", "Order filled");
    }

    let started = Date.now();
    const small = await run(1);
    const smallSeconds = (Date.now() - started) / 1000;
    if (!(await request<boolean>("evm_revert", [snapshot]))) throw new Error("could not revert to the snapshot");
    started = Date.now();
    const large = await run(LARGE);
    const largeSeconds = (Date.now() - started) / 1000;

    const table = (header: string[], rows: string[][]): void => {
      const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
      const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
      console.log(line(header));
      console.log(widths.map((width) => "-".repeat(width)).join("  "));
      for (const row of rows) console.log(line(row));
    };
    const n = (value: number): string => value.toLocaleString("en");
    table(
      ["operation", "gas, 1 resting", `gas, ${n(LARGE)} resting over ${Math.min(LARGE, LEVELS)} levels`, "ratio"],
      [...small.keys()].map((what) => [what, n(small.get(what)!), n(large.get(what)!), (large.get(what)! / small.get(what)!).toFixed(2)]),
    );
    const exact = [...small.keys()].every((what) => small.get(what) === large.get(what));
    console.log(`\n${exact ? "Every operation costs exactly the same" : "Not every operation costs the same"} with ${n(LARGE)} resting orders as with 1.`);
    if (!exact) {
      // Cancels name an order ID, which is larger after more orders: 1,002 takes one more non-zero byte
      // of call data than 3 (12 gas; 9 where the refund cap takes its fifth of the difference).
      console.log("(A cancel's difference is its call data: the larger order ID has one more non-zero byte.)");
    }
    console.log("");

    // k fills, on the large book (it stays below the measured price).
    const rows: string[][] = [];
    let worst = 0;
    for (const k of [1, 10, 50]) {
      const level = await fills(k, false);
      const levels = await fills(k, true);
      worst = Math.max(worst, level, levels);
      rows.push([String(k), n(level), n(levels)]);
    }
    table(["k fills", "gas, one price", "gas, k prices"], rows);
    const per = (column: 1 | 2): number => (Number(rows[2][column].replace(/,/g, "")) - Number(rows[0][column].replace(/,/g, ""))) / 49;
    console.log(`\nEach fill beyond the first adds ${n(Math.round(per(1)))} gas at one price, ${n(Math.round(per(2)))} across prices (aim: at most 100,000).`);
    const limit = placeOrderGas(50);
    console.log(`cli/chain/gas.ts gives a call that may fill 50 orders (and remove 20) ${n(Number(limit))} gas; the dearest k = 50 call used ${n(worst)}.`);
    console.log(`(Setup and measurement of the two books took ${smallSeconds.toFixed(1)} s and ${largeSeconds.toFixed(1)} s.)`);

    // Orders that cannot trade, on the large book. A day of their own: from 01:00 UTC of the next day,
    // after one trade at MEASURED, so no measured call rolls the day or makes the day's first trade at
    // that price (each writes fresh slots); the section's two-minute steps stay inside that day.
    started = Date.now();
    const maxPrunes = Number(await book.MAX_PRUNES().call());
    const advance = async (seconds: number): Promise<void> => {
      await request("evm_increaseTime", [seconds]);
      await request("evm_mine");
    };
    await advance(DAY - ((await bulk.time()) % DAY) + 3_600);
    await load([ask(a, 10, MEASURED)]);
    await load([bid(taker, 10, MEASURED, 1)]);

    // One owner per removed order, each with no credit before the measured call: a removed bid's
    // ether is then a first write to its owner's credit, the dearest case.
    const owners = makers.slice(0, maxPrunes);
    const escrowOf = 10n * BigInt(MEASURED) * TICK;
    /** k orders of k owners at MEASURED, expiring a minute after they are placed; then the chain two minutes on. */
    async function expiring(k: number, bids: boolean): Promise<void> {
      await load(owners.map((owner) => toBook(owner, book.withdraw().encodeABI())));
      const expiry = (await bulk.time()) + 60;
      await load(owners.slice(0, k).map((owner) => (bids ? bid(owner, 10, MEASURED, 0, expiry) : ask(owner, 10, MEASURED, 0, expiry))));
      await advance(120);
    }
    async function creditedEach(k: number): Promise<void> {
      const credits = await Promise.all(owners.slice(0, k).map((owner) => book.withdrawable(owner).call()));
      if (credits.some((credit) => BigInt(credit as string) !== escrowOf)) throw new Error(`not every expired bid's owner was credited its escrow`);
    }
    /** A taker with one fill allowed meets k expired orders, then fills the live one behind them. */
    async function meetExpired(k: number, bids: boolean): Promise<number> {
      await expiring(k, bids);
      await load([bids ? bid(b, 10, MEASURED, 0) : ask(a, 10, MEASURED)]);
      const taking = (): Transaction => (bids ? ask(taker, 10, MEASURED, 1) : bid(taker, 10, MEASURED, 1));
      const gas = await measure(`meeting ${k} expired`, taking(), bids ? "PlaceAsk" : "PlaceBid", "Order filled", { expired: k });
      if (bids) await creditedEach(k);
      return gas;
    }
    async function sweep(k: number, bids: boolean): Promise<number> {
      await expiring(k, bids);
      const gas = await measure(`sweeping ${k}`, toBook(taker, book.pruneLevel(bids, price(MEASURED), maxPrunes).encodeABI()), "PruneLevel", "Orders removed", { expired: k });
      if (bids) await creditedEach(k);
      return gas;
    }

    const met = new Map<number, [number, number]>();
    for (const k of [1, 10, maxPrunes]) met.set(k, [await meetExpired(k, false), await meetExpired(k, true)]);
    const swept = new Map<number, [number, number]>();
    for (const k of [1, 10, maxPrunes]) swept.set(k, [await sweep(k, false), await sweep(k, true)]);
    const withdrawn = await measure("withdraw", toBook(a, book.withdraw().encodeABI()), "Withdraw", "Ether withdrawn");
    const nothing = await measure("withdraw", toBook(a, book.withdraw().encodeABI()), "Withdraw", "Nothing to withdraw", { succeeds: false });
    const removalsSeconds = (Date.now() - started) / 1000;

    console.log("");
    table(
      ["k expired met, then one fill", "gas, asks (quota released)", `gas, bids (ether credited, ${owners.length} owners)`],
      [...met].map(([k, [asks, bids]]) => [String(k), n(asks), n(bids)]),
    );
    const removal = (side: 0 | 1): number => (met.get(maxPrunes)![side] - met.get(1)![side]) / (maxPrunes - 1);
    console.log(`\nEach removal adds ${n(Math.round(removal(0)))} gas for an expired ask, ${n(Math.round(removal(1)))} for an expired bid (k = ${maxPrunes} less k = 1, over ${maxPrunes - 1}).`);
    console.log("");
    table(
      ["pruneLevel, k expired", "gas, asks (quota released)", `gas, bids (ether credited, ${owners.length} owners)`],
      [...swept].map(([k, [asks, bids]]) => [String(k), n(asks), n(bids)]),
    );
    const perOrder = (side: 0 | 1): number => (swept.get(maxPrunes)![side] - swept.get(1)![side]) / (maxPrunes - 1);
    console.log(`\nEach order swept adds ${n(Math.round(perOrder(0)))} gas for an ask, ${n(Math.round(perOrder(1)))} for a bid (k = ${maxPrunes} less k = 1, over ${maxPrunes - 1}).`);
    console.log("");
    table(["withdraw", "gas"], [["a maker's first, its credit paid", n(withdrawn)], ["nothing to withdraw", n(nothing)]]);

    const checks: [string, number, bigint][] = [
      ["PLACE_ORDER_GAS.perRemoval", Math.max(removal(0), removal(1)), PLACE_ORDER_GAS.perRemoval],
      ["PRUNE_LEVEL_GAS.perOrder", Math.max(perOrder(0), perOrder(1)), PRUNE_LEVEL_GAS.perOrder],
      ["GAS_LIMITS.withdraw", Math.max(withdrawn, nothing), GAS_LIMITS.withdraw],
      ["placeOrderGas(1)", Math.max(...[...met.values()].flat()), placeOrderGas(1)],
      [`pruneLevelGas(${maxPrunes})`, Math.max(...[...swept.values()].flat()), pruneLevelGas(maxPrunes)],
    ];
    const over = checks.filter(([, worst, limit]) => worst >= Number(limit));
    console.log(`\ncli/chain/gas.ts against the measured worst: ${checks.map(([name, worst, limit]) => `${name} ${n(Number(limit))} (${n(Math.round(worst))})`).join(", ")}.`);
    console.log(over.length === 0 ? "Every one is under its limit." : `Over its limit: ${over.map(([name]) => name).join(", ")}.`);
    if (over.length !== 0) process.exitCode = 1;
    console.log(`(The removals and withdrawals took ${removalsSeconds.toFixed(1)} s.)`);
  } finally {
    await chain.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
