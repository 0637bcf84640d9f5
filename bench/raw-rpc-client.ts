// The baseline of the command benchmark: the least a client can do for the same answer, as its own
// process, over node:http. `call <url> <to> <data>...` makes the eth_calls in one batch and prints
// the results; `send <url> <key> <to> <data>` reads the nonce and gas price in one batch, signs
// locally (the same noble primitives the CLI uses), sends, and polls for the receipt. The call data
// is encoded by the benchmark beforehand.
import http from "node:http";

const agent = new http.Agent({ keepAlive: true });

function post(url: string, payload: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json" } }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve(JSON.parse(body)));
    });
    request.on("error", reject);
    request.end(JSON.stringify(payload));
  });
}

async function rpc(url: string, method: string, params: unknown[]): Promise<any> {
  const body = await post(url, { jsonrpc: "2.0", id: 1, method, params });
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

async function main(): Promise<void> {
  const [mode, url, ...rest] = process.argv.slice(2);
  if (mode === "call") {
    const [to, ...datas] = rest;
    const replies = (await post(url, datas.map((data, id) => ({ jsonrpc: "2.0", id, method: "eth_call", params: [{ to, data }, "latest"] })))) as Array<{ result: string }>;
    console.log(replies.map((r) => r.result.slice(0, 66)).join(" "));
  } else if (mode === "send") {
    const [key, from, to, data] = rest;
    const { signLegacy, transactionHash } = require("../cli/chain/signer") as typeof import("../cli/chain/signer");
    const [nonce, gasPrice, chainId] = (await post(url, [
      { jsonrpc: "2.0", id: 1, method: "eth_getTransactionCount", params: [from, "pending"] },
      { jsonrpc: "2.0", id: 2, method: "eth_gasPrice", params: [] },
      { jsonrpc: "2.0", id: 3, method: "eth_chainId", params: [] },
    ])).map((reply: { result: string }) => BigInt(reply.result));
    const raw = signLegacy({ to, data, nonce, gas: 500_000n, gasPrice, chainId: Number(chainId) }, Buffer.from(key, "hex"));
    const hash = transactionHash(raw);
    await rpc(url, "eth_sendRawTransaction", [raw]);
    let receipt = await rpc(url, "eth_getTransactionReceipt", [hash]);
    while (!receipt) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      receipt = await rpc(url, "eth_getTransactionReceipt", [hash]);
    }
    console.log(hash, receipt.status, BigInt(receipt.gasUsed).toString());
  } else {
    throw new Error(`usage: raw-rpc-client call|send <url> …`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
