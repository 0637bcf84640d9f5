// The wallets folder, $CARBON_HOME/wallets: one Web3 Secret Storage file per key, named as geth names
// them (UTC--<time>--<address>) so geth, web3.js and MetaMask can import them, with an optional
// `name` field beside the standard ones. The folder is 0700 and every file 0600: only the owner
// can read them, and a file that others can read is refused rather than used.
//
//   const store = new WalletStore();              // $CARBON_HOME/wallets
//   await store.add(keystore, "alice");           // { address, name, file }
//   store.list();                                 // every wallet, sorted by name then address
//   store.find("alice") ?? store.find("0x…");     // by name or by address
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../support/errors";
import { carbonHome } from "../chain/home";
import type { KeystoreV3 } from "./keystore";

export interface WalletEntry {
  address: string;
  name?: string;
  file: string;
  /** The file's mode lets someone other than its owner read it. */
  exposed: boolean;
}

type StoredKeystore = KeystoreV3 & { name?: string };

const NAME = /^[A-Za-z][A-Za-z0-9._-]{0,31}$/;

export function walletsDir(): string {
  return path.join(carbonHome(), "wallets");
}

/** A wallet's name: a letter, then up to 31 letters, digits, dots, dashes or underscores. */
export function parseWalletName(text: string): string {
  if (!NAME.test(text)) throw new UsageError(`wallet name "${text}" must start with a letter and hold up to 32 letters, digits, ".", "-" or "_"`);
  return text;
}

export class WalletStore {
  constructor(readonly dir: string = walletsDir()) {}

  list(): WalletEntry[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const entries: WalletEntry[] = [];
    for (const name of names) {
      if (!name.startsWith("UTC--")) continue;
      const file = path.join(this.dir, name);
      const stored = this.readFile(file);
      if (!stored) continue;
      const exposed = (fs.statSync(file).mode & 0o077) !== 0;
      entries.push({ address: normalise(stored.address), ...(stored.name ? { name: stored.name } : {}), file, exposed });
    }
    return entries.sort((a, b) => (a.name ?? "\uffff").localeCompare(b.name ?? "\uffff") || a.address.localeCompare(b.address));
  }

  /** The wallet with this name, or holding this address (0x…, any case). */
  find(ref: string): WalletEntry | undefined {
    const wanted = /^0x[0-9a-fA-F]{40}$/.test(ref) ? { address: ref.toLowerCase() } : { name: ref };
    return this.list().find((entry) => ("address" in wanted ? entry.address === wanted.address : entry.name === wanted.name));
  }

  /** The keystore in a wallet's file, refused if others can read it (someone may have copied it). */
  keystore(entry: WalletEntry): KeystoreV3 {
    if (entry.exposed) throw new UsageError(`${entry.file} is readable by other users; run \`chmod 600 ${entry.file}\` (and consider the key exposed)`);
    const stored = this.readFile(entry.file);
    if (!stored) throw new UsageError(`${entry.file} is not a keystore any more`);
    return stored;
  }

  /** Writes a new wallet file (0600, in a 0700 folder); refuses a name or an address already here. */
  add(keystore: KeystoreV3, name?: string): WalletEntry {
    const address = normalise(keystore.address);
    if (name !== undefined) parseWalletName(name);
    const existing = this.list();
    const same = existing.find((entry) => entry.address === address);
    if (same) throw new UsageError(`the key of ${address} is already in ${same.file}${same.name ? ` (named "${same.name}")` : ""}`);
    if (name !== undefined && existing.some((entry) => entry.name === name)) throw new UsageError(`a wallet is already named "${name}"; choose another name`);
    this.ensureDir();
    const stamp = new Date().toISOString().replace(/:/g, "-");
    const file = path.join(this.dir, `UTC--${stamp}--${address.slice(2)}`);
    const content = JSON.stringify({ ...keystore, ...(name === undefined ? {} : { name }) }, null, 2) + "\n";
    // Written beside the final name and renamed into place: a crash never leaves half a key file.
    const temporary = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(temporary, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600);
    try {
      fs.writeSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
    return { address, ...(name === undefined ? {} : { name }), file, exposed: false };
  }

  private ensureDir(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // mkdir's mode passes through the umask, and an older folder may be wider: set it outright.
    fs.chmodSync(this.dir, 0o700);
  }

  private readFile(file: string): StoredKeystore | undefined {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as StoredKeystore;
      return parsed && parsed.version === 3 && typeof parsed.address === "string" && /^(0x)?[0-9a-fA-F]{40}$/.test(parsed.address) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}

function normalise(address: string): string {
  return "0x" + address.toLowerCase().replace(/^0x/, "");
}
