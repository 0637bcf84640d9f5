// Web3 Secret Storage v3 (the keystore format of geth, web3.js and MetaMask exports): a private key
// encrypted with AES-128-CTR under a key derived from the password by scrypt, and a keccak MAC that
// tells a wrong password from a damaged file. Built on ethereum-cryptography's primitives (audited
// @noble code, ~15 ms to load) rather than web3-eth-accounts (~250 ms to load, and its pure-JS
// scrypt runs at half the speed), so a login spends its time on the KDF and not on loading.
//
//   const keystore = await encryptKey(privateKey, "password");   // what a wallet file holds
//   const key = await decryptKey(keystore, "password");          // WrongPasswordError otherwise
import crypto from "node:crypto";
import { decrypt as aesDecrypt, encrypt as aesEncrypt } from "ethereum-cryptography/aes";
import { keccak256 } from "ethereum-cryptography/keccak";
import { scrypt } from "ethereum-cryptography/scrypt";
import { utils as secp } from "ethereum-cryptography/secp256k1";
import { addressOf } from "../chain/signer";

/**
 * scrypt's cost for new keys: N = 2^15, r = 8, p = 1 (32 MiB of memory per guess). Measured on the
 * project's 2-core machine under the load of a test run: 0.15-0.2 s to open a key, so a scripted
 * login costs ~0.3 s more than a read command; N = 2^16 took 0.3-0.45 s per key and brought the
 * whole login to ~0.9 s. A guess costs whoever stole the file 8 times geth's "light" setting;
 * geth's "standard" (2^18) would take over a second here. Files made with other costs open too.
 */
export const SCRYPT_PARAMS = { n: 2 ** 15, r: 8, p: 1, dklen: 32 } as const;

/** Keystores we open may carry any cost up to geth's standard ×4: above that, a file is a memory bomb. */
const MAX_N = 2 ** 20;

export interface KeystoreV3 {
  version: 3;
  id: string;
  address: string;
  crypto: {
    ciphertext: string;
    cipherparams: { iv: string };
    cipher: "aes-128-ctr";
    kdf: "scrypt";
    kdfparams: { dklen: number; salt: string; n: number; r: number; p: number };
    mac: string;
  };
}

export class WrongPasswordError extends Error {
  constructor(readonly address: string) {
    super(`the password does not open the key of ${address}`);
  }
}

export class DamagedKeystoreError extends Error {}

export { addressOf };

/** A fresh private key from the system's CSPRNG, valid on the curve. */
export function newPrivateKey(): Uint8Array {
  return secp.randomPrivateKey();
}

export function isValidPrivateKey(privateKey: Uint8Array): boolean {
  return privateKey.length === 32 && secp.isValidPrivateKey(privateKey);
}

export async function encryptKey(privateKey: Uint8Array, password: string, params: { n: number; r: number; p: number } = SCRYPT_PARAMS): Promise<KeystoreV3> {
  if (!isValidPrivateKey(privateKey)) throw new Error("not a secp256k1 private key");
  const salt = crypto.randomBytes(32);
  const iv = crypto.randomBytes(16);
  const kdfparams = { dklen: 32, salt: salt.toString("hex"), n: params.n, r: params.r, p: params.p };
  const derived = await derive(password, kdfparams);
  const ciphertext = await aesEncrypt(privateKey, derived.subarray(0, 16), iv, "aes-128-ctr", false);
  return {
    version: 3,
    id: crypto.randomUUID(),
    address: addressOf(privateKey).slice(2),
    crypto: {
      ciphertext: Buffer.from(ciphertext).toString("hex"),
      cipherparams: { iv: iv.toString("hex") },
      cipher: "aes-128-ctr",
      kdf: "scrypt",
      kdfparams,
      mac: mac(derived, ciphertext),
    },
  };
}

/** The private key, after checking the MAC (a wrong password) and the address (a tampered file). */
export async function decryptKey(keystore: KeystoreV3, password: string): Promise<Uint8Array> {
  const address = "0x" + String(keystore.address).toLowerCase().replace(/^0x/, "");
  const { crypto: c } = keystore;
  if (keystore.version !== 3 || c?.kdf !== "scrypt" || c.cipher !== "aes-128-ctr") {
    throw new DamagedKeystoreError(`the keystore of ${address} is not a v3 scrypt/aes-128-ctr keystore`);
  }
  const { n, r, p, dklen } = c.kdfparams;
  if (![n, r, p, dklen].every(Number.isSafeInteger) || n < 2 || n > MAX_N || (n & (n - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16 || dklen < 32) {
    throw new DamagedKeystoreError(`the keystore of ${address} asks for scrypt parameters out of range`);
  }
  const derived = await derive(password, c.kdfparams);
  const ciphertext = Buffer.from(c.ciphertext, "hex");
  // Constant-time comparison: the MAC is the password oracle.
  const expected = Buffer.from(mac(derived, ciphertext), "hex");
  const given = Buffer.from(c.mac, "hex");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new WrongPasswordError(address);
  const privateKey = await aesDecrypt(ciphertext, derived.subarray(0, 16), Buffer.from(c.cipherparams.iv, "hex"), "aes-128-ctr", false);
  if (!isValidPrivateKey(privateKey) || addressOf(privateKey) !== address) {
    throw new DamagedKeystoreError(`the keystore of ${address} holds the key of another address`);
  }
  return privateKey;
}

async function derive(password: string, params: { salt: string; n: number; r: number; p: number; dklen: number }): Promise<Uint8Array> {
  // The password's UTF-8 bytes as typed, as web3.js does, so web3 and geth open our files and we theirs.
  const secret = Buffer.from(password, "utf8");
  return scrypt(secret, Buffer.from(params.salt, "hex"), params.n, params.p, params.r, params.dklen);
}

function mac(derived: Uint8Array, ciphertext: Uint8Array): string {
  return Buffer.from(keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext]))).toString("hex");
}
