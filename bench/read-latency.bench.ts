// How long a classmate waits for a read on a class chain while another student attacks it. Ganache
// runs the EVM without yielding, so while one call or transaction executes nobody else is answered:
// what keeps a class usable is the gate's gas caps (how long one request holds the chain) and its
// share of chain time per address (how often). This measures what those bounds leave a classmate.
//
// A class chain is served (`npm run chain -- --host 0.0.0.0`) with its market deployed and wired.
// Two classmates, each at a loopback address of its own, read at a steady pace: one eth_blockNumber
// (answered between two EVM runs), one an eth_call of Carbon's getCustomerCount (which, like the
// attacker's calls, waits its turn in the gate's lane). First on an idle chain, then in one phase per
// attack, from a fresh address each time: looping eth_calls, looping eth_estimateGas (each runs to
// the gate's gas cap), and signed transactions at MAX_TX_GAS to a contract that loops (deployed by
// the attacker, funded by the faucet, at the minimum gas price). The attacker keeps a few requests
// in flight and sends again as soon as the gate says it may ("retry in N ms"). Aim: a classmate's
// p99 under 1 s and under 3 times its p99 on the idle chain. It reports, and exits 0 whatever the
// figures (1 only if the set-up fails).
import { setTimeout as delay } from "node:timers/promises";
import { MarketCodec } from "../cli/chain/abi";
import { marketArtifact } from "../cli/chain/artifacts";
import { CHAIN_ID } from "../cli/chain/ganache";
import { HttpRpc } from "../cli/chain/rpc";
import { LocalSigner } from "../cli/chain/signer";
import { BUSY } from "../cli/gate/gate";
import { REMOTE_CALL_GAS } from "../cli/gate/policy";
import { DEFAULT_MIN_GAS_PRICE, MAX_TX_GAS } from "../cli/gate/transaction-rules";
import { newPrivateKey } from "../cli/wallet/keystore";
import { postFrom, startClassChain } from "../test/start/harness";
import { LOOP, LOOPING_CONTRACT } from "../test/support/looping-code";
import { waitForReceipt } from "../test/support/receipt";
import { median, percentile, sleep, table } from "./support";

// 4 phases of 200 reads at 6 a second keep the run under 3 minutes, the chain's start included.
const SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES || 200);
const PER_SECOND = Number(process.env.BENCH_LATENCY_PER_SECOND || 6);
/** A script's Promise.all opens a handful of connections; the gate would allow 32 from one address. */
const ATTACK_CONNECTIONS = Number(process.env.BENCH_ATTACK_CONNECTIONS || 8);
const AIM_P99_MS = 1_000;
const AIM_RATIO = 3;
/** Long enough that a read stuck behind the attacker's queue is measured, not cut off. */
const TIMEOUT_MS = 60_000;

const BLOCK_READER = "127.0.0.4";
const MARKET_READER = "127.0.0.5";
/** The transaction attacker's address, which also asks the faucet and deploys the looping contract. */
const TX_ATTACKER = "127.0.0.13";

type Reply = { result?: unknown; error?: { code: number; message: string } };
type Sample = { ms: number; answered: boolean; error?: string };
type Tally = { answered: number; busy: number; errors: number; firstError?: string };

/** One kind of attack: the next request to send, and what to do with its reply. */
interface Attack {
  from: string;
  next(): Promise<{ body: unknown; settle?(reply: Reply): void }>;
}

/** SAMPLES requests at PER_SECOND, each sent on schedule whether or not the last was answered. */
async function paced(url: string, from: string, body: unknown, offsetMs: number): Promise<Sample[]> {
  const start = performance.now() + offsetMs;
  const sent: Promise<Sample>[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const wait = start + (i * 1000) / PER_SECOND - performance.now();
    if (wait > 0) await sleep(wait);
    const at = performance.now();
    sent.push(
      postFrom(url, body, from, TIMEOUT_MS).then(
        (reply) => ({ ms: performance.now() - at, answered: (reply as Reply).result !== undefined, error: (reply as Reply).error?.message }),
        (error: Error) => ({ ms: performance.now() - at, answered: false, error: error.message }),
      ),
    );
  }
  return Promise.all(sent);
}

/** A looping call or estimate ends in the EVM's out-of-gas error: the chain ran it to the cap. */
const RAN_OUT = /out of gas/;

