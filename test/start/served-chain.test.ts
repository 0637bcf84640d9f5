// A class chain served on 0.0.0.0: students reach it on another address, the gate refuses a remote
// caller every method that signs with the node's keys or changes the chain's rules, the teacher keeps
// the clock, a fresh key gets gas money, and a clone with an empty CARBON_HOME finds the market.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { discoverMarket } from "../../cli/chain/discovery";
import { chainIdentity, HttpRpc } from "../../cli/chain/rpc";
import { FUND_WEI } from "../../cli/gate/faucet";
import { ensureGasMoney, fundingHint } from "../../cli/gate/funding";
import { waitForReceipt } from "../support/receipt";
import { startTestChain } from "../support/test-chain";
import { background, CHAIN, place, REMOTE_ADDRESS, START, postFrom, remoteRpc, runScript, startClassChain, terminal, type ClassChain, type Terminal } from "./harness";

type Reply = { id: number; result?: unknown; error?: { code: number; message: string } };

/** A GET from REMOTE_ADDRESS, as a student's browser on another machine sends it. */
function getFrom(url: string, pathname: string, localAddress = REMOTE_ADDRESS, agent?: http.Agent): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.get({ host: target.hostname, port: Number(target.port), path: pathname, localAddress, agent }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
  });
}

const REFUSED = [
  ["eth_sign", (a: string) => [a, "0x00"]],
  ["eth_signTransaction", (a: string) => [{ from: a, to: a, value: "0x1" }]],
  ["eth_signTypedData_v4", (a: string) => [a, "{}"]],
  ["personal_unlockAccount", (a: string) => [a, "", 0]],
  ["personal_sendTransaction", (a: string) => [{ from: a, to: a, value: "0x1" }, ""]],
  ["personal_sign", (a: string) => ["0x00", a, ""]],
  ["personal_listAccounts", () => []],
  ["personal_importRawKey", () => ["0x" + "11".repeat(32), "x"]],
  ["personal_newAccount", () => ["x"]],
  ["evm_increaseTime", () => [3600]],
  ["evm_setTime", () => [0]],
  ["evm_mine", () => []],
  ["evm_setAccountBalance", (a: string) => [a, "0xffffffffffffffffff"]],
  ["evm_setAccountCode", (a: string) => [a, "0x00"]],
  ["evm_setAccountStorageAt", (a: string) => [a, "0x0", "0x1"]],
  ["evm_addAccount", () => ["0x" + "22".repeat(20), ""]],
  ["evm_snapshot", () => []],
  ["evm_revert", () => ["0x1"]],
  ["miner_stop", () => []],
  ["miner_start", () => []],
  ["miner_setEtherbase", (a: string) => [a]],
  ["debug_traceTransaction", () => ["0x" + "00".repeat(32)]],
  ["admin_peers", () => []],
  ["txpool_content", () => []],
  ["eth_subscribe", () => ["newHeads"]],
] as const;

