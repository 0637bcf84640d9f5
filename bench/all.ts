// `npm run bench`: every benchmark in bench/ (files named *.bench.ts), one after another, so that
// the figures of one do not disturb another's. Each prints its own table.
import fs from "node:fs";
import path from "node:path";
import { run } from "../test/support/test-chain";

async function main(): Promise<void> {
  const benches = fs.readdirSync(__dirname).filter((name) => name.endsWith(".bench.js")).sort();
  for (const bench of benches) {
    console.log(`\n== ${bench.replace(/\.bench\.js$/, "")}`);
    const { code } = await run(process.execPath, [path.join(__dirname, bench)], process.env);
    if (code !== 0) process.exitCode = code;
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
