// `records` for an account with no history does not grow with the chain: the first scan proves it
// for every block since the deployment, CARBON_HOME remembers up to which block (with its hash), and
// the next `records` reads only the blocks mined since. Counted in eth_getLogs ranges through a
// proxy, never timed. New activity still shows, and a chain that lost the remembered block is
// scanned afresh.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { carbon, revert, snapshot, startMarket, type CliChain } from "./support/cli";
import { startProxy, type Proxy } from "./support/proxy";

let cli: CliChain;
let proxy: Proxy;
let env: NodeJS.ProcessEnv;
let first: number;
let quiet: string;

before(async () => {
  cli = await startMarket();
  proxy = await startProxy(cli.chain.url);
  env = { ...cli.env, CARBON_RPC_URL: proxy.url };
  quiet = cli.accounts[9];
  first = Number(await cli.market.deploymentBlock());
});

after(async () => {
  await proxy.close();
  await cli.stop();
});

/** Mines `blocks` empty blocks at once (Ganache's evm_mine with a count). */
async function mineEmpty(blocks: number): Promise<number> {
  await cli.rpc.request("evm_mine", [{ blocks }]);
  return Number(await cli.rpc.request<string>("eth_blockNumber"));
}

/** `carbon records <account> --json` through the proxy: its records and the block ranges of its log queries. */
async function records(account: string): Promise<{ records: Array<{ operation: string }>; ranges: Array<[number, number]> }> {
  const seen = proxy.calls.length;
  const ran = await carbon(["records", account, "--json"], env);
  assert.equal(ran.code, 0, ran.stderr);
  const ranges = proxy.calls
    .slice(seen)
    .filter((call) => call.method === "eth_getLogs")
    .map((call) => {
      const { fromBlock, toBlock } = call.params[0] as { fromBlock: string; toBlock: string };
      return [Number(fromBlock), Number(toBlock)] as [number, number];
    });
  return { records: JSON.parse(ran.stdout).records, ranges };
}

/** The distinct blocks the ranges cover (each address filter queries the same range). */
function covered(ranges: Array<[number, number]>): Set<number> {
  const blocks = new Set<number>();
  for (const [from, to] of ranges) for (let block = from; block <= to; block++) blocks.add(block);
  return blocks;
}

describe("records of an account with no history", () => {
  let checkpoint: string;
  let firstHead: number;

  it("the first scan reads every block from the deployment to the head", async () => {
    checkpoint = await snapshot(cli);
    firstHead = await mineEmpty(3_000);
    const { records: rows, ranges } = await records(quiet);
    assert.deepEqual(rows, []);
    const blocks = covered(ranges);
    assert.equal(blocks.size, firstHead - first + 1, "every block since the deployment, once");
    assert.ok(blocks.has(first) && blocks.has(firstHead));
  });

  it("the next scan reads only the blocks mined since, however long the chain", async () => {
    const head = await mineEmpty(6_000);
    const { records: rows, ranges } = await records(quiet);
    assert.deepEqual(rows, []);
    const blocks = covered(ranges);
    assert.equal(blocks.size, head - firstHead, "the 6,000 new blocks only");
    assert.ok(Math.min(...blocks) === firstHead + 1 && Math.max(...blocks) === head);
    const again = await records(quiet);
    assert.equal(covered(again.ranges).size, 0, "nothing mined since: no log query at all");
  });

  it("activity after the remembered block is shown", async () => {
    await cli.market.newCustomer(quiet, "pw-quiet");
    const { records: rows, ranges } = await records(quiet);
    assert.deepEqual(rows.map((row) => row.operation), ["NewCustomer"]);
    assert.ok(Math.min(...covered(ranges)) > firstHead, "still only the blocks after the remembered one");
  });

  it("a chain that lost the remembered block is scanned afresh", async () => {
    await revert(cli, checkpoint); // back before the 9,000 empty blocks and the registration
    const head = await mineEmpty(10);
    const { records: rows, ranges } = await records(quiet);
    assert.deepEqual(rows, [], "the registration is gone with its block");
    assert.equal(covered(ranges).size, head - first + 1, "every block since the deployment again");
  });
});
