// Commands against raw JSON-RPC (and Foundry's `cast` where it has the same command), as whole
// processes on a LevelDB chain: the median wall time of each, alternating, and the ratios. The aims
// are: reads under 1.3× raw, `buy` and `issue` under 2× a raw signed send.
import path from "node:path";
import { PROJECT_ROOT } from "../cli/chain/home";
import { DEV_KEYS } from "../cli/chain/signer";
import { ACCOUNTS, benchMarket, CARBON, median, RAW, table, timed } from "./support";

const RUNS = Number(process.env.BENCH_RUNS || 9);

function castBinary(): string | undefined {
  try {
    const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string] ?? process.arch;
    const packageJson = require.resolve(`@foundry-rs/cast-${process.platform}-${arch}/package.json`, { paths: [PROJECT_ROOT] });
    return path.join(path.dirname(packageJson), "bin", "cast");
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const bench = await benchMarket();
  try {
    const { market, codec, raw, env, where } = bench;
    const [, customer, seller] = ACCOUNTS;
    const carbon = market.contracts.Carbon;
    const lots = 4 * (RUNS + 1) + 1;
    await raw.sendAll([
      { from: customer, data: codec.encodeCall("newCustomer", [customer, "0x" + "11".repeat(32)]) },
      { from: seller, data: codec.encodeCall("newSeller", [seller, "0x" + "22".repeat(32)]) },
    ]);
    await raw.sendAll([{ from: ACCOUNTS[0], data: codec.encodeCall("sendCarbonToCustomer", [customer, 10n ** 9n]) }]);
    await raw.sendAll(Array.from({ length: lots }, (_, i) => ({ from: seller, data: codec.encodeCall("addCarbon", [seller, `LOT-${i}`, 1]) })));

    const cast = castBinary();
    let lot = 1; // LOT-0 stays for sale: `carbon carbon LOT-0` reads it
    const node = process.execPath;
    const rows: Array<{ name: string; aim: number; cli: () => Promise<number>; raw: () => Promise<number>; cast?: () => Promise<number> }> = [
      {
        name: "balance",
        aim: 1.3,
        cli: () => timed(node, [CARBON, "balance", customer], env),
        raw: () => timed(node, [RAW, "call", where.url, carbon, codec.encodeCall("getCustomerCarbonAmount", [customer]), codec.encodeCall("getSellerCarbonAmount", [customer])], env),
        ...(cast ? { cast: () => timed(cast, ["call", carbon, "getCustomerCarbonAmount(address)(uint256)", customer, "--rpc-url", where.url], env) } : {}),
      },
      {
        name: "carbons (first page)",
        aim: 1.3,
        cli: () => timed(node, [CARBON, "carbons"], env),
        raw: () => timed(node, [RAW, "call", where.url, carbon, codec.encodeCall("getCarbonCount"), codec.encodeCall("getCarbons", [0, 20])], env),
      },
      {
        name: "carbon (one lot)",
        aim: 1.3,
        cli: () => timed(node, [CARBON, "carbon", "LOT-0"], env),
        raw: () => timed(node, [RAW, "call", where.url, carbon, codec.encodeCall("getCarbon", ["LOT-0"])], env),
      },
      {
        name: "buy",
        aim: 2,
        cli: () => timed(node, [CARBON, "buy", customer, `LOT-${lot++}`], env),
        raw: () => timed(node, [RAW, "send", where.url, DEV_KEYS[1], customer, carbon, codec.encodeCall("buyCarbon", [customer, `LOT-${lot++}`])], env),
        ...(cast ? { cast: () => timed(cast, ["send", "--private-key", "0x" + DEV_KEYS[1], "--legacy", "--rpc-url", where.url, carbon, "buyCarbon(address,string)", customer, `LOT-${lot++}`], env) } : {}),
      },
      {
        name: "issue",
        aim: 2,
        cli: () => timed(node, [CARBON, "issue", customer, "1"], env),
        raw: () => timed(node, [RAW, "send", where.url, DEV_KEYS[0], ACCOUNTS[0], carbon, codec.encodeCall("sendCarbonToCustomer", [customer, 1])], env),
      },
    ];

    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) bare.push(await timed(node, ["-e", "0"], env));
    console.log(`Commands vs raw JSON-RPC: median of ${RUNS} runs each, alternating (÷ raw: the median of the pairs' ratios); a bare \`node -e 0\` takes ${median(bare).toFixed(0)} ms here`);
    const out: Array<Array<string | number>> = [];
    for (const row of rows) {
      await row.cli();
      await row.raw(); // warm-ups: the file cache, the artifact's slim copy, the code check
      const times = { cli: [] as number[], raw: [] as number[], cast: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        times.cli.push(await row.cli());
        times.raw.push(await row.raw());
        if (row.cast) times.cast.push(await row.cast());
      }
      // The median of each pair's ratio (the two run one after the other): a shared machine's speed
      // drifts over a run, and a pair sees the same drift.
      const ratio = median(times.cli.map((t, i) => t / times.raw[i]));
      out.push([
        row.name,
        median(times.cli).toFixed(0),
        median(times.raw).toFixed(0),
        ratio.toFixed(2),
        `< ${row.aim} ${ratio < row.aim ? "met" : "missed"}`,
        row.cast ? median(times.cast).toFixed(0) : "-",
        row.cast ? (median(times.cli) / median(times.cast)).toFixed(2) : "-",
      ]);
    }
    console.log(table(["command", "carbon ms", "raw ms", "÷ raw", "aim", "cast ms", "÷ cast"], out));
  } finally {
    await bench.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
