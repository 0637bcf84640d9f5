// A student's interactive session on a class chain, as from another machine (requests leave from
// 127.0.0.3): the menu offers only keys of one's own (the node's accounts are not theirs), "Create
// an account" makes a key, gets gas money from the class chain and registers the account with a
// transaction it signs itself, and "Sign in with your key" opens it again with its password.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { connect } from "../../cli/chain/connect";
import type { Market } from "../../cli/chain/market";
import { Terminal } from "../cli/support/terminal";
import { startRemoteProxy, type RemoteProxy } from "../support/remote-proxy";
import { startClassChain, type ClassChain } from "./harness";

let served: ClassChain;
let proxy: RemoteProxy;
let market: Market;
let studentEnv: NodeJS.ProcessEnv;

before(async () => {
  served = await startClassChain();
  proxy = await startRemoteProxy({ host: "127.0.0.2", port: served.where.port });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "carbon-student-"));
  studentEnv = { ...served.where.env, CARBON_HOME: home, CARBON_RPC_URL: proxy.url };
  delete studentEnv.CARBON_PASSWORD;
  process.env.CARBON_HOME = served.where.home;
  market = await connect({ rpc: served.url });
});

after(async () => {
  market?.close();
  await proxy?.close();
  if (studentEnv?.CARBON_HOME) fs.rmSync(studentEnv.CARBON_HOME, { recursive: true, force: true });
  await served?.stop();
});

describe("a student's session on a class chain", { timeout: 5 * 60_000 }, () => {
  it("creates an account (key, gas money, self-registration) and signs in with it again", async () => {
    let address: string;
    const first = new Terminal([], studentEnv);
    try {
      await first.waitFor(/Sign in as[\s\S]*1\. Sign in with your key[\s\S]*2\. Create an account \(a key of your own\)[\s\S]*3\. Quit/, 60_000);
      assert.doesNotMatch(first.transcript, /the node's key/, "no node account is offered to a remote student");
      await first.choose(2);
      await first.waitFor("Create an account as");
      await first.choose(1);
      await first.waitFor("A name for your key");
      await first.line("ana");
      await first.waitFor("Choose a password");
      await first.line("ana's pw");
      await first.waitFor("Repeat the password");
      await first.line("ana's pw");
      const screen = await first.waitFor(/✔ Registration succeeded[\s\S]*Customer 0x[0-9a-f]{40}/, 90_000);
      address = /Customer (?:\S+ )?(0x[0-9a-f]{40})/.exec(screen)![1];
    } finally {
      first.kill();
    }
    assert.equal((await market.roles(address)).customer, true, "registered on the class chain");
    const sent = Number(await served.where.rpc.request<string>("eth_getTransactionCount", [address, "latest"]));
    assert.equal(sent, 1, "the registration was the new key's own transaction");

    const again = new Terminal([], studentEnv);
    try {
      await again.waitFor("Sign in as", 60_000);
      await again.choose(1);
      await again.waitFor(/Which key\?[\s\S]*ana/);
      await again.type("\r");
      await again.waitFor("Password");
      await again.line("ana's pw");
      await again.waitFor(`✔ Logged in: ana ${address} is a customer`, 60_000);
    } finally {
      again.kill();
    }
  });
});
