// Faults named: a server that is not a node gets one line saying what it answered (exit 3, the cause
// under --debug); a slow node is a timeout, not "no node"; a write whose outcome the CLI could not
// see is exit 4 with its hash, which the chain settles later, and running the same command again
// waits for that transaction instead of sending a second one.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { carbon, startMarket, type CliChain } from "./support/cli";
import { startProxy } from "./support/proxy";

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

async function serve(handler: Handler, tls?: { key: string; cert: string }): Promise<{ url: string; close(): Promise<void> }> {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const answer = (type: string, body: string): Handler => (_, response) => {
  response.writeHead(200, { "content-type": type });
  response.end(body);
};

const GARBAGE: Array<{ what: string; handler: Handler; seen: RegExp }> = [
  { what: "{}", handler: answer("application/json", "{}"), seen: /answered .* with `\{\}`, which is not a JSON-RPC reply$/ },
  { what: "null", handler: answer("application/json", "null"), seen: /answered .* with `null`, which is not a JSON-RPC reply$/ },
  { what: "an HTML page", handler: answer("text/html", "<!doctype html><html><head><title>Welcome to nginx!</title></head></html>"), seen: /answered .* with an HTML page \("Welcome to nginx!"\) \(HTTP 200\): a web server, not a node$/ },
  { what: "plain text", handler: answer("text/plain", "hello there\nsecond line"), seen: /answered .* with text \(HTTP 200\): "hello there"$/ },
  { what: "a closed socket", handler: (request) => request.socket.destroy(), seen: /closed the connection without answering eth_\w+: a node restarting behind a proxy or tunnel, or no Ethereum JSON-RPC node/ },
  { what: "nothing at all", handler: () => undefined, seen: /did not answer .* within 1 s: it is up but busy or stuck; try again/ },
];

describe("a server that is not an Ethereum node", () => {
  const env = { ...process.env, CARBON_RPC_TIMEOUT_MS: "1000", NO_COLOR: "1" };
  for (const { what, handler, seen } of GARBAGE) {
    it(`answering ${what}: exit 3 and one line naming it`, async () => {
      const server = await serve(handler);
      try {
        const { code, stdout, stderr } = await carbon(["--rpc", server.url, "balance", "1"], env, { timeoutMs: 20_000 });
        assert.equal(code, 3, stderr);
        assert.equal(stdout, "");
        const lines = stderr.trimEnd().split("\n");
        assert.equal(lines.length, 1, `one line: ${stderr}`);
        assert.match(lines[0], /^error: /);
        assert.match(lines[0], seen);
        assert.doesNotMatch(lines[0], /no Ethereum node answers/, "not reported as no node");
        const json = await carbon(["--rpc", server.url, "--json", "market"], env, { timeoutMs: 20_000 });
        assert.equal(json.code, 3);
        assert.deepEqual(Object.keys(JSON.parse(json.stdout)), ["ok", "error", "exitCode"]);
      } finally {
        await server.close();
      }
    });
  }

  it("with --debug, the cause follows the line", async () => {
    const server = await serve(answer("text/html", "<html><body>It works!</body></html>"));
    try {
      const { code, stderr } = await carbon(["--rpc", server.url, "--debug", "balance", "1"], env);
      assert.equal(code, 3);
      assert.match(stderr, /Caused by: <html><body>It works!/);
    } finally {
      await server.close();
    }
  });

  it("with a certificate nobody vouches for: exit 3 naming the certificate", async (t) => {
    const dir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "carbon-tls-"));
    try {
      try {
        execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")], { stdio: "ignore" });
      } catch {
        t.skip("openssl is not installed: no certificate to test with");
        return;
      }
      const server = await serve(answer("application/json", '{"jsonrpc":"2.0","id":1,"result":"0x1"}'), { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") });
      try {
        const { code, stderr } = await carbon(["--rpc", server.url, "balance", "1"], env);
        assert.equal(code, 3, stderr);
        assert.match(stderr, /^error: the server at https:\/\/127\.0\.0\.1:\d+ is not an Ethereum JSON-RPC node: its TLS certificate is not trusted \(\w+/);
      } finally {
        await server.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a node that is slow or gone during a write", () => {
  let cli: CliChain;
  let customer: string;

  before(async () => {
    cli = await startMarket();
    customer = cli.accounts[1];
    await cli.market.newCustomer(customer, "pw");
  });

  after(async () => {
    await cli.stop();
  });

  it("a send the node answers too late: exit 4 with the hash; the chain settles it; the same command again sends nothing new", async () => {
    let delayed = 0;
    const proxy = await startProxy(cli.chain.url, async ({ method }) => {
      if (method === "eth_sendRawTransaction" && delayed++ === 0) await new Promise((resolve) => setTimeout(resolve, 2_500));
      return undefined;
    });
    try {
      const env = { ...cli.env, CARBON_RPC_URL: proxy.url, CARBON_RPC_TIMEOUT_MS: "1000" };
      const before = await cli.market.customerCarbonAmount(customer);
      const first = await carbon(["issue", "1", "7", "--json"], env);
      assert.equal(first.code, 4, first.stdout + first.stderr);
      const reply = JSON.parse(first.stdout);
      assert.equal(reply.ok, false);
      assert.equal(reply.exitCode, 4);
      assert.match(reply.txHash, /^0x[0-9a-f]{64}$/);
      assert.match(reply.error, new RegExp(`^sent, outcome unknown: transaction ${reply.txHash} was sent but the node did not confirm receiving it \\(no answer to eth_sendRawTransaction within 1 s\\); it may still be mined\\. Run \`carbon tx ${reply.txHash}\``));

      // Run again at once, while the first may still be mined: it must wait for that one, not send another.
      const again = await carbon(["issue", "1", "7", "--json"], env);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(JSON.parse(again.stdout).txHash, reply.txHash, "the earlier transaction's outcome, not a second one");
      const settled = await cli.market.transactionStatus(reply.txHash);
      assert.deepEqual([settled.state, settled.outcome?.ok], ["mined", true], "the chain mined it");
      assert.equal(await cli.market.customerCarbonAmount(customer), before + 7n, "issued once");
      const third = await carbon(["issue", "1", "7"], env);
      assert.equal(third.code, 0, third.stderr);
      assert.equal(await cli.market.customerCarbonAmount(customer), before + 14n, "once settled, the same command is a new transaction");
    } finally {
      await proxy.close();
    }
  });

  it("a receipt that never comes: exit 4 with the hash, in text the hash printed before the wait", async () => {
    let hold = true;
    const proxy = await startProxy(cli.chain.url, ({ method }) => (hold && method === "eth_getTransactionReceipt" ? { result: null } : undefined));
    try {
      const env = { ...cli.env, CARBON_RPC_URL: proxy.url, CARBON_TX_TIMEOUT_MS: "1500" };
      const ran = await carbon(["issue", "1", "5"], env);
      assert.equal(ran.code, 4, ran.stderr);
      const [sent, error] = ran.stderr.trimEnd().split("\n");
      const hash = /^tx (0x[0-9a-f]{64}) sent; waiting for it to be mined$/.exec(sent)?.[1];
      assert.ok(hash, `the hash first: ${ran.stderr}`);
      assert.equal(error, `error: sent, outcome unknown: transaction ${hash} was sent but it was not mined within 2 s; it may still be mined. Run \`carbon tx ${hash}\` to see its outcome (running the same command again waits for it instead of sending another)`);
      hold = false;
      const status = await cli.market.transactionStatus(hash!);
      assert.deepEqual([status.state, status.outcome?.ok], ["mined", true], "Ganache mined it: the chain decides");
    } finally {
      await proxy.close();
    }
  });

  it("an invalid deployment record: exit 3 with one line", async () => {
    const home = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "carbon-book-"));
    try {
      fs.writeFileSync(path.join(home, "deployments.json"), "{ not json");
      const { code, stderr } = await carbon(["balance", "1"], { ...cli.env, CARBON_HOME: home });
      assert.equal(code, 3, stderr);
      assert.equal(stderr.trimEnd().split("\n").length, 1);
      assert.match(stderr, /deployments\.json is not valid JSON/);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