describe("a class chain served on 0.0.0.0", () => {
  let served: ClassChain;
  let teacher: HttpRpc;
  let accounts: string[];

  before(async () => {
    served = await startClassChain();
    teacher = new HttpRpc(served.url);
    accounts = await teacher.request<string[]>("eth_accounts");
  });

  after(async () => {
    await served?.stop();
  });

  it("prints the URL students use, the market and the one command to join", () => {
    const output = served.chain.output();
    assert.match(output, /Students use\s+http:\/\/\S+:\d+|no network address besides loopback/, "the banner names where students connect");
    assert.match(output, new RegExp(`Carbon at ${served.carbon}`, "i"), "the banner names the market");
    assert.match(output, new RegExp(`A student joins with:\\s+CARBON_RPC_URL=http://\\S+:\\d+ CARBON_MARKET=${served.carbon} npm start`, "i"), "the banner gives the join command, with the market to check");
  });

  it("serves the projector's page to a remote student, reading the teacher's market", async () => {
    assert.match(served.chain.output(), /Projector\s+http:\/\/\S+:\d+\/\s/, "the banner gives the page's URL");
    const page = await getFrom(served.url, "/");
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Carbon market<\/title>/);
    let state: { status: { state: string; market?: string } } | undefined;
    for (let i = 0; i < 50 && state?.status.state !== "ready"; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      state = JSON.parse((await getFrom(served.url, "/api/state")).body);
    }
    assert.equal(state?.status.market, served.carbon.toLowerCase(), "the page's server found the teacher's market, as a remote caller");
    // A flood of page reads from one address meets the same per-second bound as its JSON-RPC would.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const flood = await Promise.all(Array.from({ length: 400 }, () => getFrom(served.url, "/api/state", "127.0.0.9", agent)));
    agent.destroy();
    const refused = flood.filter((answer) => answer.status === 429);
    assert.ok(refused.length > 0 && flood.filter((answer) => answer.status === 200).length >= 300, `past its burst an address is told to wait (${refused.length} of 400 refused)`);
    assert.match(refused[0].body, /at most 100 requests a second/);
  });

  it("is reached at 127.0.0.2 and keeps its keys out of the development mnemonic", async () => {
    const chainId = await new HttpRpc(served.studentUrl).request<string>("eth_chainId");
    assert.equal(Number(chainId), 1337, "the chain answers on another loopback address");
    assert.ok(!accounts.includes("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"), "the development mnemonic's first account is not the node's");
    const mode = fs.statSync(path.join(served.where.home, "class-keys.json")).mode & 0o777;
    assert.equal(mode, 0o600, "the class keys are readable by the owner only");
  });

  it("refuses a remote caller eth_sendTransaction for every account, and eth_accounts lists none", async () => {
    const before = await teacher.request<string>("eth_blockNumber");
    for (const from of accounts) {
      const reply = (await postFrom(served.studentUrl, { jsonrpc: "2.0", id: 1, method: "eth_sendTransaction", params: [{ from, to: from, value: "0x1" }] })) as Reply;
      assert.ok(reply.error, `eth_sendTransaction from ${from} is refused`);
      assert.equal(reply.error.code, -32601, "refused as a method not offered");
    }
    const listed = (await postFrom(served.studentUrl, { jsonrpc: "2.0", id: 2, method: "eth_accounts", params: [] })) as Reply;
    assert.deepEqual(listed.result, [], "a remote caller sees no node accounts");
    assert.equal(await teacher.request<string>("eth_blockNumber"), before, "no block was added");
  });

  it("refuses a remote caller every signing, development and admin method, alone and in a batch", async () => {
    const balance = await teacher.request<string>("eth_getBalance", [accounts[1], "latest"]);
    const time = (await teacher.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false])).timestamp;
    for (const [method, params] of REFUSED) {
      const reply = (await postFrom(served.studentUrl, { jsonrpc: "2.0", id: 7, method, params: params(accounts[1]) })) as Reply;
      assert.ok(reply.error, `${method} is refused to a remote caller`);
      assert.equal(reply.id, 7, `${method}: the refusal answers the request's id`);
    }
    const batch = (await postFrom(served.studentUrl, [
      { jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] },
      { jsonrpc: "2.0", id: 2, method: "evm_setAccountBalance", params: [accounts[1], "0xffff"] },
      { jsonrpc: "2.0", id: 3, method: "eth_sendTransaction", params: [{ from: accounts[0], to: accounts[1], value: "0x1" }] },
    ])) as Reply[];
    assert.ok(batch[0].result, "a read in a batch is answered");
    assert.ok(batch[1].error && batch[2].error, "each forbidden element of a batch is refused");
    assert.equal(await teacher.request<string>("eth_getBalance", [accounts[1], "latest"]), balance, "no balance changed");
    await teacher.request("evm_mine", []);
    const later = (await teacher.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false])).timestamp;
    assert.ok(Number(later) - Number(time) < 3000, "the remote evm_increaseTime did not move the clock");
  });

  it("refuses an eth_getLogs over more than 10,000 blocks to a remote caller", async () => {
    const reply = (await postFrom(served.studentUrl, { jsonrpc: "2.0", id: 1, method: "eth_getLogs", params: [{ fromBlock: "0x0", toBlock: "0x30000" }] })) as Reply;
    assert.match(reply.error?.message ?? "", /at most 10000 blocks/, "a wide range is refused");
    const narrow = (await postFrom(served.studentUrl, { jsonrpc: "2.0", id: 1, method: "eth_getLogs", params: [{ fromBlock: "0x0", toBlock: "latest" }] })) as Reply;
    assert.ok(Array.isArray(narrow.result), "a bounded range is answered");
  });

  it("keeps evm_increaseTime for the teacher on this machine", async () => {
    const moved = await teacher.request<number>("evm_increaseTime", [86_400]);
    assert.ok(Number(moved) >= 86_400, "the local caller moved the clock");
  });

  it("funds a new key once, capped, and takes its own signed transaction", async () => {
    const Accounts = require("web3-eth-accounts");
    const key = new Accounts().create();
    const student = remoteRpc(served.studentUrl);
    const funded = await student.request<{ funded: string; txHash: string }>("carbon_fund", [key.address]);
    assert.equal(BigInt(funded.funded), FUND_WEI, "the faucet sends one top-up");
    await waitForReceipt(student, funded.txHash);
    const again = await student.request<{ funded: string }>("carbon_fund", [key.address]);
    assert.equal(BigInt(again.funded), 0n, "a funded key gets nothing more");
    const raw = await key.signTransaction({ to: accounts[2], value: "0x1", gas: 21000, gasPrice: await student.request<string>("eth_gasPrice"), nonce: 0, chainId: 1337 });
    const hash = await student.request<string>("eth_sendRawTransaction", [raw.rawTransaction]);
    const receipt = await waitForReceipt(student, hash);
    assert.equal(receipt.status, "0x1", "the student's own signed transaction is mined");
  });

  it("ensureGasMoney funds a new key through the gate, for the write path", async () => {
    const address = "0x" + crypto.randomBytes(20).toString("hex");
    const result = await ensureGasMoney(remoteRpc(served.studentUrl), address, 10n ** 15n);
    assert.equal(result.outcome, "funded", "a class chain funds the key");
    assert.equal(result.balance, FUND_WEI, "with one top-up");
  });

  it("lets a clone with an empty CARBON_HOME find the market from the chain, as a remote caller", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "carbon-clone-"));
    const saved = process.env.CARBON_HOME;
    process.env.CARBON_HOME = home;
    try {
      const student = remoteRpc(served.studentUrl);
      const { genesisHash } = await chainIdentity(student);
      const found = await discoverMarket(student, { genesisHash });
      assert.equal(found?.Carbon, served.carbon, "the clone found the teacher's market");
      assert.ok(fs.existsSync(path.join(home, "deployments.json")), "what was found is cached for the next connect");
    } finally {
      process.env.CARBON_HOME = saved;
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it("keeps the clock the teacher moved across a Ctrl+C and a kill -9: no block is stamped before the one before it", async () => {
    for (const signal of ["SIGINT", "SIGKILL"] as const) {
      await teacher.request("evm_increaseTime", [61 * 86_400]);
      await teacher.request("evm_mine");
      const moved = await latestTime(teacher);
      await served.restart(signal);
      await teacher.request("evm_mine");
      assert.ok((await latestTime(teacher)) >= moved, `after a ${signal}, the next block is stamped at or after the moved clock`);
    }
  });
});

