// A class chain under attack by a student on another machine (played from other loopback
// addresses): it cannot be steered to a look-alike market, held by a looping read, flooded with
// cheap transactions, reached by a web page, or drained of its faucet by one address.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { keccak_256 } from "@noble/hashes/sha3";
import { MARKET_SET_TOPIC } from "../../cli/chain/discovery";
import { HttpRpc } from "../../cli/chain/rpc";
import { REMOTE_CALL_GAS } from "../../cli/gate/policy";
import { MAX_TX_BYTES, MAX_TX_GAS } from "../../cli/gate/transaction-rules";
import { LOOP, LOOPING_CONTRACT } from "../support/looping-code";
import { waitForReceipt as receipt } from "../support/receipt";
import { startTestChain } from "../support/test-chain";
import { startRemoteProxy } from "../support/remote-proxy";
import { background, CARBON, CHAIN, MIGRATE, place, postFrom, runScript, type Background, type Place } from "./harness";

type Reply = { id: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown; stack?: unknown } };

const Accounts = require("web3-eth-accounts");
const accounts = new Accounts();

/** Init code that emits MarketSet(market) from a throwaway contract: a log anyone can write. */
function plantedLogCode(market: string): string {
  return "0x7f" + market.replace(/^0x/, "").padStart(64, "0") + "7f" + MARKET_SET_TOPIC.slice(2) + "60006000a200";
}

/** The address a contract created by `sender` with `nonce` (< 128) gets. */
function createdAddress(sender: string, nonce: number): string {
  const rlp = Buffer.concat([Buffer.from([0xd6, 0x94]), Buffer.from(sender.slice(2), "hex"), Buffer.from([nonce === 0 ? 0x80 : nonce])]);
  return "0x" + Buffer.from(keccak_256(rlp)).toString("hex").slice(-40);
}

async function sign(key: { signTransaction(tx: unknown): Promise<{ rawTransaction: string }> }, tx: Record<string, unknown>): Promise<string> {
  return (await key.signTransaction({ chainId: 1337, ...tx })).rawTransaction;
}

/** A POST with headers of the test's choosing (a browser's), from `localAddress`. */
function rawPost(url: string, body: string, headers: Record<string, string>, localAddress = "127.0.0.1"): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: target.hostname, port: Number(target.port), method: "POST", path: "/", localAddress, headers: { "content-length": Buffer.byteLength(body), ...headers } }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

function listeningPorts(pid: number): number[] {
  const out = execFileSync("ss", ["-Hltnp"], { encoding: "utf8" });
  return [...new Set(out.split("\n").filter((line) => line.includes(`pid=${pid},`)).map((line) => Number(/:(\d+)\s/.exec(line.split(/\s+/)[3] + " ")?.[1])))];
}

