// Keys of one's own: the keystore format (interoperable with web3.js, wrong passwords and tampered
// files told apart), the wallets folder's permissions, the local signer (a raw transaction the chain
// accepts from the key's address), `carbon wallet …` end to end, and `carbon login` as proof of
// possession plus the on-chain check.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { CHAIN_ID, DEV_MNEMONIC } from "../../cli/chain/ganache";
import { WalletKeySource } from "../../cli/wallet/key-source";
import { addressOf, decryptKey, DamagedKeystoreError, encryptKey, newPrivateKey, SCRYPT_PARAMS, WrongPasswordError } from "../../cli/wallet/keystore";
import { WalletStore } from "../../cli/wallet/store";
import { carbon, startMarket, type CliChain } from "./support/cli";

/** A cheap scrypt for the format tests; the product's own cost is asserted separately. */
const FAST = { n: 2 ** 10, r: 8, p: 1 };
/** Hardhat's and anvil's well-known account 0 of DEV_MNEMONIC. */
const DEV_KEY_0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DEV_ADDRESS_0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

function tempHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "carbon-wallet-"));
}

function json(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, `--json prints exactly one line, got:\n${stdout}`);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

describe("keystore (Web3 Secret Storage v3)", () => {
  it("round-trips a key, and web3.js opens our file with the same password", async () => {
    const key = Buffer.from(DEV_KEY_0, "hex");
    const keystore = await encryptKey(key, "correct horse", FAST);
    assert.equal("0x" + keystore.address, DEV_ADDRESS_0, "the file names the key's address");
    assert.deepEqual(Buffer.from(await decryptKey(keystore, "correct horse")), key, "our decrypt");
    const Web3 = require("web3") as new () => { eth: { accounts: { decrypt(k: object, p: string): { privateKey: string } } } };
    assert.equal(new Web3().eth.accounts.decrypt(keystore, "correct horse").privateKey, "0x" + DEV_KEY_0, "web3.js's decrypt");
  });

  it("opens a keystore web3.js wrote", async () => {
    const Web3 = require("web3") as new () => { eth: { accounts: { encrypt(k: string, p: string, o: object): object } } };
    const written = new Web3().eth.accounts.encrypt("0x" + DEV_KEY_0, "from web3", { n: 1024 });
    assert.equal(addressOf(await decryptKey(written as never, "from web3")), DEV_ADDRESS_0);
  });

  it("tells a wrong password from a file whose address was swapped", async () => {
    const keystore = await encryptKey(newPrivateKey(), "right", FAST);
    await assert.rejects(decryptKey(keystore, "wrong"), WrongPasswordError, "a wrong password fails the MAC");
    await assert.rejects(decryptKey({ ...keystore, address: DEV_ADDRESS_0.slice(2) }, "right"), DamagedKeystoreError, "the key does not belong to the address on the file");
    await assert.rejects(decryptKey({ ...keystore, crypto: { ...keystore.crypto, kdfparams: { ...keystore.crypto.kdfparams, n: 2 ** 30 } } }, "right"), DamagedKeystoreError, "a memory bomb is refused");
  });

  it("makes new keys with scrypt N=2^15, r=8, p=1, and opens one in well under a second", async () => {
    assert.deepEqual(SCRYPT_PARAMS, { n: 32768, r: 8, p: 1, dklen: 32 });
    const keystore = await encryptKey(newPrivateKey(), "pw");
    assert.equal(keystore.crypto.kdfparams.n, 32768, "the file records the cost");
    const started = performance.now();
    await decryptKey(keystore, "pw");
    const ms = performance.now() - started;
    assert.ok(ms < 700, `unlocking took ${ms.toFixed(0)} ms`);
  });
});

