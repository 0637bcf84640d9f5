// `carbon wallet create | import | list | address`: keys of one's own, kept as encrypted keystores
// under $CARBON_HOME/wallets (see cli/wallet/). None of them needs a node: they run without
// connecting, and print text, or one JSON object with --json.
import type { GlobalOptions } from "../dispatch";
import { EXIT, UsageError } from "../support/errors";
import { parsePassword } from "../input/values";
import { givenPasswordSource, parsePasswordSource, readPassword, readStdin } from "../input/password-source";
import { palette } from "../render/colours";
import { encryptKey, isValidPrivateKey, newPrivateKey } from "../wallet/keystore";
import { parseWalletName, WalletStore, type WalletEntry } from "../wallet/store";
import type { Flags } from "./command";

export type WalletSubcommand = "create" | "import" | "list" | "address";

type Result = { wallet: WalletEntry } | { wallets: WalletEntry[] };

export async function runWallet(sub: WalletSubcommand, args: string[], flags: Flags, globals: GlobalOptions): Promise<number> {
  if (globals.json) (require("../render/colours") as typeof import("../render/colours")).disableColour();
  const store = new WalletStore();
  const result: Result =
    sub === "create" ? { wallet: await create(store, flags) }
    : sub === "import" ? { wallet: await importKey(store, flags) }
    : sub === "list" ? { wallets: store.list() }
    : { wallet: address(store, args[0]) };
  if (globals.json) process.stdout.write(JSON.stringify(toJson(result)) + "\n");
  else process.stdout.write(toText(sub, result) + "\n");
  return EXIT.ok;
}

/** A new key from the system's CSPRNG, encrypted with a password asked twice at a terminal. */
export async function create(store: WalletStore, flags: Flags): Promise<WalletEntry> {
  const name = nameFlag(flags, store);
  const password = await readPassword(parsePasswordSource(flags), "Choose a password (it is also the account's password on the market)", { confirm: true });
  return store.add(await encryptKey(newPrivateKey(), password), name);
}

/**
 * An existing key: 64 hex digits from standard input or a hidden prompt, or --mnemonic-index i, the
 * i-th account of CARBON_MNEMONIC (m/44'/60'/0'/0/i, as Ganache and HDWalletProvider derive it),
 * which is how a teacher moves the regulator's key from the chain's mnemonic into a wallet.
 */
export async function importKey(store: WalletStore, flags: Flags): Promise<WalletEntry> {
  const name = nameFlag(flags, store);
  if (typeof flags.mnemonicIndex === "string" && typeof flags.classAccount === "string") throw new UsageError("give --mnemonic-index or --class-account, not both");
  const index = typeof flags.mnemonicIndex === "string" ? parseIndex(flags.mnemonicIndex, "--mnemonic-index") : undefined;
  const classIndex = typeof flags.classAccount === "string" ? parseIndex(flags.classAccount, "--class-account") : undefined;
  let key: Uint8Array;
  let passwordLine: string | undefined;
  if (index !== undefined) {
    key = fromMnemonic(index);
  } else if (classIndex !== undefined) {
    key = fromClassKeys(classIndex);
  } else if (process.stdin.isTTY) {
    const { password } = require("../interactive/prompt") as typeof import("../interactive/prompt");
    key = parsePrivateKey(await password("Private key (64 hex digits)"));
  } else {
    // From a pipe: the key on the first line, and with --password-stdin the password on the second.
    const [keyLine = "", ...rest] = (await readStdin()).split(/\r?\n/);
    key = parsePrivateKey(keyLine);
    if (flags.passwordStdin) passwordLine = parsePassword(rest[0] ?? "");
  }
  const fromPipe = index === undefined && classIndex === undefined && !process.stdin.isTTY;
  const source = passwordLine !== undefined ? { value: passwordLine } : fromPipe ? requireGiven(flags) : parsePasswordSource(flags);
  const password = await readPassword(source, "Choose a password for this key", { confirm: true });
  return store.add(await encryptKey(key, password), name);
}

export function address(store: WalletStore, ref: string): WalletEntry {
  const entry = store.find(ref);
  if (!entry) throw new UsageError(`no wallet ${/^0x/i.test(ref) ? "holds" : "is named"} ${ref}; see \`carbon wallet list\` or create one with \`carbon wallet create --name ${/^0x/i.test(ref) ? "<name>" : ref}\``);
  return entry;
}