/** Runs `attack` on ATTACK_CONNECTIONS connections until `stop` aborts, then waits for the answers still due. */
async function run(url: string, attack: Attack, stop: AbortSignal): Promise<Tally> {
  const tally: Tally = { answered: 0, busy: 0, errors: 0 };
  const worker = async () => {
    while (!stop.aborted) {
      const { body, settle } = await attack.next();
      const reply = (await postFrom(url, body, attack.from, TIMEOUT_MS).catch((error: Error) => ({ error: { code: 0, message: error.message } }))) as Reply;
      settle?.(reply);
      if (reply.error?.code === BUSY) {
        tally.busy++;
        const retry = Number(/retry in (\d+) ms/.exec(reply.error.message)?.[1] ?? 50);
        // Aborted, not left to run out: a debt of many seconds would keep the process alive.
        await delay(retry, undefined, { signal: stop }).catch(() => undefined);
      } else if (reply.result !== undefined || RAN_OUT.test(reply.error?.message ?? "")) {
        tally.answered++;
      } else {
        tally.errors++;
        tally.firstError ??= reply.error?.message;
      }
    }
  };
  await Promise.all(Array.from({ length: ATTACK_CONNECTIONS }, worker));
  return tally;
}

function loopingRead(method: "eth_call" | "eth_estimateGas", from: string): Attack {
  return { from, next: async () => ({ body: { jsonrpc: "2.0", id: 1, method, params: [{ data: LOOP }, "latest"] } }) };
}

/** Transactions at MAX_TX_GAS to the looping contract; a nonce whose transaction was not taken is used again. */
function loopingTransactions(signer: LocalSigner, to: string, firstNonce: bigint): Attack & { taken: string[] } {
  let fresh = firstNonce;
  const free: bigint[] = [];
  const taken: string[] = [];
  return {
    from: TX_ATTACKER,
    taken,
    async next() {
      free.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const nonce = free.shift() ?? fresh++;
      const raw = await signer.signTransaction({ to, data: "0x", nonce, gas: MAX_TX_GAS, gasPrice: DEFAULT_MIN_GAS_PRICE, chainId: CHAIN_ID });
      return {
        body: { jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [raw] },
        settle: (reply) => void (typeof reply.result === "string" ? taken.push(reply.result) : free.push(nonce)),
      };
    },
  };
}

/** The attacker's key, its faucet grant, and its looping contract, all through the gate as a student. */
async function arm(studentUrl: string, teacher: HttpRpc): Promise<{ signer: LocalSigner; loop: string; nonce: bigint }> {
  const signer = new LocalSigner(newPrivateKey());
  const funded = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "carbon_fund", params: [signer.address] }, TX_ATTACKER)) as Reply & { result?: { txHash?: string } };
  if (!funded.result?.txHash) throw new Error(`the faucet did not fund the attacker: ${JSON.stringify(funded.error)}`);
  await waitForReceipt(teacher, funded.result.txHash);
  const raw = await signer.signTransaction({ to: "0x", data: LOOPING_CONTRACT, nonce: 0n, gas: 100_000n, gasPrice: DEFAULT_MIN_GAS_PRICE, chainId: CHAIN_ID });
  const sent = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [raw] }, TX_ATTACKER)) as Reply;
  // The gate refuses a remote transaction over MAX_TX_BYTES; this one is 13 bytes of code.
  if (typeof sent.result !== "string") throw new Error(`the gate refused the looping contract: ${JSON.stringify(sent.error)}`);
  const deployed = await waitForReceipt(teacher, sent.result);
  if (deployed.status !== "0x1" || !deployed.contractAddress) throw new Error("the looping contract was not deployed");
  const code = await teacher.request<string>("eth_getCode", [deployed.contractAddress, "latest"]);
  if (code !== LOOP) throw new Error(`the looping contract holds ${code}, not ${LOOP}`);
  return { signer, loop: deployed.contractAddress, nonce: 1n };
}

interface Row {
  phase: string;
  read: string;
  samples: Sample[];
  tally?: Tally;
}