describe("the wallets folder", () => {
  it("is 0700 with 0600 files even under a permissive umask, and refuses a file others can read", async () => {
    const home = tempHome();
    const old = process.umask(0);
    try {
      const store = new WalletStore(path.join(home, "wallets"));
      const entry = store.add(await encryptKey(newPrivateKey(), "pw", FAST), "alice");
      assert.equal(fs.statSync(store.dir).mode & 0o777, 0o700, "folder mode");
      assert.equal(fs.statSync(entry.file).mode & 0o777, 0o600, "file mode");
      assert.match(path.basename(entry.file), new RegExp(`^UTC--.+--${entry.address.slice(2)}$`), "geth's file name");
      assert.deepEqual(store.find("alice")?.address, entry.address, "found by name");
      assert.deepEqual(store.find(entry.address.toUpperCase().replace("0X", "0x"))?.name, "alice", "found by address in any case");
      assert.throws(() => store.add(JSON.parse(fs.readFileSync(entry.file, "utf8"))), /already in/, "the same key twice");
      fs.chmodSync(entry.file, 0o644);
      const source = new WalletKeySource(store, async () => "pw");
      await assert.rejects(source.signerFor(entry.address), /readable by other users; run `chmod 600/, "an exposed file is not used");
    } finally {
      process.umask(old);
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe("carbon wallet", () => {
  let env: NodeJS.ProcessEnv;
  before(() => {
    env = { ...process.env, CARBON_HOME: tempHome(), FORCE_COLOR: "0", NO_COLOR: "1" };
    delete env.CARBON_PASSWORD;
    delete env.CARBON_MNEMONIC;
  });
  after(() => fs.rmSync(env.CARBON_HOME!, { recursive: true, force: true }));

  it("creates a named key from a password on stdin, lists it and gives its address", async () => {
    const created = await carbon(["wallet", "create", "--name", "alice", "--password-stdin", "--json"], env, { input: "pw alice\n" });
    assert.equal(created.code, 0, created.stderr);
    const wallet = json(created.stdout);
    assert.deepEqual(Object.keys(wallet), ["ok", "address", "name", "file"]);
    assert.match(String(wallet.address), /^0x[0-9a-f]{40}$/);
    const keystore = JSON.parse(fs.readFileSync(String(wallet.file), "utf8"));
    assert.equal(addressOf(await decryptKey(keystore, "pw alice")), wallet.address, "the password from stdin (newline stripped) opens it");

    const listed = await carbon(["wallet", "list", "--json"], env);
    assert.deepEqual(json(listed.stdout), { ok: true, wallets: [{ address: wallet.address, name: "alice", file: wallet.file }] });
    const text = await carbon(["wallet", "address", "alice"], env);
    assert.equal(text.stdout, `${wallet.address}\n`);
  });

  it("imports a key from a pipe (key, then password) and from CARBON_MNEMONIC", async () => {
    const piped = await carbon(["wallet", "import", "--name", "dev0", "--password-stdin", "--json"], env, { input: `0x${DEV_KEY_0}\nsecond line\n` });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(json(piped.stdout).address, DEV_ADDRESS_0);
    const again = await carbon(["wallet", "import", "--mnemonic-index", "0", "--password", "x", "--json"], { ...env, CARBON_MNEMONIC: DEV_MNEMONIC });
    assert.equal(again.code, 2, "index 0 of the dev mnemonic is the key just imported");
    assert.match(String(json(again.stdout).error), /^the key of 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266 is already in .* \(named "dev0"\)$/);
    const one = await carbon(["wallet", "import", "--mnemonic-index", "1", "--json"], { ...env, CARBON_MNEMONIC: DEV_MNEMONIC, CARBON_PASSWORD: "env pw" });
    assert.equal(one.code, 0, one.stderr);
    assert.equal(json(one.stdout).address, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "m/44'/60'/0'/0/1");
  });

  for (const [name, args, input, message] of [
    ["a malformed key", ["wallet", "import", "--password", "x"], "0x1234\n", "a private key is 64 hex digits (optionally after 0x)"],
    ["no password for a piped key", ["wallet", "import"], `${"11".repeat(32)}\n`, "no password for the imported key: pass --password-stdin (second line of input) or set CARBON_PASSWORD"],
    ["a name taken", ["wallet", "create", "--name", "alice", "--password", "x"], "", 'a wallet is already named "alice"; choose another name'],
    ["a name like an address", ["wallet", "create", "--name", "0xabc", "--password", "x"], "", 'wallet name "0xabc" must start with a letter and hold up to 32 letters, digits, ".", "-" or "_"'],
    ["no password and no terminal", ["wallet", "create"], "", "no password: pass --password-stdin (or --password <pw>, or set CARBON_PASSWORD), or run in a terminal to be asked"],
    ["an unknown name", ["wallet", "address", "bob"], "", "no wallet is named bob; see `carbon wallet list` or create one with `carbon wallet create --name bob`"],
  ] as const) {
    it(`refuses ${name}: exit 2, one line, nothing written`, async () => {
      const before = fs.readdirSync(path.join(env.CARBON_HOME!, "wallets")).sort();
      const ran = await carbon([...args], env, { input });
      assert.equal(ran.code, 2, ran.stderr);
      assert.equal(ran.stderr, `error: ${message}\n`);
      assert.deepEqual(fs.readdirSync(path.join(env.CARBON_HOME!, "wallets")).sort(), before, "no file added");
    });
  }
});

describe("signing and logging in on a chain", () => {
  let cli: CliChain;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    cli = await startMarket();
    env = { ...cli.env };
    delete env.CARBON_PASSWORD;
  });
  after(async () => {
    await cli.stop();
  });

  it("signs a transaction locally that the chain accepts as sent by the key's address", async () => {
    const store = new WalletStore(path.join(cli.chain.home, "signing-wallets"));
    const key = newPrivateKey();
    const entry = store.add(await encryptKey(key, "pw", FAST));
    await cli.rpc.request("eth_sendTransaction", [{ from: cli.accounts[0], to: entry.address, value: "0xde0b6b3a7640000" }]);
    const source = new WalletKeySource(store, async () => "pw");
    assert.equal(await source.signerFor(cli.accounts[5]), undefined, "no signer for an address without a wallet");
    const signer = (await source.signerFor(entry.address))!;
    const raw = await signer.signTransaction({ to: cli.accounts[5], data: "0x", nonce: 0n, gas: 21000n, gasPrice: 2_000_000_000n, chainId: CHAIN_ID, value: 5n });
    const hash = await cli.rpc.request<string>("eth_sendRawTransaction", [raw]);
    const receipt = await cli.rpc.request<{ status: string; from: string }>("eth_getTransactionReceipt", [hash]);
    assert.equal(receipt.status, "0x1");
    assert.equal(receipt.from, entry.address);
    const wrong = new WalletKeySource(store, async () => "not it");
    await assert.rejects(wrong.signerFor(entry.address), /^UsageError: the password does not open the key of 0x[0-9a-f]{40}$/);
  });

  it("logs the regulator in by opening its wallet, and refuses a password that does not open it (exit 1)", async () => {
    const imported = await carbon(["wallet", "import", "--mnemonic-index", "0", "--name", "teacher", "--password", "teach"], { ...env, CARBON_MNEMONIC: DEV_MNEMONIC });
    assert.equal(imported.code, 0, imported.stderr);
    const ok = await carbon(["login", "teacher", "--password-stdin", "--json"], env, { input: "teach\n" });
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(json(ok.stdout), { ok: true, address: cli.accounts[0], name: null, regulator: true, key: "wallet", wallet: "teacher", roles: [], registered: { customer: false, seller: false } });
    const text = await carbon(["login", "teacher", "--password", "teach"], env);
    assert.equal(text.stdout, `✔ Logged in: ${cli.accounts[0]} is the regulator\nThe regulator has no password on chain: opening its key is its login.\n`);
    const bad = await carbon(["login", cli.accounts[0], "--password", "guess"], env);
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, `✘ Wrong password: it does not open the key of ${cli.accounts[0]}\nThe regulator has no password on chain: opening its key is its login.\n`);
  });

  it("registers a key of one's own, signed locally by it, and asks its password before anything is sent", async () => {
    const home = tempHome();
    const student = { ...env, CARBON_HOME: home };
    try {
      const created = await carbon(["wallet", "create", "--name", "me", "--password", "my pw", "--json"], student);
      const address = String(json(created.stdout).address);
      await cli.rpc.request("eth_sendTransaction", [{ from: cli.accounts[1], to: address, value: "0xde0b6b3a7640000" }]);

      const height = await cli.rpc.request<string>("eth_blockNumber");
      const wrong = await carbon(["register", "customer", address, "--password", "not mine"], student);
      assert.equal(wrong.code, 2, wrong.stderr);
      assert.equal(wrong.stderr, `error: the password does not open the key of ${address} (wallet "me")\n`);
      const locked = await carbon(["register", "customer", address], student);
      assert.equal(locked.code, 2);
      assert.match(locked.stderr, /^error: no password: pass --password-stdin/);
      assert.equal(await cli.rpc.request<string>("eth_blockNumber"), height, "nothing was sent");

      const registered = await carbon(["register", "customer", address, "--password-stdin", "--json"], student, { input: "my pw\n" });
      assert.equal(registered.code, 0, registered.stderr);
      const body = json(registered.stdout);
      assert.equal(body.ok, true, registered.stdout);
      const receipt = await cli.rpc.request<{ from: string }>("eth_getTransactionReceipt", [body.txHash]);
      assert.equal(receipt.from, address, "sent by the account itself, signed with its wallet key");
      assert.equal((await cli.market.roles(address)).customer, true);

      const login = await carbon(["login", "me", "--json"], { ...student, CARBON_PASSWORD: "my pw" });
      assert.equal(login.code, 0, login.stderr);
      assert.deepEqual(json(login.stdout).roles, ["customer"], "the keystore's password is the account's password on chain");
      const bad = await carbon(["login", "me", "--password", "nope", "--json"], student);
      assert.equal(bad.code, 1);
      assert.equal(json(bad.stdout).message, `the password does not open the key of ${address}`);

    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it("refuses to log in as an address whose key nobody here holds (exit 2, before asking the chain)", async () => {
    const stranger = "0x" + "ab".repeat(20);
    const ran = await carbon(["login", stranger, "--password", "sunshine"], env);
    assert.equal(ran.code, 2);
    assert.equal(ran.stderr, `error: no key for ${stranger} here: logging in proves you hold it; import it with \`carbon wallet import\`, or create your own with \`carbon wallet create\`\n`);
  });
});
