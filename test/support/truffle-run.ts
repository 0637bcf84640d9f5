// `node dist/test/support/truffle-run.js <compiled test files>`: Truffle's contract tests on a Ganache
// of their own, started in this process and stopped after. `npm test` runs several of these at once,
// each with a share of the files, so each Truffle has a node to itself.
//
// The contracts are compiled by `npm run build` (which `npm test` runs first), so Truffle is told not
// to compile them again (--compile-none); it still runs the migrations on the fresh chain.
import { run, startTestChain, TRUFFLE } from "./test-chain";

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node dist/test/support/truffle-run.js <compiled contract test files>");
    process.exitCode = 2;
    return;
  }
  const chain = await startTestChain({ inProcess: true });
  try {
    process.exitCode = (await run(TRUFFLE, ["test", ...files, "--compile-none"], chain.env)).code;
  } finally {
    await chain.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
