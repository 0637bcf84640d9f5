// The interactive session: choose a role, choose the account, enter its password, then that role's
// menu until Log out; back at the role menu, Quit (or Ctrl+C anywhere) ends the session, after asking when
// the session serves a class chain (`mayQuit`), which would stop under the students.
//
//   import { runInteractive } from "./interactive";
//   await runInteractive({ rpc: "http://127.0.0.1:8545" });   // connects, like the scripted commands
//   await runInteractive({ market });                         // or uses a market already connected
//
// It resolves when the user quits, and rejects with CancelledError on Ctrl+C (exit code 130) or
// UnavailableError if the node goes away (exit code 3) and `onNodeGone` does not bring it back:
// callers print those like any CarbonError. With `onNodeGone`, a signed-in user stays signed in.
import type { ConnectOptions } from "../chain/connect";
import type { Market } from "../chain/market";
import * as login from "../commands/login";
import { asValidator, parsePassword } from "../input/values";
import { palette } from "../render/colours";
import { spinWhileMining } from "../render/spinner";
import * as text from "../render/text";
import { customerMenu } from "./customer";
import { knownAccounts, pickAccount } from "./pick";
import { menu, secret, setPromptOutput } from "./prompt";
import { registerAccount } from "./register";
import { regulatorMenu } from "./regulator";
import { sellerMenu } from "./seller";
import { verifierSignIn } from "./verifier";
import { say, showNamesFrom, tellIfFrozen } from "./session";
import { outlasted, whenNodeGoes, type NodeGoneHandler } from "./outage";
import { createAccount, signInWithKey } from "./wallet";
import { CancelledError, UsageError } from "../support/errors";

/**
 * The session draws menus and reads keys: without a terminal on both ends (`carbon < /dev/null`, a
 * pipe, a CI job) it would draw into a file or wait forever, so it refuses at once (exit 2).
 */
export function requireTerminal(input: { isTTY?: boolean } = process.stdin, output: { isTTY?: boolean } = process.stdout): void {
  if (input.isTTY && output.isTTY) return;
  throw new UsageError("the interactive session needs a terminal (stdin and stdout); run it in one, or use the scripted commands: `carbon --help`");
}

export interface InteractiveOptions extends ConnectOptions {
  /** A market already connected (e.g. by `npm start`); it is left open for the caller to close. */
  market?: Market;
  /** What to do when the node goes away: start it again, or wait for it. Without it, the session ends. */
  onNodeGone?: NodeGoneHandler;
  /**
   * Whether Quit (or Ctrl+C at the first menu) may end the session: a session that serves a class
   * chain stops it on the way out, so it asks first. Without it, Quit quits.
   */
  mayQuit?: (market: Market) => Promise<boolean>;
}

type Role = "regulator" | "customer" | "seller" | "verifier";

/** One entry of the top menu: its label and what it does (`null` quits). */
export interface TopEntry {
  name: string;
  run: ((market: Market) => Promise<void>) | null;
}

/**
 * The top menu, in order: one list of entries. The node's unlocked accounts come first when it holds
 * any (a convenience of the single-machine embedded chain, absent on a served chain whose node holds
 * no key a caller can use); own keys come after them.
 */
export function topMenu(nodeKeys: boolean): TopEntry[] {
  // The node may be a class chain's, serving students too: the label says only whose key it is.
  const node = palette().dim("  (the node's key)");
  return [
    ...(nodeKeys
      ? [
          { name: `Regulator${node}`, run: (market: Market) => signIn(market, "regulator") },
          { name: `Customer${node}`, run: (market: Market) => signIn(market, "customer") },
          { name: `Seller${node}`, run: (market: Market) => signIn(market, "seller") },
          { name: `Verifier${node}`, run: (market: Market) => signIn(market, "verifier") },
          { name: `Register a new account${node}`, run: registerAccount },
        ]
      : []),
    { name: "Sign in with your key", run: signInWithKey },
    { name: "Create an account (a key of your own)", run: createAccount },
    { name: "Quit", run: null },
  ];
}

