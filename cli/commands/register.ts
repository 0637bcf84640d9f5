// `carbon register customer|seller <account> [--name <name>]`: newCustomer / newSeller, or with a
// display name newNamedCustomer / newNamedSeller, sent by the account itself (the contract lets nobody
// register anybody else, so nobody else ever knows an account's password).
//
// For an account whose key is in a wallet, the keystore's password is the account's password: it
// must open the key (checked before anything is sent, and signing needs the key anyway), and it is
// asked once, since the keystore already had it confirmed when the wallet was made.
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { UsageError } from "../support/errors";
import { parseAccountName } from "../input/account-name";
import { parseAccount, type AccountRef } from "../input/values";
import { parsePasswordSource, readPassword, type PasswordSource } from "../input/password-source";
import { walletKeySource } from "../wallet/key-source";
import { optionalString, type Flags } from "./command";

export type Role = "customer" | "seller";

export interface RegisterOptions {
  role: Role;
  account: AccountRef;
  password: PasswordSource;
  /** The display name, unique in the market (none: the account keeps the one it has, if any). */
  name?: string;
}

export function parse([role, account]: string[], flags: Flags): RegisterOptions {
  if (role !== "customer" && role !== "seller") throw new UsageError(`cannot register a "${role}": the roles are customer and seller`);
  const name = optionalString(flags, "name");
  return { role, account: parseAccount(account), password: parsePasswordSource(flags), ...(name === undefined ? {} : { name: parseAccountName(name) }) };
}

export async function run(market: Market, options: RegisterOptions): Promise<Outcome> {
  const account = await market.resolve(options.account);
  const wallets = walletKeySource();
  const entry = wallets.holds(account);
  const password = await readPassword(options.password, `Password for the new ${options.role} ${account}`, { confirm: !entry });
  if (entry) await wallets.unlock(entry, password);
  return options.role === "customer" ? market.newCustomer(account, password, options.name) : market.newSeller(account, password, options.name);
}
