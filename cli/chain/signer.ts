// Keys and signing for the CLI's write path: a transaction is signed on this machine whenever the
// key is here (a user's wallet, CARBON_MNEMONIC, or the embedded chain's well-known development
// keys), and by the node only when the node holds a key the CLI does not.
//
//   const keys = endpoint.keys();                        // endpoint.ts: the wallets, then the mnemonic, then the node
//   const signer = await findSigner(keys, from);         // undefined: nobody here holds that key
//   const raw = await signer.signTransaction({ to, data, nonce, gas, gasPrice, chainId });
//
// Signing is legacy (type 0) with EIP-155 replay protection, which every node here accepts (Ganache,
// anvil, public nodes). secp256k1 and keccak come straight from @noble/secp256k1 and @noble/hashes
// (~15 ms to load, against ~80 ms for @ethereumjs/tx and ~1 s for web3 + @truffle/contract), with
// Node's own HMAC. noble's default precomputation of the base point (~100 ms) is for long-running
// signers: a one-shot command signs with a small window (~15 ms), and a process that has signed
// many transactions (a batch, a benchmark) switches to the large one.
import type crypto from "node:crypto";
import { UsageError } from "../support/errors";
import type { Rpc } from "./rpc";

export interface UnsignedTx {
  to: string;
  data: string;
  nonce: bigint;
  gas: bigint;
  gasPrice: bigint;
  chainId: number;
  value?: bigint;
}

export interface Signer {
  readonly address: string;
  signTransaction(tx: UnsignedTx): Promise<string /* raw 0x… */>;
  /**
   * For a key only the node holds and that the node will not sign with (no eth_signTransaction):
   * the node signs and sends in one step (eth_sendTransaction, nonce given). Absent on local signers.
   */
  sendTransaction?(tx: UnsignedTx): Promise<string /* hash */>;
}

/** Where keys come from; the first source that holds the address wins. */
export interface KeySource {
  readonly name: string;
  signerFor(address: string): Promise<Signer | undefined>;
  addresses(): Promise<string[]>;
}

/** The development mnemonic of the embedded chain and anvil's default (never for real funds). */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * The first ten keys of DEV_MNEMONIC (m/44'/60'/0'/0/i), published with every copy of anvil and
 * Hardhat; kept here so that signing for the embedded chain costs no key derivation. A test derives
 * them again from the mnemonic.
 */
export const DEV_KEYS: readonly string[] = [
  "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  "92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  "4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
  "dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
  "2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
];
export const DEV_ADDRESSES: readonly string[] = [
  "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
  "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
  "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
  "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
  "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
  "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
  "0x976ea74026e726554db657fa54763abd0c3a0aa9",
  "0x14dc79964da2c08b23698b3d3cc7ca32193d9955",
  "0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f",
  "0xa0ee7a142d267c1f36714e4a8f75612f20a79720",
];

type Secp = typeof import("@noble/secp256k1");
let secp: Secp | undefined;
let signed = 0;
/** Signatures after which the large precomputation pays for itself. */
const MANY_SIGNATURES = 20;

function secp256k1(): Secp {
  if (!secp) {
    secp = require("@noble/secp256k1") as Secp;
    secp.utils.hmacSha256Sync = (key: Uint8Array, ...messages: Uint8Array[]) => {
      const hmac = nodeCrypto().createHmac("sha256", key);
      for (const message of messages) hmac.update(message);
      return new Uint8Array(hmac.digest());
    };
    secp.utils.precompute(2);
  }
  return secp;
}

/** node:crypto, loaded when a key is used (about 3 ms that reads need not pay). */
function nodeCrypto(): typeof crypto {
  return require("node:crypto") as typeof crypto;
}

export function keccak256(bytes: Uint8Array): Uint8Array {
  return (require("@noble/hashes/sha3") as typeof import("@noble/hashes/sha3")).keccak_256(bytes);
}

export function bytesToHex(bytes: Uint8Array): string {
  return "0x" + Buffer.from(bytes).toString("hex");
}

function hexToBytes(hex: string): Uint8Array {
  return Buffer.from(hex.replace(/^0x/, ""), "hex");
}

/** The address of a private key: the last 20 bytes of keccak256 of the uncompressed public key. */
export function addressOf(privateKey: Uint8Array): string {
  const publicKey = secp256k1().getPublicKey(privateKey, false).subarray(1);
  return bytesToHex(keccak256(publicKey).subarray(12));
}

/** The hash a signed transaction is known by. */
export function transactionHash(raw: string): string {
  return bytesToHex(keccak256(hexToBytes(raw)));
}

// ------------------------------------------------------------------ RLP and legacy transactions

function rlpLength(length: number, offset: number): Buffer {
  if (length < 56) return Buffer.from([offset + length]);
  const bytes = Buffer.from(length.toString(16).padStart(length.toString(16).length + (length.toString(16).length % 2), "0"), "hex");
  return Buffer.concat([Buffer.from([offset + 55 + bytes.length]), bytes]);
}

function rlpBytes(bytes: Uint8Array): Buffer {
  if (bytes.length === 1 && bytes[0] < 0x80) return Buffer.from(bytes);
  return Buffer.concat([rlpLength(bytes.length, 0x80), bytes]);
}

function rlpList(items: Uint8Array[]): Buffer {
  const body = Buffer.concat(items.map(rlpBytes));
  return Buffer.concat([rlpLength(body.length, 0xc0), body]);
}

/** A quantity as RLP wants it: big-endian, no leading zeros, zero as the empty string. */
function quantity(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? "0" + hex : hex, "hex");
}

