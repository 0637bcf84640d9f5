// The user's wallets as a KeySource for the write path: a transaction from an address whose key is
// in $CARBON_HOME/wallets is signed here, after its keystore is opened with the password. One
// source per process (`walletKeySource()`): a key opened once (a session's sign-in, a command's
// password) stays open for the rest of the process and is never written anywhere.
import { UsageError } from "../support/errors";
import { parsePasswordSource, readPassword, type PasswordSource } from "../input/password-source";
import { passwordFlags } from "./password-flags";
import { WalletStore, type WalletEntry } from "./store";
import type { KeySource, LocalSigner, Signer } from "../chain/signer";

/** Asks for the password of a wallet about to be opened. */
export type PasswordAsk = (entry: WalletEntry) => Promise<string>;

export class WalletKeySource implements KeySource {
  readonly name = "wallets";
  private readonly open = new Map<string, Promise<LocalSigner>>();

  constructor(
    readonly store: WalletStore = new WalletStore(),
    // Until a session sets its own, passwords come from the flags of the command being run.
    private ask: PasswordAsk = (entry) => askFromCommandLine(passwordFlags())(entry),
  ) {}

  /** Where passwords come from from now on (the command's flags, a session's prompt). */
  setPasswordAsk(ask: PasswordAsk): void {
    this.ask = ask;
  }

  async addresses(): Promise<string[]> {
    return this.store.list().map((entry) => entry.address);
  }

  holds(address: string): WalletEntry | undefined {
    return this.store.find(address.toLowerCase());
  }

  /** The signer of a wallet-held address (asking for its password once), undefined for any other. */
  async signerFor(address: string): Promise<Signer | undefined> {
    const entry = this.holds(address);
    if (!entry) return undefined;
    const opened = this.open.get(entry.address);
    if (opened) return opened;
    return this.unlock(entry, await this.ask(entry));
  }

  /** Opens a wallet with `password`: a UsageError (exit 2) names a wrong password or a damaged file. */
  unlock(entry: WalletEntry, password: string): Promise<LocalSigner> {
    const opening = (async () => {
      try {
        // The keystore's crypto (scrypt, AES, secp256k1) loads only when a key is opened: every command
        // passes through this module (the password flags), and reads never open a key.
        const { decryptKey } = require("./keystore") as typeof import("./keystore");
        const key = await decryptKey(this.store.keystore(entry), password);
        const { LocalSigner } = require("../chain/signer") as typeof import("../chain/signer");
        return new LocalSigner(key);
      } catch (error) {
        this.open.delete(entry.address);
        const { DamagedKeystoreError, WrongPasswordError } = require("./keystore") as typeof import("./keystore");
        if (error instanceof WrongPasswordError) throw new UsageError(`${error.message}${entry.name ? ` (wallet "${entry.name}")` : ""}`);
        if (error instanceof DamagedKeystoreError) throw new UsageError(`${error.message}: ${entry.file}`);
        throw error;
      }
    })();
    this.open.set(entry.address, opening);
    return opening;
  }
}

/** Passwords as a scripted command takes them: its flags, CARBON_PASSWORD, else a prompt at a terminal. */
export function askFromCommandLine(flags: Record<string, unknown>): PasswordAsk {
  return async (entry) => {
    let source: PasswordSource;
    try {
      source = parsePasswordSource(flags);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      throw new UsageError(
        `the key of ${entry.address}${entry.name ? ` (wallet "${entry.name}")` : ""} is locked: pass --password-stdin or set CARBON_PASSWORD, or run in a terminal to be asked`,
      );
    }
    return readPassword(source, `Password of ${entry.name ? `"${entry.name}" ` : ""}${entry.address}`);
  };
}

let shared: WalletKeySource | undefined;

/** This process's wallet source ($CARBON_HOME/wallets), first among the write path's key sources. */
export function walletKeySource(): WalletKeySource {
  return (shared ??= new WalletKeySource());
}
