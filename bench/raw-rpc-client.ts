// The baseline of the CLI benchmark: the least a client can do for the same answer, as its own
// process. `call <url> <to> <data>...` makes the eth_calls in parallel and prints the results;
// `send <url> <from> <to> <data>` sends one transaction and waits for its receipt. The call data
// is encoded by the benchmark beforehand: this process loads nothing but Node itself.
async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

async function main(): Promise<void> {
  const [mode, url, ...rest] = process.argv.slice(2);
  if (mode === "call") {
    const [to, ...datas] = rest;
    const results = await Promise.all(datas.map((data) => rpc(url, "eth_call", [{ to, data }, "latest"])));
    console.log(results.map((r) => BigInt(r as string).toString()).join(" "));
  } else if (mode === "send") {
    const [from, to, data] = rest;
    const hash = await rpc(url, "eth_sendTransaction", [{ from, to, data, gas: "0x7a120" }]);
    type Receipt = { status: string; gasUsed: string } | null;
    let receipt = (await rpc(url, "eth_getTransactionReceipt", [hash])) as Receipt;
    while (!receipt) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      receipt = (await rpc(url, "eth_getTransactionReceipt", [hash])) as Receipt;
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
