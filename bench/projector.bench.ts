// The projector, measured in the system's Chromium: how long a mined block takes to appear on the
// page (from the moment the node answers the transaction that mined it to the moment the page has
// drawn that block: the server's poll, its reads through the gate, the stream, the page's redraw),
// and what the page holds in memory after 10,000 events.
//
// The events of the second part are made up and handed to the page's own update handler (the one
// its stream calls), a few at a time: mining 10,000 real trades takes this machine minutes, and
// what is measured is whether the page keeps what it is given bounded (KEEP_TRADES, KEEP_FEED,
// a DOM rebuilt to a fixed number of rows), not the chain. It reports, and exits 0 whatever the
// figures (1 only if the set-up fails); without a Chromium it says so and exits 0.
import type { CDPSession, Page } from "playwright-core";
import type { FeedLine, TradeView, UpdateMessage } from "../cli/projector/view";
import { findChromium, NO_CHROMIUM, startProjectorChain } from "../test/support/projector";
import { median, percentile, sleep, table } from "./support";

const SAMPLES = Number(process.env.BENCH_PROJECTOR_SAMPLES || 40);
const EVENTS = 10_000;
/** Events per update: a busy block's worth. */
const PER_UPDATE = 4;
const AIM_MS = 1_000;

async function main(): Promise<void> {
  const chromium = findChromium();
  if (!chromium) return console.log(NO_CHROMIUM);
  const { chromium: launcher } = await import("playwright-core");
  const [pc, browser] = await Promise.all([startProjectorChain(), launcher.launch({ executablePath: chromium })]);
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${pc.url}/`);
    await page.waitForFunction(() => document.body.dataset.head !== undefined);
    // The moment each block was drawn, on this machine's clock (the page's Date.now is the same clock).
    await page.evaluate(() => {
      const shown: Record<string, number> = {};
      const observer = new MutationObserver(() => (shown[document.body.dataset.head!] ??= Date.now()));
      Object.assign(window, { shown, observer });
      observer.observe(document.body, { attributes: true, attributeFilter: ["data-head"] });
    });

    const rpc = pc.market.rpc;
    const [from, to] = [pc.ana, pc.ben];
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      // A random pause, so blocks fall anywhere in the server's poll.
      await sleep(150 + Math.random() * 350);
      await rpc.request("eth_sendTransaction", [{ from, to, value: "0x1" }]);
      const minedAt = Date.now();
      const head = Number(await rpc.request<string>("eth_blockNumber"));
      const shownAt = await page.waitForFunction((block) => (window as unknown as { shown: Record<string, number> }).shown[String(block)], head, { timeout: 10_000, polling: 10 });
      latencies.push(Number(await shownAt.jsonValue()) - minedAt);
    }

    // The bench's own bookkeeping is not the page's memory.
    await page.evaluate(() => {
      const w = window as unknown as { observer: MutationObserver; shown: unknown };
      w.observer.disconnect();
      w.shown = undefined;
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const before = await memory(cdp);
    const at1000 = await feed(page, 0, 1_000).then(() => memory(cdp));
    const at10000 = await feed(page, 1_000, EVENTS).then(() => memory(cdp));
    const kept = await page.evaluate(() => {
      const state = (window as unknown as { projector: { state: { message: { trades: unknown[]; feed: unknown[] } } } }).projector.state.message;
      return { trades: state.trades.length, feed: state.feed.length };
    });

    console.log(`A mined block on the page (${SAMPLES} blocks, one plain transfer each, the page at 1920×1080):`);
    console.log(table(["", "median ms", "p95 ms", "max ms"], [["block to page", Math.round(median(latencies)), Math.round(percentile(latencies, 95)), Math.round(Math.max(...latencies))]]));
    console.log(`aim: p95 under ${AIM_MS} ms: ${percentile(latencies, 95) < AIM_MS ? "met" : "NOT met"}`);
    console.log(`\nThe page's memory, after a garbage collection, as events arrive (${PER_UPDATE} an update, through its own update handler):`);
    console.log(table(["", "JS heap MB", "DOM nodes"], [
      ["at the start", mb(before.heap), before.nodes],
      ["after 1,000 events", mb(at1000.heap), at1000.nodes],
      [`after ${EVENTS.toLocaleString("en")} events`, mb(at10000.heap), at10000.nodes],
    ]));
    console.log(`kept: ${kept.trades} trades, ${kept.feed} feed lines; growth from 1,000 to ${EVENTS.toLocaleString("en")} events: ${mb(at10000.heap - at1000.heap)} MB`);
  } finally {
    await browser.close();
    await pc.stop();
  }
}

async function memory(cdp: CDPSession): Promise<{ heap: number; nodes: number }> {
  await cdp.send("HeapProfiler.collectGarbage");
  const { metrics } = await cdp.send("Performance.getMetrics");
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { heap: metric("JSHeapUsedSize"), nodes: metric("Nodes") };
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** Events `from` to `to` (half trades with their feed lines, half orders), PER_UPDATE an update. */
async function feed(page: Page, from: number, to: number): Promise<void> {
  const updates: UpdateMessage[] = [];
  const now = await page.evaluate(() => (window as unknown as { projector: { state: { message: { now: unknown } } } }).projector.state.message.now);
  const time = Math.floor(Date.now() / 1000);
  for (let n = from; n < to; n += PER_UPDATE) {
    const trades: TradeView[] = [];
    const lines: FeedLine[] = [];
    for (let k = n; k < Math.min(to, n + PER_UPDATE); k++) {
      const block = 1_000_000 + k;
      if (k % 2 === 0) {
        const price = (0.01 + (k % 40) / 10_000).toFixed(4);
        trades.push({ kind: "fill", key: `f${block}`, block, time: time + k, buyer: "0x" + "a".repeat(40), seller: "0x" + "b".repeat(40), buyerName: `Firm ${k % 37}`, sellerName: `Firm ${k % 41}`, price, quantity: String(10 + (k % 90)) });
        lines.push({ key: `t${block}`, block, time: time + k, kind: "trade", text: `Firm ${k % 37} bought ${10 + (k % 90)} from Firm ${k % 41} at ${price}` });
      } else {
        lines.push({ key: `o${block}`, block, time: time + k, kind: "order", text: `Firm ${k % 29} bids for ${10 + (k % 50)} at 0.0110` });
      }
    }
    updates.push({ now: { ...(now as UpdateMessage["now"]), head: 1_000_000 + n }, trades, feed: lines });
  }
  await page.evaluate((all) => {
    const handler = (window as unknown as { projector: { onUpdate(update: unknown): void } }).projector.onUpdate;
    for (const update of all) handler(update);
  }, updates);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
