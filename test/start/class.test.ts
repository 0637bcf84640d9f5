// A simulated class on one machine: the teacher serves a class chain on 0.0.0.0 and students (16 in
// `npm test`, 40 in `npm run test:long`), each with its own CARBON_HOME and a key of its own, join the
// market from the command the chain prints, reached at 127.0.0.2 with requests that leave from
// 127.0.0.3 (so the gate sees them as remote callers). They create keys, register themselves, receive quota, publish and buy,
// many at once; nothing is lost, no second market appears, and nobody can act as anybody else.
// All traffic stays on loopback.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { connect } from "../../cli/chain/connect";
import type { Market } from "../../cli/chain/market";
import { HttpRpc, RpcError } from "../../cli/chain/rpc";
import { carbon } from "../cli/support/cli";
import { makeParticipants, pool, removeParticipants, type Participant } from "../support/classroom";
import { startRemoteProxy, type RemoteProxy } from "../support/remote-proxy";
import { scaled } from "../support/test-size";
import { remoteRpc, startClassChain, type ClassChain } from "./harness";

/** A class of 40 in the long run, 16 (two rounds of AT_ONCE) in `npm test`; CLASS_SIZE (even) sets it. */
const STUDENTS = Number(process.env.CLASS_SIZE || scaled(40, 16));
/** Students' commands at once: enough to race on the chain, few enough for two cores. */
const AT_ONCE = 8;
const QUOTA = 100n;
const PRICE = 10n;
const TEACHER_PASSWORD = "teacher's own";

let served: ClassChain;
let teacherEnv: NodeJS.ProcessEnv;
let proxies: RemoteProxy[] = [];
let students: Participant[] = [];
let market: Market;
let regulator: string;

function json(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, `--json prints one line, got:\n${stdout}`);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

/** `carbon <args> --json` as a participant; the password on stdin. */
async function act(env: NodeJS.ProcessEnv, args: string[], password?: string) {
  const ran = await carbon([...args, "--json", ...(password === undefined ? [] : ["--password-stdin"])], env, { input: password === undefined ? "" : `${password}\n`, timeoutMs: 180_000 });
  return { ...ran, body: ran.stdout.trim() ? json(ran.stdout) : {} };
}

async function expectOk(env: NodeJS.ProcessEnv, args: string[], password?: string): Promise<Record<string, unknown>> {
  const ran = await act(env, args, password);
  assert.equal(ran.code, 0, `carbon ${args.join(" ")}\n${ran.stdout}${ran.stderr}`);
  assert.equal(ran.body.ok, true, `carbon ${args.join(" ")}: ${ran.stdout}`);
  return ran.body;
}

before(async () => {
  // `npm run chain -- --host 0.0.0.0` in the teacher's CARBON_HOME: keys of its own, the market deployed.
  served = await startClassChain({}, []);
  teacherEnv = { ...served.where.env };
  delete teacherEnv.CARBON_PASSWORD;

  // The join command names this machine's network address (or none, on a machine with only
  // loopback); the students reach the same port at 127.0.0.2, each through a relay whose connections
  // leave from an address of its own (127.0.0.10, .11, ...): remote callers to the gate, each as on a
  // machine of its own, so the gate's per-address limits apply to each student as in a real class.
  const join = /A student joins with:\s+CARBON_RPC_URL=(\S+) CARBON_MARKET=(\S+) npm start/.exec(served.chain.output());
  assert.ok(join, `the chain prints the command a student runs:\n${served.chain.output()}`);
  assert.equal(Number(new URL(join[1]).port), served.where.port, "the printed URL is the served port");
  proxies = await Promise.all(Array.from({ length: STUDENTS }, (_, i) => startRemoteProxy({ host: "127.0.0.2", port: served.where.port }, { fromHost: `127.0.0.${10 + i}` })));
  students = makeParticipants(STUDENTS, (i) => proxies[i].url, process.env);

  // The teacher signs as the regulator with a wallet made from the class chain's generated key.
  await expectOk(teacherEnv, ["wallet", "import", "--class-account", "0", "--name", "teacher"], TEACHER_PASSWORD);
  process.env.CARBON_HOME = served.where.home;
  market = await connect({ rpc: served.url });
  regulator = market.regulator;
  assert.equal(market.contracts.Carbon, served.carbon, "the market the chain printed");
});

