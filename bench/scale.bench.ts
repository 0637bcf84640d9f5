// Lists and history at size: N lots published and N of them bought (one customer, one seller, so
// their histories are as long as the chain's), on a LevelDB chain like `npm start`'s, seeded with
// signed raw transactions mined many to a block (support.ts mineAll: miner_stop, one JSON-RPC batch
// and one evm_mine a block, then empty blocks to make a block a transaction). Each cell is the
// median wall time of a whole `carbon` process. The
// aims: the first page of `carbons` within 1 s at 10,000 lots, and `records` and `market`
// at 10,000 trades within 2× their time at 100. BENCH_SCALE=100,1000 runs fewer sizes.
import { randomBytes } from "node:crypto";
import { ACCOUNTS, benchMarket, CARBON, median, mineAll, table, timed } from "./support";

const SIZES = (process.env.BENCH_SCALE ?? "100,1000,10000").split(",").map(Number);
const RUNS = Number(process.env.BENCH_SCALE_RUNS || 3);

async function main(): Promise<void> {
  const bench = await benchMarket();
  try {
    const { codec, raw, env } = bench;
    const [regulator, customer, seller] = ACCOUNTS;
    await raw.sendAll([
      { from: customer, data: codec.encodeCall("newCustomer", [customer, "0x" + "11".repeat(32)]) },
      { from: seller, data: codec.encodeCall("newSeller", [seller, "0x" + "22".repeat(32)]) },
    ]);
    await raw.sendAll([{ from: regulator, data: codec.encodeCall("sendCarbonToCustomer", [customer, 10n ** 12n]) }]);

    const commands: Array<[string, string[]]> = [
      ["carbons", ["carbons"]],
      ["carbons --unsold", ["carbons", "--unsold"]],
      ["carbons last page", ["carbons", "--offset", "LAST"]],
      ["records seller", ["records", seller]],
      ["records customer", ["records", customer]],
      ["records (none)", ["records", ACCOUNTS[9]]],
      // A new address each run: no scan of it is remembered (cli/chain/history-cache.ts).
      ["records (none, 1st)", ["records", "FRESH"]],
      ["market", ["market"]],
    ];
    const results: Record<string, number[]> = {};
    const seeding: number[] = [];
    let seeded = 0;
    let blocks = 0;
    // Each method's gas is constant (bounded loops, IDs of a few bytes): the estimate of the last
    // call of a kind, with a quarter more, lets as many transactions into a block as can be.
    const gasFor = async ({ from, data }: { from: string; data: string }): Promise<bigint> => {
      const estimate = BigInt(await raw.rpc.request<string>("eth_estimateGas", [{ from, to: bench.market.contracts.Carbon, data }]));
      return (estimate * 5n) / 4n;
    };
    for (const size of SIZES) {
      const started = Date.now();
      const lots = Array.from({ length: size - seeded }, (_, i) => `S-${seeded + i}`);
      // Publish N, keep every tenth for sale, buy the rest: the unsold index has N/10 lots.
      const adds = lots.map((id) => ({ from: seller, data: codec.encodeCall("addCarbon", [seller, id, 1]) }));
      const buys = lots.filter((_, i) => (seeded + i) % 10 !== 0).map((id) => ({ from: customer, data: codec.encodeCall("buyCarbon", [customer, id]) }));
      blocks += await mineAll(raw, adds, await gasFor(adds[adds.length - 1]));
      blocks += await mineAll(raw, buys, await gasFor(buys[buys.length - 1]));
      const [count, unsold] = await Promise.all([bench.market.read<[bigint]>("Carbon", "getCarbonCount", []), bench.market.read<[bigint]>("Carbon", "getUnsoldCarbonCount", [])]);
      if (Number(count[0]) !== size || Number(unsold[0]) !== Math.ceil(size / 10)) throw new Error(`seeding went wrong: ${count[0]} lots, ${unsold[0]} unsold, for N=${size}`);
      seeded = size;
      seeding.push((Date.now() - started) / 1000);
      for (const [name, args] of commands) {
        const argv = () => args.map((a) => (a === "LAST" ? String(Math.max(0, size - 20)) : a === "FRESH" ? "0x" + randomBytes(20).toString("hex") : a));
        await timed(process.execPath, [CARBON, ...argv()], env); // warm-up
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) times.push(await timed(process.execPath, [CARBON, ...argv()], env));
        (results[name] ??= []).push(median(times));
      }
    }
    console.log(`Scale: median of ${RUNS} runs of each command (ms), N lots published and 90% of them bought (seeded ${blocks} blocks: a block a transaction, as npm start mines them); ratio = largest N ÷ smallest`);
    console.log(
      table(
        ["command", ...SIZES.map((n) => `N=${n}`), "ratio", "aim"],
        [
          ["(seeding, s)", ...seeding.map((s) => s.toFixed(0)), "", ""],
          ...commands.map(([name]) => {
            const times = results[name];
            const ratio = times[times.length - 1] / times[0];
            // The aims: a first page within 1 s at the largest N; history at the largest N within 2× the smallest.
            const aim = name.startsWith("carbons") ? `< 1000 ms ${times[times.length - 1] < 1000 ? "met" : "missed"}` : name.startsWith("records") || name === "market" ? `ratio ≤ 2 ${ratio <= 2 ? "met" : "missed"}` : "";
            return [name, ...times.map((t) => t.toFixed(0)), ratio.toFixed(2), aim];
          }),
        ],
      ),
    );
  } finally {
    await bench.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