function fresh(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe("a class chain a student attacks", { timeout: 8 * 60_000 }, () => {
  let where: Place;
  let chain: Background;
  let teacher: HttpRpc;
  let studentUrl: string;
  let carbon: string;
  let regulator: string;
  const beforeOpen: Reply[] = [];
  const student = accounts.create();

  before(async () => {
    where = await place();
    chain = background(CHAIN, ["--host", "0.0.0.0"], where.env);
    studentUrl = `http://127.0.0.2:${where.port}`;
    // While the teacher's chain starts and deploys, the student tries to get in: for gas money, to
    // plant a MarketSet log naming the market it would deploy next, and to deploy.
    let banner = false;
    const waiting = chain.waitFor(/A student joins with/, 120_000).then(() => (banner = true));
    const planted = await sign(student, { data: plantedLogCode(createdAddress(student.address, 1)), gas: 100_000, gasPrice: "0x77359400", nonce: 0 });
    while (!banner) {
      for (const body of [
        { jsonrpc: "2.0", id: 1, method: "carbon_fund", params: [student.address] },
        { jsonrpc: "2.0", id: 2, method: "eth_sendRawTransaction", params: [planted] },
      ]) {
        const reply = (await postFrom(studentUrl, body, "127.0.0.3", 5_000).catch(() => undefined)) as Reply | undefined;
        // Before the banner the gate may not listen yet (refused connection) or be closed to remote
        // callers; it opens as soon as the market is wired, a moment before the banner.
        if (reply) beforeOpen.push(reply);
      }
      if (beforeOpen.some((reply) => !/not open yet/.test(reply.error?.message ?? ""))) break;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await waiting;
    carbon = /Market\s+Carbon at (0x[0-9a-f]{40})/i.exec(chain.output())![1].toLowerCase();
    teacher = new HttpRpc(where.url);
    regulator = (await teacher.request<string[]>("eth_accounts"))[0].toLowerCase();
  });

  after(async () => {
    chain?.child.kill("SIGINT");
    await chain?.exited;
    where?.remove();
  });

  it("lets no remote caller in while the teacher's market is being deployed", async () => {
    const refused = beforeOpen.filter((reply) => /not open yet: the teacher's market is still being deployed/.test(reply.error?.message ?? ""));
    assert.ok(refused.length > 0, "the student's requests reached the gate during the deployment, and were refused");
    // Whatever got in came after the teacher's registries were wired.
    const wiring = await teacher.request<Array<{ blockNumber: string }>>("eth_getLogs", [{ fromBlock: "0x0", toBlock: "latest", topics: [MARKET_SET_TOPIC, "0x" + carbon.slice(2).padStart(64, "0")] }]);
    assert.equal(wiring.length, 2, "the teacher's two registries were wired to its market");
    const wiredAt = Math.max(...wiring.map((log) => Number(log.blockNumber)));
    const head = Number(await teacher.request<string>("eth_blockNumber"));
    for (let n = 1; n <= head; n++) {
      const block = await teacher.request<{ transactions: Array<{ from: string; to: string | null }> }>("eth_getBlockByNumber", ["0x" + n.toString(16), true]);
      for (const tx of block.transactions) {
        if (tx.from.toLowerCase() === student.address.toLowerCase() || tx.to?.toLowerCase() === student.address.toLowerCase()) {
          assert.ok(n > wiredAt, `the student's transaction in block ${n} came after the wiring (block ${wiredAt})`);
        }
      }
    }
  });

  it("keeps a fresh clone, the teacher and npm run migrate on the teacher's market after a planted log", async () => {
    const rpc = new HttpRpc(studentUrl);
    const remote = { request: <T>(method: string, params: unknown[] = []) => postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method, params }, "127.0.0.3").then((r) => r as Reply) as Promise<Reply & { result: T }> };
    const funded = await remote.request<{ txHash?: string }>("carbon_fund", [student.address]);
    assert.ok(funded.result, `the student is funded once the market is wired: ${JSON.stringify(funded.error)}`);
    if (funded.result.txHash) await receipt(rpc, funded.result.txHash);
    const nonce = Number(await rpc.request<string>("eth_getTransactionCount", [student.address, "latest"]));
    // The planted log, naming the address of the student's next contract, and then the genuine
    // contracts: no contract of a student's is deployed, and Carbon's code is far over the size a
    // remote transaction may have anyway. (A planted log that does get on a chain is the next suite's.)
    const lookAlike = createdAddress(student.address, nonce);
    const gasPrice = await rpc.request<string>("eth_gasPrice");
    const planted = await remote.request<string>("eth_sendRawTransaction", [await sign(student, { data: plantedLogCode(lookAlike), gas: 100_000, gasPrice, nonce })]);
    assert.match(planted.error?.message ?? "", /deploying contracts is the teacher's/, "a student's log-planting contract is refused");
    const bytecode = JSON.parse(fs.readFileSync(path.join("build", "contracts", "Carbon.json"), "utf8")).bytecode as string;
    const deploy = await remote.request("eth_sendRawTransaction", [await sign(student, { data: bytecode, gas: 900_000, gasPrice, nonce })]);
    assert.match(deploy.error?.message ?? "", new RegExp(`at most ${MAX_TX_BYTES} bytes`), "deploying the market's contracts is refused to a remote caller");

    const proxy = await startRemoteProxy({ host: "127.0.0.2", port: where.port }, { fromHost: "127.0.0.3" });
    const clone = fresh("carbon-clone-");
    try {
      const env = { ...where.env, CARBON_HOME: clone, CARBON_RPC_URL: proxy.url };
      // Three clones of their own that only read: they run at once.
      const [market, joined, steered] = await Promise.all([
        runScript(CARBON, ["market", "--json"], env),
        runScript(CARBON, ["market", "--json"], { ...env, CARBON_HOME: fresh("carbon-clone-"), CARBON_MARKET: carbon }),
        runScript(CARBON, ["market", "--json"], { ...env, CARBON_HOME: fresh("carbon-clone-"), CARBON_MARKET: lookAlike }),
      ]);
      assert.equal(market.code, 0, market.stderr);
      assert.equal(JSON.parse(market.stdout).regulator, regulator, "a fresh clone finds the teacher's market, the teacher its regulator");
      assert.equal(joined.code, 0, `the printed join command's market checks out: ${joined.stderr}`);
      assert.equal(steered.code, 3, "a market that is not the one on the chain: exit 3");
      assert.equal(steered.stdout.trim().split("\n").length, 1, "one JSON line");
      assert.match(JSON.parse(steered.stdout).error, /is not a Carbon market wired to its registries/, "the mismatch is named");
    } finally {
      await proxy.close();
      fs.rmSync(clone, { recursive: true, force: true });
    }
    // The teacher's session and npm run migrate both only read the market: at once, too.
    const [teacherMarket, migrated] = await Promise.all([runScript(CARBON, ["market", "--json"], where.env), runScript(MIGRATE, [], where.env, 180_000)]);
    assert.equal(JSON.parse(teacherMarket.stdout).regulator, regulator, "the teacher's session: the teacher's market");
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, new RegExp(`already deployed on this chain: Carbon at ${carbon}`, "i"), "npm run migrate joins the teacher's market");
  });

  it("cuts a looping eth_call and eth_estimateGas short, and another caller's eth_blockNumber answers within a second meanwhile", async () => {
    for (const method of ["eth_call", "eth_estimateGas"]) {
      const started = Date.now();
      const loops = Array.from({ length: 3 }, (_, i) => postFrom(studentUrl, { jsonrpc: "2.0", id: i, method, params: [{ data: LOOP }, "latest"] }, "127.0.0.3", 30_000) as Promise<Reply>);
      await new Promise((resolve) => setTimeout(resolve, 30));
      const asked = Date.now();
      const head = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 9, method: "eth_blockNumber", params: [] }, "127.0.0.4")) as Reply;
      const waited = Date.now() - asked;
      assert.match(String(head.result), /^0x[0-9a-f]+$/, "a classmate's read is answered");
      assert.ok(waited < 1_000, `${method}: a classmate's eth_blockNumber answered in ${waited} ms while the loops ran`);
      for (const reply of await Promise.all(loops)) {
        assert.ok(reply.error, `${method}: the loop ends in an error`);
        assert.match(reply.error.message, /out of gas|busy/, `${method}: cut short by the gas cap (${REMOTE_CALL_GAS}) or the address's share`);
        assert.equal(reply.error.stack, undefined, "no stack in a remote caller's error");
      }
      assert.ok(Date.now() - started < 10_000, `${method}: three loops were over within seconds, not Ganache's 50 M gas`);
    }
  });

  it("refuses a flood of transactions below the minimum gas price, over the gas cap, or deploying a contract, and mines none", async () => {
    const flooder = accounts.create();
    const funded = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "carbon_fund", params: [flooder.address] }, "127.0.0.5")) as Reply & { result: { txHash: string } };
    await receipt(teacher, funded.result.txHash);
    const height = await teacher.request<string>("eth_blockNumber");
    const cheap = await Promise.all(Array.from({ length: 20 }, (_, nonce) => sign(flooder, { to: flooder.address, data: "0x", gas: 900_000, gasPrice: 7, nonce })));
    const replies = (await postFrom(studentUrl, cheap.map((raw, id) => ({ jsonrpc: "2.0", id, method: "eth_sendRawTransaction", params: [raw] })), "127.0.0.5")) as Reply[];
    assert.equal(replies.length, 20, "each element answered");
    for (const reply of replies) assert.match(reply.error?.message ?? "", /minimum gas price is \d+ wei \(this transaction offers 7\)/, "a cheap transaction is refused");
    const huge = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [await sign(flooder, { to: flooder.address, gas: Number(MAX_TX_GAS) + 1, gasPrice: "0x77359400", nonce: 0 })] }, "127.0.0.5")) as Reply;
    assert.match(huge.error?.message ?? "", new RegExp(`at most ${MAX_TX_GAS} gas`), "a block-filling transaction is refused");
    const deploy = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [await sign(flooder, { data: LOOPING_CONTRACT, gas: 100_000, gasPrice: "0x77359400", nonce: 0 })] }, "127.0.0.5")) as Reply;
    assert.match(deploy.error?.message ?? "", /must go to an address: deploying contracts is the teacher's/, "a student's own contract (a loop that would hold the chain) is refused");
    // A nonce ahead of the account's would wait in the pool, unanswered, holding every classmate's calls behind it.
    const ahead = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [await sign(flooder, { to: flooder.address, gas: 21_000, gasPrice: "0x77359400", nonce: 5 })] }, "127.0.0.5", 5_000)) as Reply;
    assert.match(ahead.error?.message ?? "", /nonce 5 is ahead of the account's next nonce 0/, "a transaction with a gap before it is refused at once");
    const call = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 2, method: "eth_call", params: [{ to: carbon, data: "0x" }, "latest"] }, "127.0.0.4", 5_000)) as Reply;
    assert.ok(!call.error || !/busy|timed out/.test(call.error.message), `a classmate's call is answered after it: ${JSON.stringify(call)}`);
    assert.equal(await teacher.request<string>("eth_blockNumber"), height, "nothing was mined");
    assert.equal(await teacher.request<string>("eth_getTransactionCount", [flooder.address, "latest"]), "0x0", "the flooder sent nothing");
  });

  it("refuses a browser-shaped request on every port the chain listens on, from this machine too, and mines nothing", async () => {
    const ports = listeningPorts(chain.child.pid!);
    assert.deepEqual(ports, [where.port], "the gate is the chain's only listening port (Ganache has none of its own)");
    const height = await teacher.request<string>("eth_blockNumber");
    const send = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_sendTransaction", params: [{ from: regulator, to: regulator, value: "0x1" }] });
    for (const port of ports) {
      for (const [what, headers] of [
        ["a web page's Origin", { "content-type": "application/json", origin: "http://evil.example" }],
        ["a rebinding Host", { "content-type": "application/json", host: `rebind.evil.example:${port}` }],
        ["a text/plain simple request", { "content-type": "text/plain" }],
        ["all three", { "content-type": "text/plain;charset=UTF-8", origin: "http://evil.example", host: "rebind.evil.example" }],
      ] as const) {
        for (const from of ["127.0.0.1", "127.0.0.3"]) {
          const answer = await rawPost(`http://${from === "127.0.0.1" ? "127.0.0.1" : "127.0.0.2"}:${port}`, send, headers, from);
          assert.equal(answer.status, 403, `${what} from ${from} on port ${port} is refused`);
          assert.match((JSON.parse(answer.text) as Reply).error?.message ?? "", /refused/, `${what}: a JSON-RPC error says why`);
        }
      }
    }
    assert.equal(await teacher.request<string>("eth_blockNumber"), height, "nothing was mined");
  });

  it("gives one address no more than its share of the faucet", async () => {
    const keys = Array.from({ length: 5 }, () => accounts.create().address);
    const replies: Reply[] = [];
    for (const key of keys) replies.push((await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "carbon_fund", params: [key] }, "127.0.0.6")) as Reply);
    assert.equal(replies.filter((r) => r.result).length, 3, "three keys from one address are funded");
    for (const reply of replies.slice(3)) assert.match(reply.error?.message ?? "", /at most 3 grants to keys asked for from one address/, "the rest are refused");
    const again = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "carbon_fund", params: [keys[0]] }, "127.0.0.7")) as Reply & { result?: { funded: string } };
    assert.equal(BigInt(again.result?.funded ?? "0x1"), 0n, "a funded key gets nothing more, from any address");
    const named = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "carbon_fund", params: [keys[4], "0x56bc75e2d63100000"] }, "127.0.0.7")) as Reply;
    assert.match(named.error?.message ?? "", /only the teacher's machine can send a chosen amount/, "a remote caller cannot name an amount");

    // The teacher tops a student up from the faucet with `carbon fund`, any amount, on this machine.
    const before = BigInt(await teacher.request<string>("eth_getBalance", [keys[4], "latest"]));
    const topUp = await runScript(CARBON, ["fund", keys[4], "25", "--json"], where.env);
    assert.equal(topUp.code, 0, topUp.stderr);
    const paid = JSON.parse(topUp.stdout) as { source: string; wei: string; balanceWei: string };
    assert.equal(paid.source, "faucet", "it comes from the class chain's faucet");
    assert.equal(BigInt(paid.wei), 25n * 10n ** 18n, "the amount asked for");
    const after = BigInt(await teacher.request<string>("eth_getBalance", [keys[4], "latest"]));
    assert.equal(after - before, 25n * 10n ** 18n, "the student's balance rose by exactly that");
    assert.equal(BigInt(paid.balanceWei), after, "and the command says what it holds now");
    const tooMuch = await runScript(CARBON, ["fund", keys[4], "100000"], where.env);
    assert.equal(tooMuch.code, 1, "more than the faucet holds: refused, exit 1");
    assert.match(tooMuch.stderr, /the class chain's faucet did not pay: the faucet holds [\d.]+ ETH, not enough to send 100000 ETH/, "saying what it holds");
    assert.equal(BigInt(await teacher.request<string>("eth_getBalance", [keys[4], "latest"])), after, "and nothing moved");
  });

  it("bounds one address's requests (a batch counts as its elements) and connections, and answers malformed requests with JSON-RPC errors", async () => {
    const batch = Array.from({ length: 200 }, (_, id) => ({ jsonrpc: "2.0", id, method: "eth_chainId", params: [] }));
    const answers = (await Promise.all([0, 1].map(() => postFrom(studentUrl, batch, "127.0.0.8")))) as Reply[][];
    const busy = answers.flat().filter((r) => r.error?.code === -32005);
    assert.ok(busy.length >= 100, `past 300 requests at once, elements are refused as busy (${busy.length} were)`);
    assert.match(busy[0].error!.message, /at most \d+ requests (in flight|a second) from one address/, "the error names the bound");
    const other = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }, "127.0.0.9")) as Reply;
    assert.equal(other.result, "0x539", "another address is not held back");

    const sockets = await Promise.all(Array.from({ length: 40 }, () => new Promise<net.Socket>((resolve) => {
      const socket = net.connect({ host: "127.0.0.2", port: where.port, localAddress: "127.0.0.10" }, () => resolve(socket));
      socket.on("error", () => resolve(socket));
    })));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const open = sockets.filter((s) => !s.destroyed && s.readyState === "open").length;
    assert.ok(open <= 32, `at most 32 connections from one address stay open (${open} did)`);
    const meanwhile = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }, "127.0.0.11")) as Reply;
    assert.equal(meanwhile.result, "0x539", "others still get in");
    for (const socket of sockets) socket.destroy();

    const malformed = await rawPost(studentUrl, JSON.stringify([{ jsonrpc: "2.0", id: 1, method: { toString: 1 } }, { jsonrpc: "2.0", id: 2, method: "eth_chainId", params: [] }, 7]), { "content-type": "application/json" }, "127.0.0.3");
    assert.equal(malformed.status, 200, "a batch with malformed elements is answered, not an HTTP error");
    const parsed = JSON.parse(malformed.text) as Reply[];
    assert.equal(parsed[0].error?.code, -32600, "a method that is not a string: invalid request");
    assert.equal(parsed[1].result, "0x539", "the good element is answered");
    assert.equal(parsed[2].error?.code, -32600, "a number is not a request");
    const revert = (await postFrom(studentUrl, { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: carbon, data: "0xdeadbeef" }, "latest"] }, "127.0.0.3")) as Reply;
    assert.ok(revert.error, "a reverting call is an error");
    assert.doesNotMatch(JSON.stringify(revert), /stack|\/node_modules\/|\/work\//, "with no stack and no path of this machine");
  });
});

