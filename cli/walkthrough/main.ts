// `npm run walkthrough`: the thesis's modules in order, narrated and run on the chain, for a class
// to follow on a projector. Each step says what happens and why, announces each call and waits for
// Enter before its result, so the class can predict it, then shows the outcome, the decoded events,
// the transaction, its gas and cost; Enter moves on (`--yes` runs straight through). `--chapter` runs
// one chapter alone, of those that need nothing of the steps before them (the lesson). It stands on
// whatever `npm start` would: the node at CARBON_RPC_URL or the embedded chain, with the market deployed.
import { Option } from "commander";
import type { Market } from "../chain/market";
import { HttpRpc } from "../chain/rpc";
import { palette } from "../render/colours";
import { shortAddress } from "../render/format";
import { command } from "../start/arguments";
import { openMarketNode } from "../start/market-node";
import { runMain } from "../start/run-main";
import { chooseCast, WALKTHROUGH_PASSWORD } from "./cast";
import { heading, Pauses, say, WIDTH, wrap } from "./narrator";
import type { Scene, Step } from "./scene";
import { STEPS } from "./steps";

async function main(): Promise<void> {
  const alone = STEPS.flatMap((step) => (step.chapter ? [step.chapter] : []));
  const options = command("npm run walkthrough", "A narrated run of the thesis's modules, on the chain.")
    .option("-y, --yes", "run every step without waiting for Enter")
    .addOption(new Option("--chapter <name>", "run one chapter alone").choices(alone))
    .addHelpText("after", "\nPass options through npm with --, e.g. `npm run walkthrough -- --yes` or `npm run walkthrough -- --chapter lesson`.")
    .parse(process.argv)
    .opts<{ yes?: boolean; chapter?: string }>();
  const steps = options.chapter ? STEPS.filter((step) => step.chapter === options.chapter) : STEPS;

  const node = await openMarketNode();
  const { connect } = require("../chain/connect") as typeof import("../chain/connect");
  let market: Market | undefined;
  const pauses = new Pauses(!options.yes);
  try {
    market = await connect({ rpc: node.url });
    const startBlock = Number(await new HttpRpc(node.url).request<string>("eth_blockNumber"));
    const scene: Scene = { market, cast: await chooseCast(market), sent: [], startBlock, pause: () => pauses.next("the result (what will the contract answer?)") };
    introduce(scene, steps, node.url);
    for (const [i, step] of steps.entries()) {
      await pauses.next(i === 0 ? "the first step" : "the next step");
      heading(i + 1, steps.length, step.module);
      say(wrap(step.says(scene)));
      say("");
      const rest = await step.run(scene);
      if (rest) say(rest);
    }
    conclude(scene, steps === STEPS);
  } finally {
    pauses.close();
    market?.close();
    await node.release();
  }
}

function introduce({ cast }: Scene, steps: Step[], url: string): void {
  const c = palette();
  say("");
  say(c.heading("Carbon emission trading on a blockchain: the thesis, step by step"));
  const what = steps.length === 1 ? "One chapter, on the chain at" : `${steps.length} steps, each a transaction or a query on the chain at`;
  say(wrap(`${what} ${url}: ${steps.map((s) => s.module.toLowerCase()).join(", ")}.`));
  say("");
  say(`${c.dim("regulator")}  ${cast.regulator.address}  ${c.dim(`account ${cast.regulator.index}`)}`);
  // A chapter alone names its own players.
  if (steps !== STEPS) return;
  say(`${c.dim("customer ")}  ${cast.customer.address}  ${c.dim(`account ${cast.customer.index}`)}`);
  say(`${c.dim("seller   ")}  ${cast.seller.address}  ${c.dim(`account ${cast.seller.index}`)}`);
}

/** The closing tally; after the whole walkthrough, where to look around as its customer and seller (a chapter alone registers neither). */
function conclude({ cast, sent }: Scene, whole: boolean): void {
  const c = palette();
  const gas = sent.reduce((sum, outcome) => sum + outcome.gasUsed, 0);
  say("");
  say(c.dim("─".repeat(WIDTH)));
  say(c.ok(`✔ Walkthrough complete: ${sent.length} transactions, ${gas.toLocaleString("en-US")} gas in all.`));
  const refused = sent.filter((outcome) => !outcome.ok).length;
  if (refused) say(wrap(`${refused} of them ended in ✘: mined and paid like the others, with the contract's "no" as their outcome.`));
  if (!whole) return;
  say(
    wrap(
      `Everything stays on the chain. Run \`npm start\` and sign in as the customer ${shortAddress(cast.customer.address)} ` +
        `or the seller ${shortAddress(cast.seller.address)} with the password "${WALKTHROUGH_PASSWORD}" to look around.`,
    ),
  );
}

runMain(main);