/** Signs a legacy transaction with EIP-155 (v = chainId·2 + 35 + recovery); returns the raw transaction. */
export function signLegacy(tx: UnsignedTx, privateKey: Uint8Array): string {
  const fields = [quantity(tx.nonce), quantity(tx.gasPrice), quantity(tx.gas), hexToBytes(tx.to), quantity(tx.value ?? 0n), hexToBytes(tx.data)];
  const chainId = BigInt(tx.chainId);
  const digest = keccak256(rlpList([...fields, quantity(chainId), new Uint8Array(0), new Uint8Array(0)]));
  const curve = secp256k1();
  if (++signed === MANY_SIGNATURES) curve.utils.precompute(8);
  const [signature, recovery] = curve.signSync(digest, privateKey, { recovered: true, der: false });
  const v = chainId * 2n + 35n + BigInt(recovery);
  const r = BigInt(bytesToHex(signature.subarray(0, 32)));
  const s = BigInt(bytesToHex(signature.subarray(32, 64)));
  return bytesToHex(rlpList([...fields, quantity(v), quantity(r), quantity(s)]));
}

export class LocalSigner implements Signer {
  readonly address: string;
  private readonly key: Uint8Array;

  constructor(privateKey: Uint8Array | string, address?: string) {
    this.key = typeof privateKey === "string" ? hexToBytes(privateKey) : privateKey;
    this.address = (address ?? addressOf(this.key)).toLowerCase();
  }

  async signTransaction(tx: UnsignedTx): Promise<string> {
    return signLegacy(tx, this.key);
  }
}

// ------------------------------------------------------------------ key sources

/** Keys held in memory: the development keys, or a mnemonic's. */
export class PrivateKeySource implements KeySource {
  private signers?: Map<string, LocalSigner>;

  constructor(readonly name: string, private readonly keys: () => Array<{ key: Uint8Array | string; address?: string }>) {}

  private all(): Map<string, LocalSigner> {
    return (this.signers ??= new Map(this.keys().map(({ key, address }) => {
      const signer = new LocalSigner(key, address);
      return [signer.address, signer];
    })));
  }

  async signerFor(address: string): Promise<Signer | undefined> {
    return this.all().get(address.toLowerCase());
  }

  async addresses(): Promise<string[]> {
    return [...this.all().keys()];
  }
}

export const devKeySource = (): PrivateKeySource => new PrivateKeySource("the development keys", () => DEV_KEYS.map((key, i) => ({ key, address: DEV_ADDRESSES[i] })));

/** How many addresses a mnemonic gives, as truffle-config's `custom` network and HDWalletProvider do. */
export const MNEMONIC_ACCOUNTS = 10;

