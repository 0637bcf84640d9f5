// Accounts' display names (Carbon.nameOf/namesOf/accountNamed): read for a whole list at once and
// kept for a few seconds, so that a table, a pick-list or a feed costs one request per page of rows
// (the Rpc gathers the chunks of one page into one batch), never one per row; and the one place an
// account's name is turned back into its address, beside the user's wallet names.
import { UsageError } from "../support/errors";
import type { ContractView } from "./market-contracts";

/** Addresses per namesOf call: the view's cost grows with its accounts. */
const CHUNK = 200;
/** How long a name read is trusted: another account may rename itself meanwhile. */
const FRESH_MS = 10_000;

/** Where a name was found when resolving an argument: the market's names and the user's wallets. */
export interface NameMatches {
  market?: string;
  wallet?: string;
}

export class AccountNames {
  private readonly known = new Map<string, { name: string; at: number }>();

  constructor(
    private readonly view: ContractView,
    private readonly now: () => number = Date.now,
  ) {}

  /** Each account's name ("" for one without), lower-case addresses as keys, in one batch. */
  async namesOf(accounts: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(accounts.map((account) => account.toLowerCase()))];
    const stale = wanted.filter((account) => !this.fresh(account));
    const chunks: string[][] = [];
    for (let start = 0; start < stale.length; start += CHUNK) chunks.push(stale.slice(start, start + CHUNK));
    const pages = await Promise.all(chunks.map((chunk) => this.view<[string[]]>("namesOf", [chunk])));
    const at = this.now();
    chunks.forEach((chunk, i) => chunk.forEach((account, j) => this.known.set(account, { name: pages[i][0][j], at })));
    return new Map(wanted.map((account) => [account, this.known.get(account)!.name]));
  }

  async nameOf(account: string): Promise<string> {
    return (await this.namesOf([account])).get(account.toLowerCase())!;
  }

  /** The account the market calls `name` (any letter case), undefined if none. */
  async accountNamed(name: string): Promise<string | undefined> {
    const [account] = await this.view<[string]>("accountNamed", [name]);
    return /^0x0{40}$/i.test(account) ? undefined : account.toLowerCase();
  }

  /** After a rename by this process: the next read asks the chain. */
  forget(account: string): void {
    this.known.delete(account.toLowerCase());
  }

  /**
   * The account an argument names: the market's name or the user's wallet of that name. Both may
   * answer; if they name two accounts, the user must say which with the address.
   */
  async resolve(name: string, what = "account"): Promise<string> {
    const matches: NameMatches = { market: await this.accountNamed(name), wallet: walletNamed(name) };
    if (matches.market && matches.wallet && matches.market !== matches.wallet) {
      throw new UsageError(`${what} "${name}" is ambiguous: the market's ${name} is ${matches.market}, your wallet "${name}" is ${matches.wallet}; give the address instead`);
    }
    const account = matches.market ?? matches.wallet;
    if (!account) throw new UsageError(`no account is named "${name}": no name in the market and no wallet of yours (see \`carbon registered\` and \`carbon wallet list\`)`);
    return account;
  }

  private fresh(account: string): boolean {
    const entry = this.known.get(account);
    return entry !== undefined && this.now() - entry.at < FRESH_MS;
  }
}

/** The address of the user's wallet called `name`, if any (wallet names are case-sensitive). */
function walletNamed(name: string): string | undefined {
  // Required here: only an argument given by name needs the wallets.
  const { walletKeySource } = require("../wallet/key-source") as typeof import("../wallet/key-source");
  return walletKeySource().store.find(name)?.address;
}
