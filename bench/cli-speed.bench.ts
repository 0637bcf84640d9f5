// `carbon balance` and `carbon buy` against a running chain, next to the same call made by a minimal
// raw JSON-RPC client (raw-rpc-client.ts) on the same node: the median wall time of each, as whole
// processes, and their ratio. The aim is a ratio under 3; the figures are printed as measured.
import { spawn } from "node:child_process";
import path from "node:path";
import { connect } from "../cli/chain/connect";
import { MarketCodec } from "../cli/chain/abi";
import { marketArtifact } from "../cli/chain/artifacts";
import { PROJECT_ROOT } from "../cli/chain/home";
import { migrate, startTestChain } from "../test/support/test-chain";

const RUNS = Number(process.env.BENCH_RUNS || 10);
const AIM = 3;
const CARBON = path.join(PROJECT_ROOT, "dist", "cli", "main.js");
const RAW = path.join(__dirname, "raw-rpc-client.js");

/** Wall time of one process, start to exit. Asynchronous: the chain answers from this very process. */
function timed(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`${args.join(" ")} exited ${code}:\n${output}`));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  const chain = await startTestChain();
  try {
    await migrate(chain);
    process.env.CARBON_HOME = chain.home;
    const env: NodeJS.ProcessEnv = { ...chain.env };
    delete env.CARBON_MNEMONIC;

    // A customer with quota, and a lot for every buy either client will make (plus warm-ups).
    const market = await connect({ rpc: chain.url, mnemonic: "" });
    const [, customer, seller] = await market.accounts();
    await market.newCustomer(customer, "bench");
    await market.newSeller(seller, "bench");
    await market.sendCarbonToCustomer(customer, 10n ** 6n);
    const lots = 2 * (RUNS + 1);
    for (let i = 0; i < lots; i++) await market.addCarbon(seller, `LOT-${i}`, 1n);
    market.close();

    const codec = new MarketCodec(marketArtifact().abi, marketArtifact().hashes);
    const carbon = market.contracts.Carbon;
    const balanceCalls = [codec.encodeCall("getCustomerCarbonAmount", [customer]), codec.encodeCall("getSellerCarbonAmount", [customer])];

    let lot = 0;
    const rows = [
      {
        name: "balance",
        cli: () => timed([CARBON, "balance", "1"], env),
        raw: () => timed([RAW, "call", chain.url, carbon, ...balanceCalls], env),
      },
      {
        name: "buy",
        cli: () => timed([CARBON, "buy", "1", `LOT-${lot++}`], env),
        raw: () => timed([RAW, "send", chain.url, customer, carbon, codec.encodeCall("buyCarbon", [customer, `LOT-${lot++}`])], env),
      },
    ];

    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) bare.push(await timed(["-e", "0"], env));
    const node = median(bare);
    console.log(`median of ${RUNS} runs each, alternating; a bare \`node -e 0\` takes ${node.toFixed(0)} ms here`);
    console.log(["command", "carbon (ms)", "raw JSON-RPC (ms)", "ratio", `aim < ${AIM}`].join("\t"));
    for (const row of rows) {
      await row.cli();
      await row.raw(); // warm-ups: the file cache, the artifact's slim copy
      const cli: number[] = [];
      const raw: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        cli.push(await row.cli());
        raw.push(await row.raw());
      }
      const ratio = median(cli) / median(raw);
      console.log([row.name, median(cli).toFixed(0), median(raw).toFixed(0), ratio.toFixed(2), ratio < AIM ? "met" : "missed"].join("\t"));
    }
  } finally {
    await chain.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