/** The keys m/44'/60'/0'/0/i of a BIP-39 mnemonic, as HDWalletProvider derives them. */
export function mnemonicKeys(mnemonic: string, count = MNEMONIC_ACCOUNTS): Uint8Array[] {
  const phrase = mnemonic.normalize("NFKD").trim().split(/\s+/).join(" ");
  const { validateMnemonic } = require("ethereum-cryptography/bip39") as typeof import("ethereum-cryptography/bip39");
  const { wordlist } = require("ethereum-cryptography/bip39/wordlists/english") as { wordlist: string[] };
  if (!validateMnemonic(phrase, wordlist)) throw new UsageError("CARBON_MNEMONIC is not a valid BIP-39 mnemonic (12 or 24 English words with a valid checksum)");
  // Node's own PBKDF2 (native) instead of the library's pure-JS one: ~1 ms against ~50 ms.
  const seed = nodeCrypto().pbkdf2Sync(phrase, "mnemonic", 2048, 64, "sha512");
  const { HDKey } = require("ethereum-cryptography/hdkey") as typeof import("ethereum-cryptography/hdkey");
  const account = HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'/0");
  return Array.from({ length: count }, (_, i) => account.deriveChild(i).privateKey!);
}

export const mnemonicKeySource = (mnemonic: string): PrivateKeySource =>
  new PrivateKeySource("CARBON_MNEMONIC", () => mnemonicKeys(mnemonic).map((key) => ({ key })));

/**
 * The node's unlocked accounts. If they are the development mnemonic's (the embedded chain, anvil,
 * a default Ganache), the keys are known and signing stays local; otherwise the node signs, with
 * eth_signTransaction when it offers it, else by sending itself (eth_sendTransaction).
 */
export class NodeKeySource implements KeySource {
  readonly name = "the node's accounts";
  private list?: Promise<string[]>;
  private canSign?: boolean;
  private readonly dev = devKeySource();

  constructor(private readonly rpc: Rpc, accounts?: Promise<string[]>) {
    this.list = accounts;
  }

  addresses(): Promise<string[]> {
    // A failure is not kept: the list is asked for again once the node is back.
    return (this.list ??= this.rpc.request<string[]>("eth_accounts").then(
      (list) => (Array.isArray(list) ? list.map((a) => a.toLowerCase()) : []),
      (error) => {
        this.list = undefined;
        throw error;
      },
    ));
  }

  async signerFor(address: string): Promise<Signer | undefined> {
    const wanted = address.toLowerCase();
    const accounts = await this.addresses();
    if (!accounts.includes(wanted)) return undefined;
    if (accounts.length > 0 && accounts.every((a, i) => a === DEV_ADDRESSES[i])) return this.dev.signerFor(wanted);
    return this.nodeSigner(wanted);
  }

  private nodeSigner(address: string): Signer {
    const rpc = this.rpc;
    const fields = (tx: UnsignedTx) => ({
      from: address, to: tx.to, data: tx.data, nonce: hexQuantity(tx.nonce), gas: hexQuantity(tx.gas), gasPrice: hexQuantity(tx.gasPrice), value: hexQuantity(tx.value ?? 0n), chainId: hexQuantity(BigInt(tx.chainId)),
    });
    const source = this;
    return {
      address,
      async signTransaction(tx) {
        if (source.canSign === false) throw new SigningUnsupported();
        try {
          const signed = await rpc.request<string | { raw: string }>("eth_signTransaction", [fields(tx)]);
          source.canSign = true;
          return typeof signed === "string" ? signed : signed.raw;
        } catch (error) {
          if (isMethodMissing(error)) {
            source.canSign = false;
            throw new SigningUnsupported();
          }
          throw error;
        }
      },
      sendTransaction: (tx) => rpc.request<string>("eth_sendTransaction", [fields(tx)]),
    };
  }
}

/** The node will not sign without sending (no eth_signTransaction): the writer falls back to sendTransaction. */
export class SigningUnsupported extends Error {
  constructor() {
    super("the node does not offer eth_signTransaction");
  }
}

function isMethodMissing(error: unknown): boolean {
  const { code, message } = error as { code?: number; message?: string };
  return code === -32601 || code === -32004 || /not (supported|found|available|implemented)|unsupported|does not exist|unknown method/i.test(message ?? "");
}

export function hexQuantity(value: bigint): string {
  return "0x" + value.toString(16);
}

export async function findSigner(sources: KeySource[], address: string): Promise<Signer | undefined> {
  for (const source of sources) {
    const signer = await source.signerFor(address);
    if (signer) return signer;
  }
  return undefined;
}