/** How the terminal's process exited, or undefined if it is still running after `ms`. */
function exitWithin(started: Terminal, ms: number): Promise<{ exitCode: number } | undefined> {
  return Promise.race([started.exited, new Promise<undefined>((resolve) => setTimeout(resolve, ms, undefined).unref())]);
}

async function latestTime(rpc: HttpRpc): Promise<number> {
  return Number((await rpc.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false])).timestamp);
}

describe("npm start -- --host 0.0.0.0", () => {
  it("serves a class chain and prints where students connect and the command to join", async () => {
    const where = await place();
    // In a terminal: the session stays open, and the chain with it.
    const started = terminal(START, ["--host", "0.0.0.0", "--grant", "4", "--grants-per-ip", "2"], where.env);
    try {
      await started.waitFor(/A student joins with:\s+CARBON_RPC_URL=http:\/\/\S+\s*CARBON_MARKET=0x[0-9a-f]{40}\s*npm start/, 120_000);
      assert.match(started.screen(), /Market\s+Carbon at 0x[0-9a-f]{40}/i, "the market is named");
      assert.match(started.screen(), /Faucet\s+4 ETH to each new key \(escrow for its bids, and gas\), at most 2 keys per address/, "the faucet's flags are shown");
      const reply = (await postFrom(`http://127.0.0.2:${where.port}`, { jsonrpc: "2.0", id: 1, method: "evm_mine", params: [] })) as Reply;
      assert.ok(reply.error, "the chain npm start serves is gated too");

      // Quit would stop the chain under the class: it asks, counting the machine that just asked.
      await started.waitFor(/8\. Quit/, 60_000);
      started.type("8\r");
      await started.waitFor(/Quit and stop the class chain\? 1 student's machine has used it in the last 5\s+minutes/);
      started.type("\r"); // Stay, the first answer
      await started.waitFor(/The class chain goes on\./);
      const stillThere = (await postFrom(`http://127.0.0.2:${where.port}`, { jsonrpc: "2.0", id: 2, method: "eth_blockNumber", params: [] })) as Reply;
      assert.ok(typeof stillThere.result === "string", `the chain still answers a student: ${JSON.stringify(stillThere)}`);
      // Ctrl+C at the first menu asks too; this time the teacher stops it.
      // Keys go only to a drawn prompt: a Ctrl+C between prompts is the terminal's SIGINT, not a key.
      await started.waitFor(/The class chain goes on\.[\s\S]*\? Sign in as[\s\S]*esc back/);
      started.type("\x03");
      await started.waitFor(/The class chain goes on\.[\s\S]*Quit and stop the class chain\?[\s\S]*esc back/);
      started.type("2\r");
      const exit = await exitWithin(started, 30_000);
      assert.equal(exit?.exitCode, 0, `npm start exits 0 after the teacher chose to stop:\n${started.screen()}`);
      await assert.rejects(postFrom(`http://127.0.0.2:${where.port}`, { jsonrpc: "2.0", id: 3, method: "eth_blockNumber", params: [] }), "the chain stopped with the session");
    } finally {
      started.kill("SIGTERM");
      // A session stuck on the way out must fail this test, not hang the file.
      if (!(await exitWithin(started, 30_000))) started.kill("SIGKILL");
      await started.exited;
      where.remove();
    }
  });
});

describe("gas money on any other network", () => {
  it("is never funded automatically, and the hint says how much ether the key needs", async () => {
    const chain = await startTestChain();
    try {
      const address = "0x" + crypto.randomBytes(20).toString("hex");
      const result = await ensureGasMoney(new HttpRpc(chain.url), address, 3n * 10n ** 15n);
      assert.equal(result.outcome, "no-faucet", "nothing funds it");
      assert.equal(result.balance, 0n, "its balance is still zero");
      assert.match(fundingHint(address, { gasWei: 3n * 10n ** 15n }, result.balance), /holds 0 ETH and this transaction needs up to 0\.003 ETH for gas/, "the hint names the amounts");
      assert.match(
        fundingHint(address, { gasWei: 10n ** 15n, escrowWei: 2n * 10n ** 18n }, result.balance),
        /needs 2\.001 ETH: 2 ETH held in escrow for the order and up to 0\.001 ETH for gas/,
        "a bid's escrow is named apart from its gas",
      );
    } finally {
      await chain.stop();
    }
  });
});

describe("a chain that is not served", () => {
  it("is not reachable at 127.0.0.2, and serving it later is refused: it has the development keys", async () => {
    const where = await place();
    const chain = background(CHAIN, [], where.env);
    try {
      await chain.waitFor(/Ctrl\+C stops the chain/, 90_000);
      await assert.rejects(new HttpRpc(`http://127.0.0.2:${where.port}`, 3_000).request("eth_chainId"), "nothing answers on another loopback address");
    } finally {
      chain.child.kill("SIGINT");
      await chain.exited;
    }
    const refused = await runScript(CHAIN, ["--host", "0.0.0.0"], where.env, 60_000);
    assert.equal(refused.code, 3, `serving a development-key chain exits 3:\n${refused.stderr}`);
    assert.match(refused.stderr, /public development keys.*fresh state folder/, "the message says how to start a class chain");
    assert.equal(refused.stderr.trim().split("\n").filter((line) => line.startsWith("error")).length, 1, "one error line");
    where.remove();
  });
});
