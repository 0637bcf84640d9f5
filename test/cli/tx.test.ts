// `carbon tx <hash>`: a transaction as a block explorer shows it (status, block, from/to, method,
// decoded outcome and Activity events, gas used and cost in ether); `--wait` for a pending one (exit
// 4 while it stays pending), and a hash the node does not know (exit 1, "not found").
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MarketCodec } from "../../cli/chain/abi";
import { marketArtifact } from "../../cli/chain/artifacts";
import { carbon, startTradingMarket, type TradingMarket } from "./support/cli";

let cli: TradingMarket;
let customer: string;
let seller: string;

before(async () => {
  cli = await startTradingMarket();
  ({ customer, seller } = cli);
  await cli.market.addCarbon(seller, "LOT-2", 500n);
  await cli.market.addCarbon(seller, "LOT-3", 10n);
});

after(async () => {
  await cli.stop();
});

function one(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, `--json prints exactly one line, got:\n${stdout}`);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

type Receipt = { gasUsed: string; effectiveGasPrice: string; blockNumber: string };

describe("carbon tx", () => {
  it("shows a purchase like a block explorer: status, block, from/to, method, events, gas and cost", async () => {
    const bought = await cli.market.buyCarbon(customer, "LOT-1");
    const receipt = await cli.rpc.request<Receipt>("eth_getTransactionReceipt", [bought.txHash]);
    const cost = BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);

    const { code, stdout, stderr } = await carbon(["tx", bought.txHash], cli.env);
    assert.equal(code, 0, stderr);
    const lines = stdout.split("\n");
    assert.equal(lines[0], `tx        ${bought.txHash}`);
    assert.equal(lines[1], "status    ✔ success");
    assert.match(lines[2], new RegExp(`^block     ${bought.block}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`));
    assert.equal(lines[3], `from      ${customer}`);
    assert.equal(lines[4], `to        ${cli.market.contracts.Carbon}`);
    assert.equal(lines[5], `method    buyCarbon(customerAddr=${customer}, carbonID=LOT-1)`);
    assert.equal(lines[6], `gas used  ${bought.gasUsed}  at ${BigInt(receipt.effectiveGasPrice)} wei`);
    const ether = Number(cost) / 1e18;
    assert.match(lines[7], /^cost      0\.\d+ ETH$/);
    assert.equal(Number(lines[7].split(/\s+/)[1]), ether, "cost = gas used × gas price, in ether");
    assert.match(stdout, new RegExp(`\\nBuyCarbon  sender=${customer}  isSuccess=true  message="Buy successfully"\\n`));
    const activity = lines.find((line) => line.startsWith("Activity  ")) ?? "";
    for (const field of ["operation=BuyCarbon", `account=${customer}`, `counterparty=${seller}`, "carbonId=LOT-1", "amount=30", "isSuccess=true"]) {
      assert.ok(activity.split("  ").includes(field), `Activity shows ${field}: ${activity}`);
    }

    const json = one((await carbon(["tx", bought.txHash, "--json"], cli.env)).stdout);
    assert.equal(json.ok, true);
    assert.deepEqual([json.txHash, json.status, json.block, json.from, json.method, json.gasUsed, json.cost], [bought.txHash, "success", bought.block, customer, "buyCarbon", bought.gasUsed, cost.toString()]);
    const events = json.events as Array<{ name: string; args: Record<string, unknown> }>;
    assert.deepEqual(events.map((e) => e.name), ["BuyCarbon", "Activity"]);
    assert.deepEqual(events[0].args, { sender: customer, isSuccess: true, message: "Buy successfully" });
  });

  it("says a ✘ outcome is still a mined, paid transaction, and exits 1", async () => {
    // Sent past the check that would refuse it before sending: this test needs a mined ✘.
    const refused = await cli.market.buyCarbon(customer, "LOT-2", customer, { precheck: false });
    assert.equal(refused.ok, false);
    const { code, stdout } = await carbon(["tx", refused.txHash], cli.env);
    assert.equal(code, 1);
    assert.match(stdout, /^status {4}✘ mined, outcome isSuccess=false$/m);
    assert.match(stdout, /A ✘ outcome is still a mined transaction: it is in the block and its gas was paid/);
    const json = one((await carbon(["tx", refused.txHash, "--json"], cli.env)).stdout);
    assert.deepEqual([json.ok, json.exitCode, json.status, json.error], [false, 1, "success", refused.message]);
  });

  it("says a hash the node does not know was not found (exit 1), and refuses a malformed one (exit 2)", async () => {
    const unknown = "0x" + "ab".repeat(32);
    const { code, stdout, stderr } = await carbon(["tx", unknown], cli.env);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(stderr, `error: transaction ${unknown} not found; it may never have been sent or was dropped\n`);
    const json = await carbon(["tx", unknown, "--json"], cli.env);
    assert.deepEqual(one(json.stdout), { ok: false, error: `transaction ${unknown} not found; it may never have been sent or was dropped`, exitCode: 1 });
    const bad = await carbon(["tx", "0x1234"], cli.env);
    assert.equal(bad.code, 2);
    const badWait = await carbon(["tx", unknown, "--wait", "soon"], cli.env);
    assert.equal(badWait.code, 2);
  });

  it("reports a pending transaction (exit 4, with its hash), and --wait waits for it to be mined", async () => {
    const codec = new MarketCodec(marketArtifact().abi);
    await cli.rpc.request("miner_stop");
    let hash: string;
    try {
      hash = await cli.rpc.request<string>("eth_sendTransaction", [{ from: customer, to: cli.market.contracts.Carbon, gas: "0x100000", data: codec.encodeCall("buyCarbon", [customer, "LOT-3"]) }]);
      const pending = await carbon(["tx", hash, "--json"], cli.env);
      assert.equal(pending.code, 4);
      assert.deepEqual(one(pending.stdout), { ok: false, error: `transaction ${hash} is pending: sent, not yet mined; wait with \`carbon tx ${hash} --wait\``, exitCode: 4, txHash: hash });

      const waiting = carbon(["tx", hash, "--wait", "30"], cli.env);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await cli.rpc.request("miner_start");
      const mined = await waiting;
      assert.equal(mined.code, 0, mined.stderr);
      assert.match(mined.stdout, /^status {4}✔ success$/m);
      assert.match(mined.stdout, /^method {4}buyCarbon\(customerAddr=0x[0-9a-f]{40}, carbonID=LOT-3\)$/m);
    } finally {
      await cli.rpc.request("miner_start");
    }
    assert.equal((await cli.market.lot("LOT-3"))?.buyer, customer);
  });
});
