// How long a classmate waits for a read on a class chain while another student attacks it. Ganache
// runs the EVM without yielding, so while one call or transaction executes nobody else is answered:
// what keeps a class usable is the gate's gas caps (how long one request holds the chain), its
// refusal of a student's own contracts (so that what a transaction runs is the market's code), and
// its share of chain time per address (how often). This measures what those bounds leave a classmate.
//
// A class chain is served (`npm run chain -- --host 0.0.0.0`) with its market deployed and wired.
// Two classmates, each at a loopback address of its own, read at a steady pace: one eth_blockNumber
// (answered between two EVM runs), one an eth_call of Carbon's getCustomerCount (which, like the
// attacker's calls, waits its turn in the gate's lane). First on an idle chain, then in one phase per
// attack, from a fresh address each time: looping eth_calls, looping eth_estimateGas (each runs to
// the gate's gas cap), and the heaviest transactions a student can send: bids at MAX_TX_GAS that
// each fill the most resting asks the gate's cap allows (seeded beforehand by another account),
// at the minimum gas price. The attacker first tries to deploy a looping contract, which the gate
// must refuse. The attacker keeps a few requests in flight and sends again as soon as the gate says
// it may ("retry in N ms"). Aim: a classmate's p99 under 1 s and under 3 times its p99 on the idle
// chain. It reports, and exits 0 whatever the figures (1 only if the set-up fails).
import { setTimeout as delay } from "node:timers/promises";
import { MarketCodec } from "../cli/chain/abi";
import { contractArtifact, marketArtifact } from "../cli/chain/artifacts";
import { CHAIN_ID } from "../cli/chain/ganache";
import { placeOrderGas } from "../cli/chain/gas";
import { passwordDigest } from "../cli/chain/password";
import { HttpRpc } from "../cli/chain/rpc";
import { LocalSigner } from "../cli/chain/signer";
import { BUSY } from "../cli/gate/gate";
import { REMOTE_CALL_GAS } from "../cli/gate/policy";
import { DEFAULT_MIN_GAS_PRICE, MAX_TX_GAS, REMOTE_MAX_MATCHES } from "../cli/gate/transaction-rules";
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
/** The transaction attacker's address, which also asks the faucet and tries to deploy a looping contract. */
const TX_ATTACKER = "127.0.0.13";
/** Resting asks seeded for the attacker's bids to fill: more than its share of chain time lets it reach in a phase. */
const SEEDED_ASKS = Number(process.env.BENCH_LATENCY_ASKS || 1_500);
/** One tick a unit (OrderBook.TICK): the cheapest price, so the faucet's grant pays for every bid's escrow. */
const PRICE = 10n ** 14n;
const ASK_QUANTITY = 10n;

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

/**
 * Bids at MAX_TX_GAS, each for the units of REMOTE_MAX_MATCHES resting asks at one price: every one
 * fills that many orders, crediting their maker, the heaviest market call a student can send. A
 * nonce whose transaction was not taken is used again.
 */
function heaviestBids(signer: LocalSigner, book: string, firstNonce: bigint): Attack & { taken: string[] } {
  const codec = new MarketCodec(contractArtifact("OrderBook").abi);
  const quantity = ASK_QUANTITY * BigInt(REMOTE_MAX_MATCHES);
  const data = codec.encodeCall("placeBid", [quantity, PRICE, 0n, BigInt(REMOTE_MAX_MATCHES)]);
  let fresh = firstNonce;
  const free: bigint[] = [];
  const taken: string[] = [];
  return {
    from: TX_ATTACKER,
    taken,
    async next() {
      free.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const nonce = free.shift() ?? fresh++;
      const raw = await signer.signTransaction({ to: book, data, value: quantity * PRICE, nonce, gas: placeOrderGas(REMOTE_MAX_MATCHES), gasPrice: DEFAULT_MIN_GAS_PRICE, chainId: CHAIN_ID });
      return {
        body: { jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [raw] },
        settle: (reply) => void (typeof reply.result === "string" ? taken.push(reply.result) : free.push(nonce)),
      };
    },
  };
}

/**
 * The attacker's key, its faucet grant and its registration, all through the gate as a student; its
 * looping contract refused. The asks its bids will fill are seeded from this machine by one of the
 * chain's own accounts (the regulator issues it the quota), so the set-up does not spend the
 * attacker's share of chain time.
 */
