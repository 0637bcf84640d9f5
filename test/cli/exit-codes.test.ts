// Exit code 3 (no node, or no market on it) and help: the cases that need no market, or a chain
// without one. Exit codes 1 and 2 are covered beside the commands (scripted, bad-input).
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { freePort, startTestChain, type TestChain } from "../support/test-chain";
import { carbon } from "./support/cli";

const baseEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" };
delete baseEnv.CARBON_MNEMONIC;
delete baseEnv.CARBON_RPC_URL;

describe("no node at the URL", () => {
  it("exits 3 and says how to start one, for --rpc", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { code, stdout, stderr } = await carbon(["--rpc", url, "balance", "1"], baseEnv);
    assert.equal(code, 3);
    assert.equal(stdout, "");
    assert.equal(stderr, `error: no Ethereum node answers at ${url}; start one with \`npm start\` (or \`npm run chain\`)\n`);
  });

  it("exits 3 for CARBON_RPC_URL, and prints one JSON object with --json", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { code, stdout } = await carbon(["buy", "1", "LOT-1", "--json"], { ...baseEnv, CARBON_RPC_URL: url });
    assert.equal(code, 3);
    assert.deepEqual(JSON.parse(stdout), { ok: false, error: `no Ethereum node answers at ${url}; start one with \`npm start\` (or \`npm run chain\`)`, exitCode: 3 });
  });

  it("exits 3 when what answers is not an Ethereum node", async () => {
    const server = http.createServer((_, response) => response.end("<html>hello</html>"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const { code, stderr } = await carbon(["--rpc", url, "market"], baseEnv);
      assert.equal(code, 3);
      assert.match(stderr, /^error: the server at http:\/\/127\.0\.0\.1:\d+ is not an Ethereum JSON-RPC node: it answered .* with an HTML page \(HTTP 200\): a web server, not a node\n$/);
    } finally {
      server.close();
    }
  });
});

describe("a node without the market", () => {
  let chain: TestChain;
  before(async () => {
    chain = await startTestChain();
  });
  after(async () => {
    await chain.stop();
  });

  it("exits 3 and says to migrate, even though the artifact has an address for this network id", async () => {
    const { code, stdout, stderr } = await carbon(["balance", "1"], { ...baseEnv, CARBON_HOME: chain.home, CARBON_RPC_URL: chain.url });
    assert.equal(code, 3);
    assert.equal(stdout, "");
    assert.equal(stderr, `error: the contracts are not deployed on ${chain.url}; run \`npm run migrate\`\n`);
  });
});

describe("help", () => {
  it("lists every command and exits 0", async () => {
    const { code, stdout } = await carbon(["--help"], baseEnv);
    assert.equal(code, 0);
    for (const command of ["accounts", "register", "login", "issue", "add-carbon", "buy", "settle", "balance", "carbons", "carbon", "records", "market", "freeze", "unfreeze", "interactive"]) {
      assert.match(stdout, new RegExp(`^  ${command}\\b`, "m"), `--help lists ${command}`);
    }
  });

  it("explains a command's arguments and options", async () => {
    const { code, stdout } = await carbon(["buy", "--help"], baseEnv);
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: carbon buy \[options\] <customer> <carbonId>$/m);
    assert.match(stdout, /--from <account>\s+the sender \(default: the customer\)/);
  });
});
