// The gate's lane of remote work, against a stand-in chain whose every eth_call takes 250 ms: the
// chain-time share per remote address (cli/gate/limits.ts) is checked again when a request's turn
// comes, so requests sent together cannot all run on the one share, and another address still gets
// its turn; and a request the chain never answers does not hold the lane for ever.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { BUSY, startGate, type Gate } from "../../cli/gate/gate";
import type { Reply, Upstream } from "../../cli/gate/upstream";
import { postFrom } from "../start/harness";

const CALL_MS = 250;
const STUCK_MS = 1_500;
/** The call data the stand-in chain never answers, as Ganache did a transaction waiting for a nonce gap. */
const NEVER_ANSWERED = "0xdead";
const PORT = 18_547;
let gate: Gate;
const ran: string[] = [];

/** A chain that answers at once, but holds 250 ms on every eth_call, as a looping call would. */
const slowChain: Upstream = {
  async answer(id, method, params): Promise<Reply> {
    if (method === "eth_call" && (params[0] as { data?: string }).data === NEVER_ANSWERED) return new Promise<Reply>(() => undefined);
    if (method === "eth_call") {
      ran.push(String((params[0] as { data?: string }).data));
      await new Promise((resolve) => setTimeout(resolve, CALL_MS));
    }
    return { jsonrpc: "2.0", id, result: method === "eth_chainId" ? "0x539" : "0x" };
  },
  async request<T>(method: string): Promise<T> {
    return (method === "eth_blockNumber" ? "0x1" : "0x") as T;
  },
};

before(async () => {
  gate = await startGate({ host: "127.0.0.1", port: PORT, upstream: slowChain, served: true, marketReady: async () => true, stuckMs: STUCK_MS });
});

after(async () => {
  await gate.close();
});

it("runs one address's queued calls only while its share lasts, and answers the rest busy at their turn", async () => {
  const url = `http://127.0.0.1:${PORT}`;
  const call = (data: string, from: string) => postFrom(url, { jsonrpc: "2.0", id: data, method: "eth_call", params: [{ to: "0x" + "11".repeat(20), data }, "latest"] }, from) as Promise<Reply>;
  const flood = Array.from({ length: 8 }, (_, i) => call(`0xa${i}`, "127.0.0.3"));
  await new Promise((resolve) => setTimeout(resolve, 20)); // the flood is queued first
  const classmate = call("0xb0", "127.0.0.4");
  const replies = await Promise.all(flood);
  const answered = replies.filter((reply) => !reply.error).length;
  const busy = replies.filter((reply) => reply.error?.code === BUSY);
  // 600 ms saved up at 250 ms a call: three run (the third on what is left), the other five are busy.
  assert.ok(answered >= 2 && answered <= 3, `${answered} of 8 ran on a 600 ms share of 250 ms calls`);
  assert.equal(busy.length, 8 - answered, "the rest are answered busy, not run");
  assert.match(busy[0].error!.message, /used its share of the chain's time; retry in \d+ ms/);
  assert.equal(ran.filter((data) => data.startsWith("0xa")).length, answered, "the busy ones never reached the chain");
  const mine = await classmate;
  assert.equal(mine.error, undefined, "another address's call runs");
});

it("goes on without a request the chain never answers, answering it with an error, and the next address's call runs", async () => {
  const url = `http://127.0.0.1:${PORT}`;
  const call = (data: string, from: string) => postFrom(url, { jsonrpc: "2.0", id: data, method: "eth_call", params: [{ to: "0x" + "11".repeat(20), data }, "latest"] }, from, 10_000) as Promise<Reply>;
  const started = Date.now();
  const stuck = call(NEVER_ANSWERED, "127.0.0.5");
  await new Promise((resolve) => setTimeout(resolve, 20));
  const classmate = await call("0xc0", "127.0.0.6");
  const waited = Date.now() - started;
  assert.equal(classmate.error, undefined, "the classmate's call behind it is answered");
  assert.ok(waited >= STUCK_MS && waited < STUCK_MS + 2_000, `the lane went on after the ${STUCK_MS} ms limit (${waited} ms)`);
  const own = await stuck;
  assert.match(own.error?.message ?? "", /eth_call was not answered within 1.5 s; the gate went on without it/, "the stuck request's caller is told");
});
