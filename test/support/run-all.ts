// `npm test`: every test, as jobs shared among a few workers (two on a 2-core machine), the longest
// expected first. A job is either a share of the contract test files (Truffle on a Ganache of its own,
// truffle-run.ts) or one product test file (node's test runner; the file starts the chains it needs,
// on free ports, in temporary homes, so two files never share a port or a CARBON_HOME). A product
// file named *clocked* (a chain that mines on a clock) waits more than it computes: it runs beside
// the workers. Before the first product file, the market's migration is recorded once
// (migrated-market.ts) for every CLI test chain to replay.
//
//   node dist/test/support/run-all.js [contracts|product|all] [filter...]
//     only the files whose path (e.g. `cli/order-book.test.js`) contains one of the filters
//   node dist/test/support/run-all.js --quick contracts order-book     (npm run test:quick)
//     the same, but a kind and a filter are required: the inner loop, never the whole suite by mistake
//   node dist/test/support/run-all.js --long                            (npm run test:long)
//     the scaled tests (property tests, the class simulation) at full size
//
// CARBON_TEST_JOBS sets the number of workers. Each job's output is printed whole when it ends, so
// two jobs never interleave; a table of every job's time and counts closes the run.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../../cli/chain/home";
import { recordedMigration } from "./migrated-market";
import { SCALED_FILES } from "./test-size";

type Kind = "contracts" | "product";

interface Job {
  name: string;
  kind: Kind;
  files: string[];
  /** Expected seconds, to start the longest first. */
  estimate: number;
}

interface Outcome {
  job: Job;
  code: number;
  seconds: number;
  passed: number;
  failed: number;
  skipped: number;
}

const COMPILED = path.join(PROJECT_ROOT, "dist", "test");
/** Seconds per file as measured on this machine; the runner's own measurements (below) override them. */
const MEASURED = path.join(PROJECT_ROOT, "test", "support", "durations.json");
const LOCAL_TIMES = path.join(os.tmpdir(), "carbon-test-durations.json");
/** What one Truffle process costs before its first test: loading Truffle, the migration, the snapshot. */
const TRUFFLE_OVERHEAD = 12;
/**
 * A share of the contract tests takes about this long: short enough to balance, long enough to be
 * worth Truffle's start. CARBON_TEST_CONTRACT_SHARE=1 runs one file a share, to time each file.
 */
const CONTRACT_SHARE = Number(process.env.CARBON_TEST_CONTRACT_SHARE) || 150;
const UNKNOWN = 60;

function usage(message: string): never {
  console.error(`${message}\nusage: run-all.js [--quick|--long] [contracts|product|all] [filter...]`);
  process.exit(2);
}

function parseArguments(argv: string[]): { kinds: Kind[]; filters: string[]; long: boolean } {
  const quick = argv.includes("--quick");
  const long = argv.includes("--long");
  const rest = argv.filter((arg) => arg !== "--quick" && arg !== "--long");
  const unknownFlag = rest.find((arg) => arg.startsWith("-"));
  if (unknownFlag) usage(`unknown option ${unknownFlag}`);
  const kindWord = ["contracts", "product", "all"].includes(rest[0]) ? rest.shift()! : undefined;
  if (quick && (!kindWord || rest.length === 0)) usage("--quick needs a kind and at least one filter, e.g. `npm run test:quick -- contracts order-book`");
  const kinds: Kind[] = kindWord === "contracts" ? ["contracts"] : kindWord === "product" ? ["product"] : ["contracts", "product"];
  return { kinds, filters: rest, long };
}

function testFiles(folder: string, filters: string[]): string[] {
  const dir = path.join(COMPILED, folder);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".test.js"))
    .map((name) => `${folder}/${name}`)
    .filter((relative) => filters.length === 0 || filters.some((filter) => relative.includes(filter)))
    .sort();
}