export async function runInteractive(options: InteractiveOptions = {}): Promise<void> {
  requireTerminal();
  setPromptOutput(process.stdout);
  const market = options.market ?? (await (require("../chain/connect") as typeof import("../chain/connect")).connect(options));
  showNamesFrom(market);
  const stopSpinner = spinWhileMining(market);
  const stopWatching = options.onNodeGone ? whenNodeGoes(market, options.onNodeGone) : () => {};
  try {
    const c = palette();
    say(c.heading("Carbon emission trading"));
    say(c.dim(`market ${market.contracts.Carbon}`));
    say(c.dim(`on ${market.label}`));
    for (;;) {
      try {
        say("");
        // Ctrl+C here, and only here, leaves the session; Esc just asks again.
        const entries = topMenu((await market.accounts()).length > 0);
        const entry = await menu<TopEntry>("Sign in as", entries.map((e) => ({ name: e.name, value: e })), { top: true });
        if (!entry) continue;
        if (!entry.run) {
          if (!options.mayQuit || (await options.mayQuit(market))) return;
          continue;
        }
        await entry.run(market);
      } catch (error) {
        // Ctrl+C at the first menu is a Quit, and asks as Quit does.
        if (error instanceof CancelledError && options.mayQuit) {
          if (await options.mayQuit(market)) return;
          continue;
        }
        if (!(await outlasted(error))) throw error;
      }
    }
  } finally {
    stopWatching();
    stopSpinner();
    if (!options.market) market.close();
  }
}

/**
 * Once the teacher has put the regulator's key in a wallet (docs/class.md), that wallet's password is
 * the regulator's credential here too: the node's copy of the key must not sign the teacher in without
 * it. Without such a wallet the node's key alone is the credential, as on a single-machine chain.
 */
async function regulatorKeyOpened(market: Market, regulator: string): Promise<boolean> {
  const { walletKeySource } = require("../wallet/key-source") as typeof import("../wallet/key-source");
  const wallet = walletKeySource().store.list().find((entry) => entry.address.toLowerCase() === regulator.toLowerCase());
  if (!wallet) return true;
  say(palette().dim(`The regulator's key is in your wallet${wallet.name ? ` "${wallet.name}"` : ""}: its password signs you in.`));
  let opened = false;
  // `carbon login`'s own check: for the regulator, the password must open its wallet.
  const entered = await secret("Password", async (text) => {
    const valid = asValidator(parsePassword)(text);
    if (valid !== true) return valid;
    const result = await login.run(market, { account: { address: regulator }, password: { value: text } });
    opened = result.ok && result.regulator;
    return opened || "Wrong password for the regulator's key; try again";
  });
  return entered !== undefined && opened;
}

async function signIn(market: Market, role: Role): Promise<void> {
  const c = palette();
  if (role === "verifier") return verifierSignIn(market);
  if (role === "regulator") {
    // The regulator (the deployer until handed over): its key on the node is its credential, there is
    // no password on chain. A handover pending to one of the node's accounts is offered first.
    const { offerAcceptance } = require("./handover") as typeof import("./handover");
    const regulator = await offerAcceptance(market);
    if (!(await market.accounts()).includes(regulator)) {
      return say(c.fail(`✘ The regulator ${regulator} is not among this node's accounts; its session cannot send.`));
    }
    if (!(await regulatorKeyOpened(market, regulator))) return;
    return regulatorMenu({ market, account: regulator });
  }
  const account = await pickAccount(`Which ${role}?`, await knownAccounts(market), (a) => a.roles[role], `No ${role}s yet: choose "Register a new account" first.`);
  if (!account) return;
  let result: login.LoginResult | undefined;
  // A wrong password is refused under the prompt, which stays; Esc or an empty answer goes back.
  const entered = await secret("Password", async (text) => {
    const valid = asValidator(parsePassword)(text);
    if (valid !== true) return valid;
    result = await login.run(market, { account: { address: account }, password: { value: text } });
    if (!result.ok) return `Wrong password for ${account}; try again`;
    if (!result.roles.includes(role)) return `${account} is not a ${role}`;
    return true;
  });
  if (entered === undefined || !result) return;
  say(text.login(result));
  await tellIfFrozen(market, account);
  await (role === "customer" ? customerMenu : sellerMenu)({ market, account });
}
