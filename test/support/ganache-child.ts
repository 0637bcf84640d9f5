// A test chain in a process of its own: `node ganache-child.js <port>` starts the in-memory Ganache of
// startGanache on 127.0.0.1:<port>, prints "ready", and runs until killed. The node:test runner
// tracks every promise of its test files with async hooks; Ganache makes hundreds of promises per
// transaction, and run in a test file's own process it spent a third of its time in those hooks.
import { startGanache } from "../../cli/chain/ganache";

const port = Number(process.argv[2]);
startGanache({ port }).then(
  () => process.stdout.write("ready\n"),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
// Gone with the test: a parent that dies leaves no chain behind.
process.on("disconnect", () => process.exit(0));
