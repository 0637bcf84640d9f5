// `npm run migrate`: `truffle migrate` against the node at CARBON_RPC_URL (signing locally with the
// `custom` network when CARBON_MNEMONIC is set). `npm run demo` (--demo) also seeds the classroom
// scenario of migrations/2_demo_scenario.js, and `npm run demo -- --lesson` a lesson in progress in
// it (cli/start/demo/lesson.ts). Neither starts a chain: they say how to get one.
import { Option } from "commander";
import { UnavailableError } from "../../support/errors";
import { chainIdentity, HttpRpc, isEthereumNode } from "../../chain/rpc";
import { applyMarketChoice, command, withMarketOptions, type MarketChoice } from "../arguments";
import { findLiveMarket } from "./market-check";
import { nodeAddress } from "../node-url";
import { runMain } from "../run-main";
import { MigrationError, truffleMigrate } from "./truffle-migrate";

async function main(): Promise<number | void> {
  const options = withMarketOptions(
    command("npm run migrate", "Run the Truffle migrations against the node at CARBON_RPC_URL: deploys the market unless the chain holds one.")
      .option("--demo", "also seed the classroom demo scenario (what `npm run demo` does)")
      .addOption(
        new Option("--lesson", "with the demo, a lesson in progress in place of its compliance period: firms, automatic ones among them, and a round they have played (`npm run demo -- --lesson`)").implies({ demo: true }),
      ),
  )
    .parse(process.argv)
    .opts<{ demo?: boolean; lesson?: boolean } & MarketChoice>();
  applyMarketChoice(options);

  const { url } = nodeAddress();
  if (!(await isEthereumNode(url))) {
    throw new UnavailableError(`no Ethereum node at ${url}; start one with \`npm start\` or \`npm run chain\``);
  }
  if (process.env.CARBON_MARKET) {
    // A wrong --market is one line and exit 3 here, not a Truffle stack trace.
    const rpc = new HttpRpc(url);
    await findLiveMarket(rpc, (await chainIdentity(rpc)).genesisHash);
  }
  try {
    await truffleMigrate({ url, demo: options.demo, lesson: options.lesson, output: "summary" });
  } catch (error) {
    // Truffle (or the demo) has already said what went wrong, on stderr: only its exit code is left to pass on.
    if (error instanceof MigrationError && error.truffleExitCode !== undefined) return error.truffleExitCode;
    throw error;
  }
}

runMain(main);
