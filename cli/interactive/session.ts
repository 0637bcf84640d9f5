// What every menu shares: the connected market, the signed-in account, and `perform`, which runs a
// command's `run` with the options a menu collected and prints its result the way the scripted
// command does. Refusals (bad input that slipped past a prompt, a "no" from the contract) are shown
// and the menu goes on; a lost node is waited out (outage.ts); Ctrl+C ends the session.
import type { Market } from "../chain/market";
import { RefusedError, UsageError } from "../support/errors";
import { palette } from "../render/colours";
import { addressesIn, rememberNames } from "../render/account-label";
import { outlasted } from "./outage";
import { agree } from "./prompt";
import { say } from "./say";

export interface Session {
  market: Market;
  /** The signed-in account. */
  account: string;
}

export { say };

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

/** A menu that loops until its `null` choice (Log out); after an outage the session outlasts, it is shown again. */
export async function menuLoop(title: () => string, choose: () => Promise<Action>): Promise<void> {
  for (;;) {
    try {
      say("");
      say(title());
      const action = await choose();
      if (!action) return;
      await action();
    } catch (error) {
      if (!(await outlasted(error))) throw error;
    }
  }
}

async function logOut(): Promise<void> {}

/** A role menu's last entry: chosen, it signs out at once. */
export const LOG_OUT = { name: "Log out", value: logOut as Action };

/**
 * A role's menu: it loops until "Log out". Esc there would sign out too, one key from an action on a
 * projector, so it asks first; Esc again (or "no") stays.
 */
export function roleMenuLoop(title: () => string, choose: () => Promise<Action>): Promise<void> {
  return menuLoop(title, async () => {
    const action = await choose();
    if (action === logOut) return null;
    if (action) return action;
    return (await agree("Log out?", false)) ? null : stay;
  });
}

async function stay(): Promise<void> {}

/** Said when an account signs in while frozen: what it tries will fail, and why. */
export async function tellIfFrozen(market: Market, account: string): Promise<void> {
  if ((await market.roles(account)).frozen) {
    say(palette().warn("⚠ This account is frozen by the regulator: its purchases, publications and settlements will fail until it is unfrozen."));
  }
}
