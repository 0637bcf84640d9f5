// The keys of a class chain. A chain served beyond loopback is never created from the public
// development mnemonic (anyone could sign as its accounts, the regulator included): its accounts are
// generated at random when it is created, and kept in the teacher's CARBON_HOME, readable by the
// owner only. Account 0 is the regulator (it deploys the market); the faucet pays students' gas.
//
// Plain keys in one file: the `wallet` helper turns the regulator's into a keystore under
// CARBON_HOME/wallets (classKeys() is what it reads). Ganache holds them too, unlocked, but only
// callers on this machine reach Ganache (the gate refuses eth_sendTransaction to everyone else).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ACCOUNT_COUNT } from "../../chain/ganache";
import { carbonHome } from "../../chain/home";

export interface ClassKey {
  address: string;
  privateKey: string;
}

export interface ClassKeys {
  /** Index 0 is the regulator; the rest are the teacher's spare accounts (the demo's cast). */
  accounts: ClassKey[];
  faucet: ClassKey;
  /** The faucet's ether at genesis (wei, decimal), as the teacher sized it with --faucet. */
  faucetWei?: string;
  createdAt: string;
}

/** Ether each account starts with; the faucet's covers the whole class. */
export const ACCOUNT_ETHER = 1000n;
export const FAUCET_ETHER = 1000n;

export function classKeysPath(): string {
  return path.join(carbonHome(), "class-keys.json");
}

/** The class chain's keys, if this CARBON_HOME's chain is a class chain. */
export function classKeys(): ClassKeys | undefined {
  try {
    return JSON.parse(fs.readFileSync(classKeysPath(), "utf8")) as ClassKeys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** `faucetWei`: what the faucet may give out; its account starts with that and 1 ETH more for its own gas. */
export function createClassKeys(faucetWei: bigint = FAUCET_ETHER * 10n ** 18n): ClassKeys {
  const keys: ClassKeys = {
    accounts: Array.from({ length: ACCOUNT_COUNT }, randomKey),
    faucet: randomKey(),
    faucetWei: (faucetWei + 10n ** 18n).toString(),
    createdAt: new Date().toISOString(),
  };
  const file = classKeysPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Created with mode 0600 and exclusively: never readable by others, never over an existing chain's keys.
  fs.writeFileSync(file, JSON.stringify(keys, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  return keys;
}

/**
 * A new chain made from kept keys (after a reset) starts its faucet at the size the teacher gives
 * now, not the last chain's: the file is rewritten in place, still owner-only.
 */
export function resizeFaucet(keys: ClassKeys, faucetWei: bigint): ClassKeys {
  const resized = { ...keys, faucetWei: (faucetWei + 10n ** 18n).toString() };
  const file = classKeysPath();
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(resized, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(temporary, file);
  return resized;
}

function randomKey(): ClassKey {
  // web3's accounts module is slow to load, and only a process that creates a class chain needs it.
  const Accounts = require("web3-eth-accounts") as new () => { privateKeyToAccount(key: string): { address: string } };
  for (;;) {
    const privateKey = "0x" + crypto.randomBytes(32).toString("hex");
    try {
      return { address: new Accounts().privateKeyToAccount(privateKey).address.toLowerCase(), privateKey };
    } catch {
      // Out of the curve's range (about 1 in 2^128): draw again.
    }
  }
}

/** Ganache's `wallet.accounts` for these keys. */
export function ganacheAccounts(keys: ClassKeys): Array<{ secretKey: string; balance: string }> {
  const wei = (ether: bigint) => "0x" + (ether * 10n ** 18n).toString(16);
  return [...keys.accounts.map((key) => ({ secretKey: key.privateKey, balance: wei(ACCOUNT_ETHER) })), { secretKey: keys.faucet.privateKey, balance: "0x" + (keys.faucetWei ? BigInt(keys.faucetWei) : FAUCET_ETHER * 10n ** 18n).toString(16) }];
}