describe("discovery on a chain where anyone may deploy", { timeout: 5 * 60_000 }, () => {
  it("counts only logs from a market's own registries: a planted log and a genuine look-alike deployed after it do not win", async () => {
    const chain = await startTestChain();
    const homes: string[] = [];
    const home = () => {
      const made = fresh("carbon-race-");
      homes.push(made);
      return made;
    };
    try {
      const rpc = new HttpRpc(chain.url);
      const [teacherAccount, , , , , planter] = await rpc.request<string[]>("eth_accounts");
      // The attacker's own key deploys a genuine market; its Carbon will be its third contract.
      const { CARBON_MARKET: _m, CARBON_NEW_MARKET: _n, CARBON_DEMO: _d, ...base } = chain.env;
      const mnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow";
      const attacker = firstAddress(mnemonic, chain.url);
      const lookAlike = createdAddress(attacker, 2);
      const planted = await rpc.request<string>("eth_sendTransaction", [{ from: planter, data: plantedLogCode(lookAlike), gas: "0x186a0" }]);
      assert.equal((await receipt(rpc, planted)).status, "0x1", "the planted log is on the chain first");

      const migrated = await runScript(MIGRATE, [], { ...base, CARBON_HOME: home(), NO_COLOR: "1" }, 180_000);
      assert.equal(migrated.code, 0, migrated.stderr);
      const teacherCarbon = /Market at (0x[0-9a-fA-F]{40})/.exec(migrated.stdout)?.[1].toLowerCase();
      assert.ok(teacherCarbon, `the teacher's migration names its market:\n${migrated.stdout}`);

      await rpc.request("eth_sendTransaction", [{ from: teacherAccount, to: attacker, value: "0x56bc75e2d63100000" }]);
      const theirs = await runScript(MIGRATE, ["--new-market"], { ...base, CARBON_HOME: home(), CARBON_MNEMONIC: mnemonic, NO_COLOR: "1" }, 180_000);
      assert.equal(theirs.code, 0, theirs.stderr);
      assert.match(theirs.stdout, new RegExp(`Market at ${lookAlike}`, "i"), "the look-alike is a genuine market at the address the planted log named");

      // Two fresh clones that only read: at once.
      const [found, again] = await Promise.all([
        runScript(CARBON, ["market", "--json"], { ...base, CARBON_HOME: home() }),
        runScript(MIGRATE, [], { ...base, CARBON_HOME: home(), NO_COLOR: "1" }, 180_000),
      ]);
      assert.equal(JSON.parse(found.stdout).regulator, teacherAccount.toLowerCase(), "a fresh clone finds the teacher's market");
      assert.match(again.stdout, new RegExp(`already deployed on this chain: Carbon at ${teacherCarbon}`, "i"), "npm run migrate from a fresh clone joins the teacher's");
    } finally {
      await chain.stop();
      for (const made of homes) fs.rmSync(made, { recursive: true, force: true });
    }
  });
});

/** The first address of a mnemonic, as the migration's HD wallet derives it. */
function firstAddress(phrase: string, url: string): string {
  const HDWalletProvider = require("@truffle/hdwallet-provider");
  const wallet = new HDWalletProvider({ mnemonic: { phrase }, providerOrUrl: url, numberOfAddresses: 1 });
  const address = String(wallet.getAddress(0)).toLowerCase();
  wallet.engine.stop();
  return address;
}
