// The write path's signing and nonce lock, without a chain: the development keys are the dev
// mnemonic's, a legacy EIP-155 transaction signed here is byte for byte what @ethereumjs/tx (web3's
// signer) makes of it, and the nonce lock survives a holder killed without a word.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { DEV_ADDRESSES, DEV_KEYS, DEV_MNEMONIC, addressOf, mnemonicKeys, signLegacy, transactionHash } from "../../cli/chain/signer";

describe("signing", () => {
  it("the development keys are the dev mnemonic's m/44'/60'/0'/0/0..9, and their addresses", () => {
    const derived = mnemonicKeys(DEV_MNEMONIC).map((key) => Buffer.from(key).toString("hex"));
    assert.deepEqual(derived, [...DEV_KEYS]);
    assert.deepEqual(DEV_KEYS.map((key) => addressOf(Buffer.from(key, "hex"))), [...DEV_ADDRESSES]);
  });

  it("a legacy EIP-155 transaction is the same bytes and hash as @ethereumjs/tx signs", () => {
    const { Transaction } = require("@ethereumjs/tx") as typeof import("@ethereumjs/tx");
    const Common = (require("@ethereumjs/common") as { default: typeof import("@ethereumjs/common").default }).default;
    for (const [chainId, nonce, value] of [[1337, 0n, 0n], [31337, 255n, 1n], [11155111, 70000n, 10n ** 18n]] as const) {
      const tx = { to: "0x5fbdb2315678afecb367f032d93f642f64180aa3", data: "0x3e58c58c" + "00".repeat(31) + "2a", nonce, gas: 300_000n, gasPrice: 2_000_000_000n, chainId, value };
      const mine = signLegacy(tx, Buffer.from(DEV_KEYS[1], "hex"));
      const common = Common.custom({ chainId, networkId: chainId });
      const hex = (n: bigint) => "0x" + n.toString(16);
      const theirs = Transaction.fromTxData({ to: tx.to, data: tx.data, nonce: hex(tx.nonce), gasLimit: hex(tx.gas), gasPrice: hex(tx.gasPrice), value: hex(tx.value) }, { common }).sign(Buffer.from(DEV_KEYS[1], "hex"));
      assert.equal(mine, "0x" + theirs.serialize().toString("hex"), `chain ${chainId}, nonce ${nonce}`);
      assert.equal(transactionHash(mine), "0x" + Buffer.from(theirs.hash()).toString("hex"));
      assert.equal(theirs.getSenderAddress().toString().toLowerCase(), DEV_ADDRESSES[1], "recovers to the signer");
    }
  });

  it("refuses a mnemonic with a bad checksum, naming CARBON_MNEMONIC", () => {
    assert.throws(() => mnemonicKeys("test test test test test test test test test test test test"), /CARBON_MNEMONIC is not a valid BIP-39 mnemonic/);
  });
});

describe("the nonce lock", () => {
  const script = (home: string, body: string) =>
    spawnSync(process.execPath, ["-e", `process.env.CARBON_HOME=${JSON.stringify(home)};const {withNonce}=require(${JSON.stringify(path.resolve(__dirname, "../../cli/chain/nonces.js"))});${body}`], { encoding: "utf8", timeout: 20_000 });

  it("a lock left by a killed process is broken, and the nonce is taken", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "carbon-lock-"));
    try {
      // A holder that takes the lock and dies of SIGKILL inside it.
      const killed = script(home, `withNonce(1,"0xabc",async()=>7n,async()=>{process.kill(process.pid,"SIGKILL")})`);
      assert.equal(killed.signal, "SIGKILL");
      assert.ok(fs.existsSync(path.join(home, "locks", "1-0xabc.lock")), "the dead holder's lock is still there");
      const next = script(home, `withNonce(1,"0xabc",async()=>9n,async(g)=>{g.used();console.log(String(g.nonce))})`);
      assert.equal(next.status, 0, next.stderr);
      assert.equal(next.stdout.trim(), "9", "the next writer got the lock and the node's count");
      assert.ok(!fs.existsSync(path.join(home, "locks", "1-0xabc.lock")), "and released it");
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it("in one process, writers queue: each gets the next nonce without asking the node again", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "carbon-lock-"));
    try {
      const ran = script(home, `let asked=0;Promise.all([1,2,3,4].map(()=>withNonce(1,"0xdef",async()=>{asked++;return 5n},async(g)=>{g.used();return g.nonce}))).then((n)=>console.log(n.join(","),asked))`);
      assert.equal(ran.status, 0, ran.stderr);
      assert.equal(ran.stdout.trim(), "5,6,7,8 1");
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
