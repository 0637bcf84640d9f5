// `npm test`: the contract tests (Truffle, on a chain started here) and then the CLI and product
// tests (node's test runner; each file starts the chains it needs).
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../cli/chain/home";
import { run, startTestChain, TRUFFLE } from "./test-chain";

const compiled = path.join(PROJECT_ROOT, "dist", "test");

/** `node dist/test/support/run-all.js contracts order-book compliance`: only files whose names contain one of these. */
const filters = process.argv.slice(3);

function testFiles(folder: string, suffix: string): string[] {
  const dir = path.join(compiled, folder);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(suffix) && (filters.length === 0 || filters.some((filter) => name.includes(filter))))
    .sort()
    .map((name) => path.join(dir, name));
}

async function contractTests(): Promise<number> {
  const files = testFiles("contracts", ".test.js");
  if (files.length === 0) return 0;
  const chain = await startTestChain();
  try {
    return (await run(TRUFFLE, ["test", ...files], chain.env)).code;
  } finally {
    await chain.stop();
  }
}

async function productTests(): Promise<number> {
  const files = [...testFiles("cli", ".test.js"), ...testFiles("start", ".test.js")];
  if (files.length === 0) return 0;
  // One file at a time: each starts chains and child processes, and the machine has two cores.
  return (await run(process.execPath, ["--test", "--test-concurrency=1", ...files], process.env)).code;
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const contracts = only && only !== "contracts" ? 0 : await contractTests();
  const product = only && only !== "product" ? 0 : await productTests();
  process.exitCode = contracts || product;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
