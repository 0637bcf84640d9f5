// How long `npm start` takes to show its first prompt, in a pseudo-terminal as a user sees it: on a
// fresh state (boot a new chain and deploy the market) and on an already-deployed one (the aim: under
// 3 s). The median of several runs, each on its own free port and temporary CARBON_HOME.
import { closeTerminals, place, terminal, type Place } from "../test/start/harness";

const FRESH_RUNS = Number(process.env.BENCH_FRESH_RUNS ?? 3);
const DEPLOYED_RUNS = Number(process.env.BENCH_DEPLOYED_RUNS ?? 5);
const AIM_MS = 3_000;
const FIRST_PROMPT = /\? Sign in as/;

/** One `npm start` (or the script it runs) from spawn to first prompt; then leave with Ctrl+C, and wait for the chain to stop. */
async function timeToPrompt(where: Place, viaNpm: boolean): Promise<number> {
  const started = process.hrtime.bigint();
  const session = viaNpm ? terminal("npm", ["start"], where.env, { command: true }) : terminal(START_SCRIPT, [], where.env);
  await session.waitFor(FIRST_PROMPT, 120_000);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  // Ctrl+C at the top menu leaves the session (exit 130) and stops the chain, whatever the menu's entries.
  session.type("\x03");
  const { exitCode } = await session.exited;
  if (exitCode !== 0 && exitCode !== 130) throw new Error(`npm start exited with ${exitCode}:\n${session.screen()}`);
  return elapsed;
}

const START_SCRIPT = require.resolve("../cli/start/main");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

type Runs = { npm: number[]; node: number[] };

/** npm and node runs alternate, so a busy moment on the machine weighs on both alike. */
async function measure(): Promise<{ fresh: Runs; deployed: Runs }> {
  const fresh: Runs = { npm: [], node: [] };
  const deployed: Runs = { npm: [], node: [] };
  const deployedHome = await place();
  for (let i = 0; i < FRESH_RUNS; i++) {
    for (const via of ["npm", "node"] as const) {
      // The first fresh run's home is kept: it is the already-deployed state measured next.
      const where = i === 0 && via === "npm" ? deployedHome : await place();
      fresh[via].push(await timeToPrompt(where, via === "npm"));
      if (where !== deployedHome) where.remove();
    }
  }
  for (let i = 0; i < DEPLOYED_RUNS; i++) {
    for (const via of ["npm", "node"] as const) deployed[via].push(await timeToPrompt(deployedHome, via === "npm"));
  }
  deployedHome.remove();
  return { fresh, deployed };
}

async function main(): Promise<void> {
  console.log(`npm start to the first prompt, median (fresh: ${FRESH_RUNS} runs, deployed: ${DEPLOYED_RUNS} runs)`);
  console.log(`${"".padEnd(30)}${"npm start".padStart(12)}${"node main.js".padStart(14)}`);
  const { fresh, deployed } = await measure();
  const row = (label: string, runs: Runs) => console.log(`${label.padEnd(30)}${seconds(median(runs.npm)).padStart(12)}${seconds(median(runs.node)).padStart(14)}`);
  row("fresh state (boot + deploy)", fresh);
  row("already deployed", deployed);
  const verdict = median(deployed.npm) < AIM_MS ? "met" : "missed";
  console.log(`aim: first prompt under ${seconds(AIM_MS)} on an already-deployed chain, via npm start: ${verdict}`);
  console.log(`runs (ms): ${JSON.stringify({ fresh, deployed }, (_, v) => (typeof v === "number" ? Math.round(v) : v))}`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(closeTerminals);
