// What every menu shares: the connected market, the signed-in account, and `perform`, which runs a
// command's `run` with the options a menu collected and prints its result the way the scripted
// command does. Refusals (bad input that slipped past a prompt, a "no" from the contract) are shown
// and the menu goes on; a lost node or Ctrl+C ends the session.
import type { Market } from "../chain/market";
import { RefusedError, UsageError } from "../support/errors";
import { palette } from "../render/colours";
import { addressesIn, rememberNames } from "../render/account-label";

export interface Session {
  market: Market;
  /** The signed-in account. */
  account: string;
}

export function say(text: string): void {
  process.stdout.write(text + "\n");
}

/** Where the session reads the names of the accounts a result shows (the session's market). */
let readNames: ((accounts: string[]) => Promise<ReadonlyMap<string, string>>) | undefined;

/** Every result `perform` shows from now on shows its accounts' names, read from `market` a result at a time. */
export function showNamesFrom(market: Market): void {
  readNames = (accounts) => market.names.namesOf(accounts);
}

export async function perform<Result>(action: () => Promise<Result>, render: (result: Result) => string): Promise<Result | undefined> {
  try {
    const result = await action();
    if (readNames) rememberNames(await readNames([...addressesIn(result)]));
    say(render(result));
    return result;
  } catch (error) {
    if (error instanceof UsageError || error instanceof RefusedError) {
      say(palette().fail(`✘ ${error.message}`));
      return undefined;
    }
    throw error;
  }
}

/** A menu entry's action; `null` is Log out. */
export type Action = (() => Promise<unknown>) | null;

/** A menu that loops until its `null` choice (Log out). */
export async function menuLoop(title: () => string, choose: () => Promise<Action>): Promise<void> {
  for (;;) {
    say("");
    say(title());
    const action = await choose();
    if (!action) return;
    await action();
  }
}

/** Said when an account signs in while frozen: what it tries will fail, and why. */
export async function tellIfFrozen(market: Market, account: string): Promise<void> {
  if ((await market.roles(account)).frozen) {
    say(palette().warn("⚠ This account is frozen by the regulator: its purchases, publications and settlements will fail until it is unfrozen."));
  }
}
