// `carbon login <account|wallet>`: proves possession, then checks the thesis's password on chain.
//
// Login means two things: the password opens the account's key (its keystore in
// $CARBON_HOME/wallets), and then the on-chain check passes (the salted scrypt digest, hashed by
// Carbon.passwordHashOf, equals the stored hash). The regulator has no password on chain: opening
// its key is its login. An account whose key only the node holds (the embedded chain's unlocked
// accounts, a single-machine convenience) gets the on-chain check alone; an account whose key
// nobody here holds cannot log in at all.
import type { Market } from "../chain/market";
import { UsageError } from "../support/errors";
import { parseAccount, type AccountRef } from "../input/values";
import { parsePasswordSource, readPassword, type PasswordSource } from "../input/password-source";
import { walletKeySource } from "../wallet/key-source";
import type { Flags } from "./command";

export interface LoginOptions {
  account: AccountRef | { wallet: string };
  password: PasswordSource;
}

export interface LoginResult {
  /** The key opened (or the node holds it), and the password opened a role or the account is the regulator. */
  ok: boolean;
  account: string;
  /** The roles the password opened. */
  roles: Array<"customer" | "seller">;
  registered: { customer: boolean; seller: boolean };
  regulator: boolean;
  /** Who holds the key: a wallet of this user, or the node (the embedded chain's unlocked accounts). */
  key: "wallet" | "node";
  /** The wallet's name, if it has one. */
  wallet?: string;
  /** The password opened the wallet's key (always true for a node-held key, which has none). */
  keyOpened: boolean;
}

export function parse([account]: string[], flags: Flags): LoginOptions {
  const ref = /^[A-Za-z]/.test(account.trim()) && !/^0x/i.test(account.trim()) ? { wallet: account.trim() } : parseAccount(account);
  return { account: ref, password: parsePasswordSource(flags) };
}

export async function run(market: Market, options: LoginOptions): Promise<LoginResult> {
  const wallets = walletKeySource();
  const account = await resolveLogin(market, options.account);
  const entry = wallets.holds(account);
  if (!entry && !(await market.accounts()).includes(account)) {
    throw new UsageError(`no key for ${account} here: logging in proves you hold it; import it with \`carbon wallet import\`, or create your own with \`carbon wallet create\``);
  }
  const password = await readPassword(options.password, `Password of ${entry?.name ? `"${entry.name}" ` : ""}${account}`);
  const base = { account, regulator: account === market.regulator, key: entry ? ("wallet" as const) : ("node" as const), ...(entry?.name ? { wallet: entry.name } : {}) };
  if (entry) {
    try {
      await wallets.unlock(entry, password);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      return { ...base, ok: false, roles: [], registered: (await market.checkPassword(account, password)).registered, keyOpened: false };
    }
  }
  const checked = await market.checkPassword(account, password);
  const roles = (["customer", "seller"] as const).filter((role) => checked[role]);
  // The regulator has no password on chain: holding its key (opened above) is its credential.
  const ok = roles.length > 0 || (base.regulator && base.key === "wallet");
  return { ...base, ok, roles, registered: checked.registered, keyOpened: true };
}

async function resolveLogin(market: Market, ref: LoginOptions["account"]): Promise<string> {
  if (!("wallet" in ref)) return market.resolve(ref);
  const entry = walletKeySource().store.find(ref.wallet);
  if (entry) return entry.address;
  // Not a wallet's name: it may be the market's name of an account whose key is here.
  const named = await market.names.accountNamed(ref.wallet);
  if (!named) throw new UsageError(`no wallet is named "${ref.wallet}", nor any account in the market; see \`carbon wallet list\``);
  return named;
}
