// `npm start`: from nothing to a working market in one command. Uses the node at CARBON_RPC_URL if
// one answers, else starts the embedded chain (state in .carbon/chain); deploys the market if, and
// only if, it is not live there; opens the carbon CLI's interactive session; and, when the session
// ends, stops the chain it started. `--reset` first wipes the embedded chain's state.
import { applyMarketChoice, command, faucetChoice, withFaucetOptions, withMarketOptions, type FaucetFlags, type MarketChoice } from "./arguments";
import { UnavailableError } from "../support/errors";
import { chainDataDir } from "../chain/home";
import { openMarketNode } from "./market-node";
import { awaitNodeBack, nodeGoneMessage, offerRetry } from "./node-gone";
import { resetChainState } from "./embedded-chain/reset";
import { runMain } from "./run-main";

async function main(): Promise<void> {
  const options = withFaucetOptions(withMarketOptions(
    command("npm start", "Start the market (the embedded chain unless a node answers at CARBON_RPC_URL) and open the session.")
      .option("--reset", "delete the embedded chain's state first (asks for a confirmation)")
      .option("-y, --yes", "with --reset: do not ask")
      .option("--host <address>", "serve the embedded chain to a class on this address (0.0.0.0: every address of this machine)")
      .option("--accept-rollback", "open an embedded chain that has lost blocks anyway (after its start refused, naming them)"),
  ))
    .addHelpText("after", "\nPass options through npm with --, e.g. `npm start -- --reset`.")
    .parse(process.argv)
    .opts<{ reset?: boolean; yes?: boolean; host?: string; acceptRollback?: boolean } & MarketChoice & FaucetFlags>();
  const faucet = faucetChoice(options);

  applyMarketChoice(options);
  if (options.reset) await resetChainState({ yes: Boolean(options.yes) });
  const open = () => openMarketNode({ whileChainBoots: warmUp, host: options.host, acceptRollback: options.acceptRollback, newMarket: options.newMarket, faucet });
  let node = await open();
  // The node went away under the session: say what fits, and offer to go on rather than quit. The
  // embedded chain is started again on the same state and address, so the session goes on signed in.
  const onNodeGone = async () => {
    await node.release();
    if (!node.embedded) return awaitNodeBack(node.url);
    const where = { url: node.url, embedded: { dbPath: chainDataDir() } };
    if (!(await offerRetry(where))) throw new UnavailableError(nodeGoneMessage(where));
    node = await open();
  };
  try {
    // Loaded once the chain is up: the session's modules are not needed before.
    const { runInteractive } = require("../interactive") as typeof import("../interactive");
    const served = options.host !== undefined;
    const mayQuit = served ? (require("../interactive/quit") as typeof import("../interactive/quit")).confirmStopServing : undefined;
    await runInteractive({ rpc: node.url, onNodeGone, mayQuit });
  } finally {
    await node.release();
  }
}

/** What the first prompt needs and takes half a second to load: the prompt library and the ABI codec. */
function warmUp(): void {
  require("inquirer");
  const { MarketCodec } = require("../chain/abi") as typeof import("../chain/abi");
  const { marketArtifact } = require("../chain/artifacts") as typeof import("../chain/artifacts");
  try {
    new MarketCodec(marketArtifact().abi);
  } catch {
    // Not compiled yet: the market check says so in its own words.
  }
}

runMain(main);
