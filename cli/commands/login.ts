// `carbon login <account>`: checks the password against the hashes on chain and says the role.
import type { Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input";
import { parsePasswordSource, readPassword, type PasswordSource } from "../password-source";
import type { Flags } from "./command";

export interface LoginOptions {
  account: AccountRef;
  password: PasswordSource;
}

export interface LoginResult {
  /** The password opened at least one role. */
  ok: boolean;
  account: string;
  /** The roles the password opened. */
  roles: Array<"customer" | "seller">;
  registered: { customer: boolean; seller: boolean };
  /** The account is the regulator, which has no password on chain: its sessions use the deployer account. */
  regulator: boolean;
}

export function parse([account]: string[], flags: Flags): LoginOptions {
  return { account: parseAccount(account), password: parsePasswordSource(flags) };
}

export async function run(market: Market, options: LoginOptions): Promise<LoginResult> {
  const account = await market.resolve(options.account);
  const password = await readPassword(options.password, `Password for ${account}`);
  const checked = await market.checkPassword(account, password);
  const roles = (["customer", "seller"] as const).filter((role) => checked[role]);
  return { ok: roles.length > 0, account, roles, registered: checked.registered, regulator: account === market.regulator };
}
