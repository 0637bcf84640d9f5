// Purchases per second on a LevelDB chain: the raw baseline (signed locally, nonces assigned by the
// client, several in flight), the project's Market class (the same, through its checks, journal and
// nonce lock), `carbon batch --keep-going` (one process for all of them), and the CLI in a loop (one
// process each). Aim: Market and batch at 0.8 of raw or better. Then the concurrency
// figure: many `carbon issue` processes from one account at once, and how each ended.
import { connect } from "../cli/chain/connect";
import { carbon } from "../test/cli/support/cli";
import { ACCOUNTS, benchMarket, CARBON, table, timed } from "./support";

const PURCHASES = Number(process.env.BENCH_PURCHASES || 1000);
const LOOP = Number(process.env.BENCH_CLI_LOOP || 20);
const WRITERS = Number(process.env.BENCH_WRITERS || 20);
const WINDOW = 16;

async function main(): Promise<void> {
  const bench = await benchMarket();
  try {
    const { codec, raw, env, where } = bench;
    const [regulator, customer, seller] = ACCOUNTS;
    await raw.sendAll([
      { from: customer, data: codec.encodeCall("newCustomer", [customer, "0x" + "11".repeat(32)]) },
      { from: seller, data: codec.encodeCall("newSeller", [seller, "0x" + "22".repeat(32)]) },
    ]);
    await raw.sendAll([{ from: regulator, data: codec.encodeCall("sendCarbonToCustomer", [customer, 10n ** 12n]) }]);
    const lots = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    const all = [...lots("R", PURCHASES), ...lots("M", PURCHASES), ...lots("B", PURCHASES), ...lots("L", LOOP)];
    const seeding = Date.now();
    await raw.sendAll(all.map((id) => ({ from: seller, data: codec.encodeCall("addCarbon", [seller, id, 1]) })), WINDOW);
    console.log(`(seeded ${all.length} lots in ${((Date.now() - seeding) / 1000).toFixed(0)} s)`);

    const rate = (n: number, ms: number) => (n / ms) * 1000;
    const rows: Array<[string, number, number]> = [];

    let started = Date.now();
    const rawResults = await raw.sendAll(lots("R", PURCHASES).map((id) => ({ from: customer, data: codec.encodeCall("buyCarbon", [customer, id]) })), WINDOW);
    if (!rawResults.every(Boolean)) throw new Error("a raw purchase failed");
    rows.push(["raw JSON-RPC (signed, pipelined)", PURCHASES, Date.now() - started]);

    process.env.CARBON_HOME = where.home;
    const market = await connect({ rpc: where.url });
    started = Date.now();
    let next = 0;
    const ids = lots("M", PURCHASES);
    await Promise.all(
      Array.from({ length: WINDOW }, async () => {
        while (next < ids.length) {
          const outcome = await market.buyCarbon(customer, ids[next++]);
          if (!outcome.ok) throw new Error(`Market purchase refused: ${outcome.message}`);
        }
      }),
    );
    rows.push(["Market class (pipelined)", PURCHASES, Date.now() - started]);
    market.close();

    const input = lots("B", PURCHASES).map((id) => `buy ${customer} ${id}`).join("\n") + "\n";
    started = Date.now();
    await timed(process.execPath, [CARBON, "batch", "--keep-going"], env, input);
    rows.push(["carbon batch --keep-going", PURCHASES, Date.now() - started]);

    started = Date.now();
    for (const id of lots("L", LOOP)) await timed(process.execPath, [CARBON, "buy", customer, id], env);
    rows.push([`carbon buy in a loop (${LOOP})`, LOOP, Date.now() - started]);

    const baseline = rate(rows[0][1], rows[0][2]);
    console.log(`Throughput: ${PURCHASES} purchases from one account, ${WINDOW} in flight; aim ≥ 0.8 of raw for Market and batch`);
    console.log(table(["client", "purchases", "s", "per s", "÷ raw"], rows.map(([name, n, ms]) => [name, n, (ms / 1000).toFixed(1), rate(n, ms).toFixed(1), (rate(n, ms) / baseline).toFixed(2)])));

    // Concurrency: WRITERS processes issuing 2^i from the regulator at once.
    const check = await connect({ rpc: where.url });
    const before = await check.customerCarbonAmount(customer);
    const amounts = Array.from({ length: WRITERS }, (_, i) => 1n << BigInt(i));
    const runs = await Promise.all(amounts.map((amount) => carbon(["issue", customer, amount.toString(), "--json"], env, { timeoutMs: 300_000 }).catch(() => undefined)));
    const delta = (await check.customerCarbonAmount(customer)) - before;
    check.close();
    let completed = 0;
    let hung = 0;
    let wrong = 0;
    runs.forEach((run, i) => {
      if (!run) return void hung++;
      const onChain = (delta & amounts[i]) !== 0n;
      if (run.code === 0) completed++;
      if ((run.code === 0) !== onChain || ![0, 4].includes(run.code ?? -1)) wrong++;
    });
    console.log(`Concurrency: ${WRITERS} \`carbon issue\` processes from one account at once`);
    console.log(table(["writers", "completed", "hung (> 300 s)", "reported wrongly"], [[WRITERS, completed, hung, wrong]]));
  } finally {
    await bench.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