export function parsePrivateKey(text: string): Uint8Array {
  const hex = text.trim().replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new UsageError("a private key is 64 hex digits (optionally after 0x)");
  const key = Buffer.from(hex, "hex");
  if (!isValidPrivateKey(key)) throw new UsageError("that is not a valid secp256k1 private key");
  return key;
}

function fromMnemonic(index: number): Uint8Array {
  const mnemonic = process.env.CARBON_MNEMONIC;
  if (!mnemonic) throw new UsageError("--mnemonic-index needs CARBON_MNEMONIC, the chain's mnemonic, in the environment");
  const { mnemonicToSeedSync, validateMnemonic } = require("ethereum-cryptography/bip39") as typeof import("ethereum-cryptography/bip39");
  const { wordlist } = require("ethereum-cryptography/bip39/wordlists/english") as typeof import("ethereum-cryptography/bip39/wordlists/english");
  const { HDKey } = require("ethereum-cryptography/hdkey") as typeof import("ethereum-cryptography/hdkey");
  if (!validateMnemonic(mnemonic.trim(), wordlist)) throw new UsageError("CARBON_MNEMONIC is not a valid BIP-39 mnemonic");
  const child = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic.trim())).derive(`m/44'/60'/0'/0/${index}`);
  return child.privateKey!;
}

/**
 * The i-th key a class chain generated for its teacher (0 is the regulator), from the chain's
 * CARBON_HOME/class-keys.json (the node helper's file, owner-only): so the teacher signs with a
 * password-locked wallet like every student.
 */
function fromClassKeys(index: number): Uint8Array {
  const { classKeys, classKeysPath } = require("../start/class/keys") as typeof import("../start/class/keys");
  const keys = classKeys();
  if (!keys) throw new UsageError(`--class-account needs a class chain's keys in ${classKeysPath()}; serve one with \`npm run chain -- --host 0.0.0.0\` in this CARBON_HOME`);
  const account = keys.accounts[index];
  if (!account) throw new UsageError(`--class-account ${index} is unknown: the class chain has accounts 0 to ${keys.accounts.length - 1}`);
  return parsePrivateKey(account.privateKey);
}

function parseIndex(text: string, option: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`${option} "${text}" is not a whole number`);
  return Number(text);
}

function nameFlag(flags: Flags, store: WalletStore): string | undefined {
  if (typeof flags.name !== "string") return undefined;
  const name = parseWalletName(flags.name);
  if (store.find(name)) throw new UsageError(`a wallet is already named "${name}"; choose another name`);
  return name;
}

/** With the key on a pipe, the password cannot come from a prompt. */
function requireGiven(flags: Flags) {
  const source = givenPasswordSource(flags);
  if (!source) throw new UsageError("no password for the imported key: pass --password-stdin (second line of input) or set CARBON_PASSWORD");
  return source;
}

function entryJson(entry: WalletEntry): Record<string, unknown> {
  return { address: entry.address, name: entry.name ?? null, file: entry.file };
}

function toJson(result: Result): Record<string, unknown> {
  return "wallets" in result ? { ok: true, wallets: result.wallets.map(entryJson) } : { ok: true, ...entryJson(result.wallet) };
}

function toText(sub: WalletSubcommand, result: Result): string {
  const c = palette();
  if ("wallets" in result) {
    if (result.wallets.length === 0) return c.dim("No wallets yet: create one with `carbon wallet create --name <name>`.");
    const width = Math.max(4, ...result.wallets.map((w) => (w.name ?? "-").length));
    const rows = result.wallets.map((w) => `${w.address}  ${(w.name ?? "-").padEnd(width)}  ${w.file}${w.exposed ? "  " + c.fail("(readable by others)") : ""}`);
    return [c.dim(`${"address".padEnd(42)}  ${"name".padEnd(width)}  file`), ...rows].join("\n");
  }
  const { wallet } = result;
  if (sub === "address") return wallet.address;
  const verb = sub === "create" ? "Created" : "Imported";
  return `${c.ok(`✔ ${verb} ${wallet.address}`)}${wallet.name ? ` ${c.name(`"${wallet.name}"`)}` : ""}\n${c.dim(wallet.file)}`;
}