function readTimes(file: string): Record<string, number> {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

const times = { ...readTimes(MEASURED), ...readTimes(LOCAL_TIMES) };

function estimate(relative: string): number {
  return times[relative] ?? UNKNOWN;
}

/** The contract files in shares of about CONTRACT_SHARE seconds, each share the emptiest when a file is added (longest files first). */
function contractJobs(files: string[]): Job[] {
  if (files.length === 0) return [];
  const work = (file: string) => Math.max(estimate(file) - TRUFFLE_OVERHEAD, 1);
  const total = files.reduce((sum, file) => sum + work(file), 0);
  const count = Math.min(files.length, Math.max(1, Math.round(total / CONTRACT_SHARE)));
  const shares = Array.from({ length: count }, () => ({ files: [] as string[], work: 0 }));
  for (const file of [...files].sort((a, b) => work(b) - work(a))) {
    const emptiest = shares.reduce((low, share) => (share.work < low.work ? share : low));
    emptiest.files.push(file);
    emptiest.work += work(file);
  }
  return shares.map((share, i) => ({
    name: count === 1 && share.files.length === 1 ? share.files[0] : `contracts share ${i + 1}/${count}`,
    kind: "contracts" as const,
    files: share.files.sort(),
    estimate: share.work + TRUFFLE_OVERHEAD,
  }));
}

function productJobs(files: string[]): Job[] {
  return files.map((file) => ({ name: file, kind: "product" as const, files: [file], estimate: estimate(file) }));
}

function command(job: Job): string[] {
  const absolute = job.files.map((file) => path.join(COMPILED, file));
  return job.kind === "contracts"
    ? [path.join(COMPILED, "support", "truffle-run.js"), ...absolute]
    : ["--test", "--test-reporter=spec", ...absolute];
}

const ANSI = /\u001b\[[0-9;]*m/g;

function count(output: string, patterns: RegExp[]): number {
  const plain = output.replace(ANSI, "");
  let total = 0;
  for (const pattern of patterns) for (const match of plain.matchAll(pattern)) total += Number(match[1]);
  return total;
}

/**
 * A job that runs this long is stuck (a chain that died under a hook that waits for it), not slow:
 * it is stopped and counted as failed, so a run always ends with its table. CARBON_TEST_JOB_LIMIT_S
 * moves it (the long run's class simulation needs more).
 */
const JOB_LIMIT_S = Number(process.env.CARBON_TEST_JOB_LIMIT_S) || (process.argv.includes("--long") ? 3_600 : 600);

/** The running jobs' process groups: Ctrl+C on the run stops them too (they are detached). */
const running = new Set<number>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const pid of running) {
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    process.exit(130);
  });
}

function runJob(job: Job, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    // Its own process group, so the chains it started stop with it.
    const child = spawn(process.execPath, command(job), { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    if (child.pid) running.add(child.pid);
    const limit = setTimeout(() => {
      output += `\n✖ ${job.name} was still running after ${JOB_LIMIT_S} s: stopped\n`;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, JOB_LIMIT_S * 1000);
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => (output += `\n${error.message}\n`));
    child.on("close", (code, signal) => {
      clearTimeout(limit);
      if (child.pid) running.delete(child.pid);
      const seconds = (Date.now() - started) / 1000;
      // Mocha (Truffle) prints "N passing"; node's spec reporter "ℹ pass N".
      const passed = count(output, [/^\s*(\d+) passing/gm, /^ℹ pass (\d+)/gm]);
      const failed = count(output, [/^\s*(\d+) failing/gm, /^ℹ fail (\d+)/gm, /^ℹ cancelled (\d+)/gm]);
      const skipped = count(output, [/^\s*(\d+) pending/gm, /^ℹ skipped (\d+)/gm, /^ℹ todo (\d+)/gm]);
      const exit = code ?? (signal ? 1 : 0);
      const mark = exit === 0 ? "✔" : "✖";
      process.stdout.write(`\n━━ ${mark} ${job.name}: ${seconds.toFixed(1)} s, ${passed} passed, ${failed} failed${job.files.length > 1 || job.kind === "contracts" ? ` (${job.files.join(", ")})` : ""}\n${output}`);
      resolve({ job, code: exit, seconds, passed, failed, skipped });
    });
  });
}