async function main(): Promise<void> {
  const began = performance.now();
  const served = await startClassChain();
  try {
    const teacher = new HttpRpc(served.url);
    const codec = new MarketCodec(marketArtifact().abi, marketArtifact().hashes);
    const reads = [
      { name: "eth_blockNumber", from: BLOCK_READER, body: { jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] } },
      { name: "eth_call getCustomerCount", from: MARKET_READER, body: { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: served.carbon, data: codec.encodeCall("getCustomerCount") }, "latest"] } },
    ];
    for (const read of reads) {
      const reply = (await postFrom(served.studentUrl, read.body, read.from)) as Reply;
      if (typeof reply.result !== "string") throw new Error(`a classmate's ${read.name} is not answered: ${JSON.stringify(reply.error)}`);
    }
    const armed = await arm(served.studentUrl, teacher);
    console.error(`(class chain served and the attacker armed in ${((performance.now() - began) / 1000).toFixed(0)} s)`);

    const transactions = loopingTransactions(armed.signer, armed.loop, armed.nonce);
    // Each attack from an address of its own, so that none starts in debt for the last one's chain time.
    const phases: Array<{ name: string; attack?: Attack }> = [
      { name: "idle" },
      { name: `looping eth_call (${REMOTE_CALL_GAS} gas)`, attack: loopingRead("eth_call", "127.0.0.11") },
      { name: `looping eth_estimateGas (${REMOTE_CALL_GAS} gas)`, attack: loopingRead("eth_estimateGas", "127.0.0.12") },
      { name: `looping transactions (${MAX_TX_GAS} gas)`, attack: transactions },
    ];
    const rows: Row[] = [];
    for (const phase of phases) {
      const stop = new AbortController();
      const attacking = phase.attack && run(served.studentUrl, phase.attack, stop.signal);
      // The two classmates alternate, so neither's request is sent at the same moment as the other's.
      const measured = await Promise.all(reads.map((read, i) => paced(served.studentUrl, read.from, read.body, (i * 500) / PER_SECOND)));
      stop.abort();
      const tally = await attacking;
      reads.forEach((read, i) => rows.push({ phase: phase.name, read: read.name, samples: measured[i], tally }));
      console.error(`(${phase.name} measured)`);
    }

    const idleP99 = new Map(rows.filter((row) => !row.tally).map((row) => [row.read, percentile(row.samples.map((s) => s.ms), 99)]));
    console.log(`A classmate's reads on a class chain while one remote student attacks it: ${SAMPLES} of each read per phase at ${PER_SECOND} a second, each classmate from its own address;`);
    console.log(`the attacker keeps ${ATTACK_CONNECTIONS} requests in flight from one address and sends again when the gate says it may.`);
    console.log(`Aim: a classmate's p99 under ${AIM_P99_MS} ms and under ${AIM_RATIO}× its idle p99.`);
    console.log(
      table(
        ["phase", "classmate's read", "samples", "median ms", "p99 ms", "max ms", "p99 ÷ idle", "unanswered", "attacker answered", "busy", "errors", "aim"],
        rows.map(({ phase, read, samples, tally }) => {
          const ms = samples.map((s) => s.ms);
          const p99 = percentile(ms, 99);
          const ratio = p99 / idleP99.get(read)!;
          const met = p99 < AIM_P99_MS && (!tally || ratio < AIM_RATIO);
          return [phase, read, samples.length, median(ms).toFixed(0), p99.toFixed(0), Math.max(...ms).toFixed(0), ratio.toFixed(2), samples.filter((s) => !s.answered).length, tally?.answered ?? "-", tally?.busy ?? "-", tally?.errors ?? "-", met ? "met" : "MISSED"];
        }),
      ),
    );
    const mined = Number(await teacher.request<string>("eth_getTransactionCount", [armed.signer.address, "latest"])) - Number(armed.nonce);
    const last = transactions.taken.at(-1);
    const lastGas = last ? BigInt((await waitForReceipt(teacher, last)).gasUsed).toString() : "none";
    console.log(`The attacker's looping transactions: ${transactions.taken.length} taken by the gate, ${mined} mined (the last used ${lastGas} gas).`);
    for (const row of rows) {
      const refused = row.samples.find((sample) => !sample.answered);
      if (refused) console.log(`${row.phase}: the classmate's first unanswered ${row.read}: ${refused.error}`);
      if (row.tally?.firstError && row.read === reads[0].name) console.log(`${row.phase}: the attacker's first error: ${row.tally.firstError}`);
    }
  } finally {
    await served.stop();
  }
  console.log(`Whole run: ${((performance.now() - began) / 1000).toFixed(0)} s`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