async function arm(studentUrl: string, teacher: HttpRpc, carbon: string): Promise<{ signer: LocalSigner; book: string; nonce: bigint; refusal: string }> {
  const signer = new LocalSigner(newPrivateKey());
  const funded = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "carbon_fund", params: [signer.address] }, TX_ATTACKER)) as Reply & { result?: { txHash?: string } };
  if (!funded.result?.txHash) throw new Error(`the faucet did not fund the attacker: ${JSON.stringify(funded.error)}`);
  await waitForReceipt(teacher, funded.result.txHash);
  const deploy = await signer.signTransaction({ to: "0x", data: LOOPING_CONTRACT, nonce: 0n, gas: 100_000n, gasPrice: DEFAULT_MIN_GAS_PRICE, chainId: CHAIN_ID });
  const refused = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [deploy] }, TX_ATTACKER)) as Reply;
  if (!refused.error) throw new Error(`the gate let a student deploy a looping contract: ${JSON.stringify(refused.result)}`);

  const market = new MarketCodec(marketArtifact().abi, marketArtifact().hashes);
  const viewOfCarbon = async (name: string) => String(market.decodeResult(name, await teacher.request<string>("eth_call", [{ to: carbon, data: market.encodeCall(name) }, "latest"]))[0]).toLowerCase();
  const book = await viewOfCarbon("exchange");
  const register = await signer.signTransaction({ to: carbon, data: market.encodeCall("newCustomer", [signer.address, passwordDigest(signer.address, "attack")]), nonce: 0n, gas: 300_000n, gasPrice: DEFAULT_MIN_GAS_PRICE, chainId: CHAIN_ID });
  const registered = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [register] }, TX_ATTACKER)) as Reply;
  if (typeof registered.result !== "string" || (await waitForReceipt(teacher, registered.result)).status !== "0x1") throw new Error(`the attacker could not register: ${JSON.stringify(registered.error)}`);

  const [regulator, maker] = await teacher.request<string[]>("eth_accounts");
  const sendFrom = async (from: string, to: string, data: string, gas: bigint) => teacher.request<string>("eth_sendTransaction", [{ from, to, data, gas: "0x" + gas.toString(16) }]);
  const mustSucceed = async (hash: string, what: string) => {
    if ((await waitForReceipt(teacher, hash)).status !== "0x1") throw new Error(`${what} failed`);
  };
  await mustSucceed(await sendFrom(maker, carbon, market.encodeCall("newCustomer", [maker, passwordDigest(maker, "maker")]), 300_000n), "the maker's registration");
  await mustSucceed(await sendFrom(regulator, carbon, market.encodeCall("sendCarbonToCustomer", [maker, ASK_QUANTITY * BigInt(SEEDED_ASKS)]), 300_000n), "the maker's quota");
  const orders = new MarketCodec(contractArtifact("OrderBook").abi);
  const ask = orders.encodeCall("placeAsk", [ASK_QUANTITY, PRICE, 0n, 0n]);
  const hashes: string[] = [];
  for (let i = 0; i < SEEDED_ASKS; i += 50) {
    const batch = Array.from({ length: Math.min(50, SEEDED_ASKS - i) }, (_, j) => ({ jsonrpc: "2.0", id: j, method: "eth_sendTransaction", params: [{ from: maker, to: book, data: ask, gas: "0x" + placeOrderGas(0).toString(16) }] }));
    const replies = (await postTeacher(teacher.url, batch)) as Reply[];
    for (const reply of replies) {
      if (typeof reply.result !== "string") throw new Error(`an ask was not sent: ${JSON.stringify(reply.error)}`);
      hashes.push(reply.result);
    }
  }
  await mustSucceed(hashes.at(-1)!, "the last seeded ask");
  return { signer, book, nonce: 1n, refusal: refused.error.message };
}

/** A JSON-RPC batch on the teacher's own URL (this machine: no gate limits). */
async function postTeacher(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return response.json();
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
    const armed = await arm(served.studentUrl, teacher, served.carbon);
    console.error(`(class chain served and the attacker armed in ${((performance.now() - began) / 1000).toFixed(0)} s)`);

    const transactions = heaviestBids(armed.signer, armed.book, armed.nonce);
    // Each attack from an address of its own, so that none starts in debt for the last one's chain time.
    const phases: Array<{ name: string; attack?: Attack }> = [
      { name: "idle" },
      { name: `looping eth_call (${REMOTE_CALL_GAS} gas)`, attack: loopingRead("eth_call", "127.0.0.11") },
      { name: `looping eth_estimateGas (${REMOTE_CALL_GAS} gas)`, attack: loopingRead("eth_estimateGas", "127.0.0.12") },
      { name: `bids filling ${REMOTE_MAX_MATCHES} asks each (${MAX_TX_GAS} gas)`, attack: transactions },
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
    console.log(`The attacker's looping contract: refused ("${armed.refusal}").`);
    console.log(`The attacker's bids: ${transactions.taken.length} taken by the gate, ${mined} mined, ${SEEDED_ASKS} asks seeded (the last bid used ${lastGas} gas).`);
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