/** Runs the jobs on `workers` workers, the longest expected first; product jobs wait for `ready`. */
async function runPool(jobs: Job[], workers: number, env: NodeJS.ProcessEnv, ready: Promise<unknown>): Promise<Outcome[]> {
  // A file on a chain that mines on a clock spends its time waiting for blocks, not computing: it
  // runs beside the workers rather than holding one.
  const waiting = jobs.filter((job) => job.kind === "product" && job.name.includes("clocked"));
  const queue = jobs.filter((job) => !waiting.includes(job)).sort((a, b) => b.estimate - a.estimate);
  const outcomes: Outcome[] = [];
  const beside = waiting.map(async (job) => {
    await ready;
    outcomes.push(await runJob(job, env));
  });
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      if (job.kind === "product") await ready;
      outcomes.push(await runJob(job, env));
    }
  };
  await Promise.all([...beside, ...Array.from({ length: Math.min(workers, queue.length) }, worker)]);
  return outcomes;
}

function summary(outcomes: Outcome[], seconds: number, workers: number): void {
  const rows = [...outcomes].sort((a, b) => b.seconds - a.seconds);
  const width = Math.max(...rows.map((row) => row.job.name.length), 4);
  console.log(`\n${"job".padEnd(width)}  seconds  passed  failed  skipped`);
  for (const row of rows) {
    console.log(`${row.job.name.padEnd(width)}  ${row.seconds.toFixed(1).padStart(7)}  ${String(row.passed).padStart(6)}  ${String(row.failed).padStart(6)}  ${String(row.skipped).padStart(7)}${row.code === 0 ? "" : `  exit ${row.code}`}`);
  }
  const total = (key: "passed" | "failed" | "skipped") => outcomes.reduce((sum, row) => sum + row[key], 0);
  const broken = outcomes.filter((row) => row.code !== 0);
  const minutes = Math.floor(seconds / 60);
  console.log(
    `\n${broken.length === 0 ? "All passed" : `${broken.length} job(s) FAILED: ${broken.map((row) => row.job.name).join(", ")}`}: ` +
      `${total("passed")} passed, ${total("failed")} failed, ${total("skipped")} skipped, in ${minutes} min ${Math.round(seconds - minutes * 60)} s on ${workers} workers (load average ${os.loadavg().map((load) => load.toFixed(2)).join(" ")})`,
  );
}

/** Keeps this machine's measured time of every file that ran alone in its job, for the next run's order. */
function rememberTimes(outcomes: Outcome[]): void {
  const local = readTimes(LOCAL_TIMES);
  for (const { job, seconds, code } of outcomes) if (job.files.length === 1 && code === 0) local[job.files[0]] = Math.round(seconds * 10) / 10;
  try {
    fs.writeFileSync(LOCAL_TIMES, JSON.stringify(local, null, 2) + "\n");
  } catch {
    // Only an ordering hint.
  }
}

async function main(): Promise<void> {
  const { kinds, filters, long } = parseArguments(process.argv.slice(2));
  const env: NodeJS.ProcessEnv = { ...process.env, ...(long ? { CARBON_TEST_LONG: "1" } : {}) };
  const contractFilters = long ? [...SCALED_FILES.contracts] : filters;
  const productFilters = long ? [...SCALED_FILES.product] : filters;
  const jobs = [
    ...(kinds.includes("contracts") ? contractJobs(testFiles("contracts", contractFilters)) : []),
    ...(kinds.includes("product") ? productJobs([...testFiles("cli", productFilters), ...testFiles("start", productFilters)]) : []),
  ];
  if (jobs.length === 0) usage(`no test file matches ${filters.join(" ")}`);
  const workers = Math.max(1, Number(process.env.CARBON_TEST_JOBS) || Math.min(2, os.availableParallelism()));
  const started = Date.now();
  // The market the CLI tests deploy by replaying one recorded migration: recorded before the first of them starts.
  const ready = jobs.some((job) => job.kind === "product") ? recordedMigration() : Promise.resolve();
  ready.catch(() => undefined);
  const outcomes = await runPool(jobs, workers, env, ready);
  summary(outcomes, (Date.now() - started) / 1000, workers);
  rememberTimes(outcomes);
  process.exitCode = outcomes.some((row) => row.code !== 0) ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