after(async () => {
  market?.close();
  await Promise.all(proxies.map((proxy) => proxy.close()));
  removeParticipants(students);
  await served?.stop();
});

describe(`a class of ${STUDENTS} on one served chain`, { timeout: 15 * 60_000 }, () => {
  it(`creates ${STUDENTS} keys, each in its own CARBON_HOME, and every student finds the teacher's market`, async () => {
    await pool(students, AT_ONCE, async (s) => {
      const wallet = await expectOk(s.env, ["wallet", "create", "--name", `student${s.index}`], s.password);
      s.address = String(wallet.address);
    });
    assert.equal(new Set(students.map((s) => s.address)).size, STUDENTS, "a different key each");
    for (const s of students) assert.ok(fs.readdirSync(path.join(s.home, "wallets")).length === 1, "each key in its owner's home only");
    // A fresh clone with nothing copied finds the teacher's market on the chain itself.
    const balance = await act(students[0].env, ["balance", students[0].address]);
    assert.equal(balance.code, 0, balance.stdout + balance.stderr);
    assert.equal(balance.body.address, students[0].address);
  });

  it("registers every student, sent by the student itself, many at once", async () => {
    await pool(students, AT_ONCE, async (s) => {
      const outcome = await expectOk(s.env, ["register", s.role, s.address], s.password);
      assert.match(String(outcome.txHash), /^0x[0-9a-f]{64}$/);
    });
    const totals = await market.totals();
    assert.equal(totals.customers, STUDENTS / 2, "half are customers");
    assert.equal(totals.sellers, STUDENTS / 2, "half are sellers");
    for (const s of students.slice(0, 4)) {
      const login = await act(s.env, ["login", `student${s.index}`], s.password);
      assert.equal(login.code, 0, login.stderr);
      assert.deepEqual(login.body.roles, [s.role], "login: the key opens and the on-chain check passes");
    }
  });

  it("lets the teacher issue quota with the regulator's wallet, sellers publish and customers buy, many at once", async () => {
    const customers = students.filter((s) => s.role === "customer");
    const sellers = students.filter((s) => s.role === "seller");
    await pool(customers, AT_ONCE, (s) => expectOk(teacherEnv, ["issue", s.address, String(QUOTA)], TEACHER_PASSWORD));
    await pool(sellers, AT_ONCE, (s) => expectOk(s.env, ["add-carbon", s.address, s.lot, String(PRICE)], s.password));
    await pool(customers, AT_ONCE, async (s) => {
      const bought = await expectOk(s.env, ["buy", s.address, s.lot], s.password);
      assert.equal(bought.message, "Buy successfully");
    });
    for (const s of customers) assert.equal(await market.customerCarbonAmount(s.address), QUOTA - PRICE, `${s.address} paid for its lot`);
    for (const s of sellers) assert.equal(await market.sellerCarbonAmount(s.address), PRICE, `${s.address} was paid`);
  });

  it("conserves quota: everything issued is held by someone or settled", async () => {
    const totals = await market.totals();
    const customers = (await market.customerPage(0, 1000)).accounts;
    const sellers = (await market.sellerPage(0, 1000)).accounts;
    let held = 0n;
    for (const a of customers) held += await market.customerCarbonAmount(a);
    for (const a of sellers) held += await market.sellerCarbonAmount(a);
    assert.equal(totals.issued, QUOTA * BigInt(STUDENTS / 2), "issued");
    assert.equal(held + totals.settled, totals.issued, "held + settled = issued");
  });

  it("has one market: the only contracts ever created are its seven, and the students' transactions went to it", async () => {
    const rpc = new HttpRpc(served.url);
    const head = Number(await rpc.request<string>("eth_blockNumber"));
    const { Carbon, Customer, Seller, Compliance, OrderBook } = market.contracts;
    const Lesson = await market.lessonModule("Lesson");
    const Auction = await market.lessonModule("Auction");
    const created: string[] = [];
    let toMarket = 0;
    for (let n = 1; n <= head; n++) {
      const block = await rpc.request<{ transactions: Array<{ to: string | null; hash: string }> }>("eth_getBlockByNumber", ["0x" + n.toString(16), true]);
      for (const tx of block.transactions) {
        if (tx.to === null) created.push((await rpc.request<{ contractAddress: string }>("eth_getTransactionReceipt", [tx.hash])).contractAddress.toLowerCase());
        else if (tx.to.toLowerCase() === Carbon) toMarket++;
      }
    }
    assert.deepEqual(created.sort(), [Carbon, Customer, Seller, Compliance, OrderBook, Lesson, Auction].sort(), "one deployment, no second market");
    // The migration's three wiring calls (setModules, setLesson, setAuction), then a registration each, and per pair an issue,
    // a publication and a purchase: nothing else, nothing lost.
    assert.equal(toMarket, 3 + STUDENTS + 3 * (STUDENTS / 2), "every transaction of the class reached the one market");
    for (const s of [students[1], students[STUDENTS - 2]]) {
      const seen = await act(s.env, ["carbon", students[0].lot]);
      assert.equal(seen.code, 0, seen.stderr);
      assert.equal(seen.body.buyer, students[0].address, "a student sees the same market as the teacher");
    }
  });

  it("refuses every attempt to act as someone else, and the chain does not move", async () => {
    const rpc = new HttpRpc(served.url);
    const height = await rpc.request<string>("eth_blockNumber");
    const [me, victim] = [students[0], students[2]];
    const seller = students[1];
    const attempts: Array<[string, string[]]> = [
      ["another's address as --from", ["buy", victim.address, seller.lot, "--from", victim.address]],
      ["another's account as the actor", ["buy", victim.address, seller.lot]],
      ["registering another", ["register", "customer", students[3].address]],
      ["the regulator's issue", ["issue", me.address, "1000"]],
      ["the regulator's freeze", ["freeze", victim.address]],
      ["the regulator's issue, naming it", ["issue", me.address, "1000", "--from", regulator]],
    ];
    for (const [what, args] of attempts) {
      const ran = await act(me.env, args, me.password);
      assert.equal(ran.code, 2, `${what}: exit 2\n${ran.stdout}${ran.stderr}`);
      assert.equal(ran.body.ok, false, what);
      assert.doesNotMatch(String(ran.body.error), /\n/, `${what}: one line`);
    }
    // Straight to the node, as a remote caller: nothing signs for anybody.
    const remote = remoteRpc(served.studentUrl);
    assert.deepEqual(await remote.request("eth_accounts"), [], "a remote caller sees no node accounts");
    for (const [method, params] of [
      ["eth_sendTransaction", [{ from: regulator, to: market.contracts.Carbon, data: "0x" }]],
      ["eth_sign", [regulator, "0x00"]],
      ["eth_signTransaction", [{ from: regulator, to: market.contracts.Carbon, data: "0x" }]],
      ["personal_unlockAccount", [regulator, "", 60]],
      ["personal_sendTransaction", [{ from: regulator, to: market.contracts.Carbon, data: "0x" }, ""]],
      ["evm_setAccountBalance", [me.address, "0xffffffffffffffffffff"]],
      ["evm_increaseTime", [3600]],
      ["evm_mine", []],
    ] as const) {
      await assert.rejects(remote.request(method, [...params]), RpcError, `${method} is refused to a remote caller`);
    }
    assert.equal(await rpc.request<string>("eth_blockNumber"), height, "no block was mined by any attempt");
    assert.equal(await market.customerCarbonAmount(me.address), QUOTA - PRICE, "my balance is what it was");
    assert.equal(await market.isFrozen(victim.address), false, "nobody froze the victim");
  });
});
