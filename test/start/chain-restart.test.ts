// The embedded chain across restarts, as a class meets them: the clock moved for a compliance period
// holds after Ctrl+C and after a kill -9 (no block is stamped before the one before it, and the
// deadline reached stays passed), `period show` says how far the chain's clock runs ahead of the real
// one, and `carbon watch` says it lost the node, waits, and goes on showing events. One chain, in
// one CARBON_HOME, restarted by each test.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../cli/chain/home";
import { deployMarket } from "../support/migrated-market";
import { background, CARBON, CHAIN, place, runScript, waitUntil, type Background, type Place } from "./harness";

let where: Place;
let chain: Background;

async function startChain(): Promise<void> {
  chain = background(CHAIN, [], where.env);
  await chain.waitFor(/Ctrl\+C stops the chain/, 60_000);
}

async function stopChain(signal: NodeJS.Signals): Promise<void> {
  chain.child.kill(signal);
  await chain.exited;
}

const carbon = (...args: string[]) => runScript(CARBON, args, where.env, 60_000);

async function ok(...args: string[]): Promise<string> {
  const ran = await carbon(...args);
  assert.equal(ran.code, 0, `carbon ${args.join(" ")}:\n${ran.stdout}${ran.stderr}`);
  return ran.stdout;
}

async function blockTimes(): Promise<number[]> {
  const head = Number(await where.rpc.request<string>("eth_blockNumber"));
  const times: number[] = [];
  for (let number = 0; number <= head; number++) {
    const block = await where.rpc.request<{ timestamp: string }>("eth_getBlockByNumber", ["0x" + number.toString(16), false]);
    times.push(Number(block.timestamp));
  }
  return times;
}

async function latestTime(): Promise<number> {
  return Number((await where.rpc.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false])).timestamp);
}

function assertNeverBackwards(times: number[]): void {
  for (let number = 1; number < times.length; number++) {
    assert.ok(times[number] >= times[number - 1], `block ${number} is stamped ${times[number]}, before block ${number - 1}'s ${times[number - 1]}`);
  }
}

/** Opens a period whose surrender deadline is 60 days off, and moves the clock 61 days: the period can be closed. */
async function periodPastItsDeadline(label: string): Promise<number> {
  await ok("period", "open", label, "--cap", "100", "--report-by", "+30d", "--surrender-by", "+60d", "--penalty-rate", "1");
  await ok("time", "advance", "61d");
  return latestTime();
}

before(async () => {
  where = await place();
  await startChain();
  await deployMarket(where);
});

after(async () => {
  if (chain) await stopChain("SIGINT");
  where?.remove();
});

describe("the chain's clock across a restart", () => {
  it("after Ctrl+C: the next block is stamped no earlier, period show names both clocks, and the period closes", async () => {
    const moved = await periodPastItsDeadline("2026");
    await stopChain("SIGINT");
    await startChain();

    const shown = await ok("period", "show");
    assert.match(shown, /^state +the surrender deadline has passed: the regulator can close it$/m);
    assert.match(shown, /^chain time +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}61 days ahead of the real time\nreal time +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
    const json = JSON.parse(await ok("period", "show", "--json")) as { time: string; realTime: string };
    assert.ok(Date.parse(json.time) - Date.parse(json.realTime) > 60 * 86_400_000, `the JSON gives both clocks: ${JSON.stringify(json)}`);

    assert.match(await ok("period", "close"), /^✔ Period closed$/m);
    assert.ok((await latestTime()) >= moved, "the close was stamped at or after the moved clock");
    assertNeverBackwards(await blockTimes());
  });

  it("after a kill -9: the moved clock is read back from the chain itself", async () => {
    const moved = await periodPastItsDeadline("2027");
    await stopChain("SIGKILL");
    await startChain();

    assert.match(await ok("period", "close"), /^✔ Period closed$/m);
    assert.ok((await latestTime()) >= moved, "the close was stamped at or after the moved clock");
    assertNeverBackwards(await blockTimes());
  });
});

describe("carbon watch across a restart", () => {
  it("says it lost the node, waits for it, and shows the next event", async () => {
    const watch = spawn(process.execPath, [CARBON, "watch"], { cwd: PROJECT_ROOT, env: where.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    watch.stdout.on("data", (chunk) => (stdout += chunk));
    watch.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => watch.on("close", (code) => resolve(code)));
    try {
      await waitUntil(() => stderr.includes("Watching the order book"), 20_000, "watch to start");
      await stopChain("SIGKILL");
      await waitUntil(() => stderr.includes("Lost the node"), 20_000, `watch to say it lost the node:\n${stderr}`);
      await startChain();
      await waitUntil(() => /is back at block \d+; watching again/.test(stderr), 20_000, `watch to reconnect:\n${stderr}`);

      await ok("halt");
      await waitUntil(() => stdout.includes("trading halted by the regulator"), 20_000, `watch to show the halt:\n${stdout}`);
      await ok("resume");
      await waitUntil(() => stdout.includes("trading resumed"), 20_000, `watch to show the resume:\n${stdout}`);
      assert.match(stderr, new RegExp(`Lost the node at ${where.url.replace(/\./g, "\\.")}: it stopped answering; waiting for it to come back \\(Ctrl\\+C stops\\)`));
      watch.kill("SIGINT");
      assert.equal(await exited, 130, "Ctrl+C still ends it");
    } finally {
      watch.kill("SIGKILL");
    }
  });
});
