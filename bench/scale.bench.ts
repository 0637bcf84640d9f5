// Lists and history at size: N lots published and N of them bought (one customer, one seller, so
// their histories are as long as the chain's), on a LevelDB chain like `npm start`'s, seeded with
// pipelined raw transactions. Each cell is the median wall time of a whole `carbon` process. The
// aims (issue 11): the first page of `carbons` within 1 s at 10,000 lots, and `records` and `market`
// at 10,000 trades within 2× their time at 100. BENCH_SCALE=100,1000 runs fewer sizes.
import { ACCOUNTS, benchMarket, CARBON, median, table, timed } from "./support";

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
      ["market", ["market"]],
    ];
    const results: Record<string, number[]> = {};
    const seeding: number[] = [];
    let seeded = 0;
    for (const size of SIZES) {
      const started = Date.now();
      const lots = Array.from({ length: size - seeded }, (_, i) => `S-${seeded + i}`);
      // Publish N, keep every tenth for sale, buy the rest: the unsold index has N/10 lots.
      await raw.sendAll(lots.map((id) => ({ from: seller, data: codec.encodeCall("addCarbon", [seller, id, 1]) })));
      await raw.sendAll(lots.filter((_, i) => (seeded + i) % 10 !== 0).map((id) => ({ from: customer, data: codec.encodeCall("buyCarbon", [customer, id]) })));
      seeded = size;
      seeding.push((Date.now() - started) / 1000);
      for (const [name, args] of commands) {
        const argv = args.map((a) => (a === "LAST" ? String(Math.max(0, size - 20)) : a));
        await timed(process.execPath, [CARBON, ...argv], env); // warm-up
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) times.push(await timed(process.execPath, [CARBON, ...argv], env));
        (results[name] ??= []).push(median(times));
      }
    }
    console.log(`Scale: median of ${RUNS} runs of each command (ms), N lots published and 90% of them bought; ratio = largest N ÷ smallest`);
    console.log(
      table(
        ["command", ...SIZES.map((n) => `N=${n}`), "ratio"],
        [
          ["(seeding, s)", ...seeding.map((s) => s.toFixed(0)), ""],
          ...commands.map(([name]) => [name, ...results[name].map((t) => t.toFixed(0)), (results[name][results[name].length - 1] / results[name][0]).toFixed(2)]),
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
