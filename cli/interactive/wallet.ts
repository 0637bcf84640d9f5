// The session's own-key entries: "Create an account" (a key in a wallet, its password, and the
// registration as customer or seller, sent by the account itself) and "Sign in" (pick one of your
// wallets by name or address, type its password: it must open the key, then pass the on-chain check).
// The node's unlocked accounts stay in the top menu as the single-machine chain's convenience.
import { Compliance } from "../chain/compliance";
import type { Market } from "../chain/market";
import * as login from "../commands/login";
import * as register from "../commands/register";
import { create as createWallet } from "../commands/wallet";
import { asValidator, parsePassword } from "../input/values";
import { palette } from "../render/colours";
import * as text from "../render/text";
import { walletKeySource } from "../wallet/key-source";
import { parseWalletName } from "../wallet/store";
import { customerMenu } from "./customer";
import { input, menu, secret, select, type Choice } from "./prompt";
import { regulatorMenu } from "./regulator";
import { sellerMenu } from "./seller";
import { perform, say, tellIfFrozen } from "./session";
import { verifierMenu } from "./verifier";

export async function createAccount(market: Market): Promise<void> {
  const c = palette();
  const role = await menu<register.Role | null>("Create an account as", [
    { name: "Customer (buys lots)", value: "customer" },
    { name: "Seller (publishes lots)", value: "seller" },
    { name: "Back", value: null },
  ]);
  if (!role) return;
  const store = walletKeySource().store;
  const typed = await input("A name for your key (Enter for none)", (t) => (t === "" ? t : parseWalletName(t)), undefined, { optional: true });
  if (typed === undefined) return;
  const name = typed.trim();
  if (name && store.find(name)) return say(c.fail(`✘ A wallet is already named "${name}".`));
  // The key's name is the account's name in the market too: refused here if taken, before a key is made.
  if (name && (await market.names.accountNamed(name))) return say(c.fail(`✘ "${name}" is taken in the market: choose another name.`));
  const chosen = await secret("Choose a password (it locks your key and is your password on the market)", asValidator(parsePassword));
  if (chosen === undefined) return;
  if ((await secret("Repeat the password", (t) => t === chosen || "The two passwords differ; type it again")) === undefined) return;
  const wallet = await perform(() => createWallet(store, { ...(name ? { name } : {}), password: chosen }), (w) => c.ok(`✔ Your key ${w.address}`) + "\n" + c.dim(w.file));
  if (!wallet) return;
  const outcome = await perform(() => register.run(market, { role, account: { address: wallet.address }, password: { value: chosen }, ...(name ? { name } : {}) }), text.outcome);
  if (outcome?.ok) await enter(market, wallet.address, [role]);
}

export async function signInWithKey(market: Market): Promise<void> {
  const c = palette();
  const wallets = walletKeySource().store.list();
  if (wallets.length === 0) return say(c.dim('You have no key here yet: choose "Create an account", or import one with `carbon wallet import`.'));
  const choices: Array<Choice<string | null>> = wallets.map((w) => ({ name: `${w.address}  ${c.dim(w.name ?? "")}`, value: w.address }));
  choices.push({ name: "Back", value: null });
  const address = await select("Which key?", choices);
  if (!address) return;
  const entered = await secret("Password", asValidator(parsePassword));
  if (entered === undefined) return;
  // A verifier has no password on chain: the key its password opened is its login.
  let verifier = false;
  const result = await perform(
    async () => {
      const checked = await login.run(market, { account: { address }, password: { value: entered } });
      verifier = !checked.ok && checked.keyOpened && !checked.registered.customer && !checked.registered.seller && (await new Compliance(market).isVerifier(address));
      return checked;
    },
    (checked) => (verifier ? c.ok(`✔ Logged in: ${address} is an accredited verifier`) : text.login(checked)),
  );
  if (verifier) return verifierMenu({ market, account: address });
  if (!result?.ok) {
    if (result?.keyOpened && !result.registered.customer && !result.registered.seller && !result.regulator) say(c.dim('This key is not registered yet: "Create an account" registers a new key.'));
    return;
  }
  await enter(market, address, result.regulator ? [] : result.roles);
}

/** Into the menu of the role the account signed in as (asking which, if it holds both). */
async function enter(market: Market, account: string, roles: Array<"customer" | "seller">): Promise<void> {
  await tellIfFrozen(market, account);
  if (roles.length === 0) return regulatorMenu({ market, account });
  const role = roles.length === 1 ? roles[0] : await menu("Continue as", roles.map((r) => ({ name: r === "customer" ? "Customer" : "Seller", value: r })));
  if (!role) return;
  await (role === "customer" ? customerMenu : sellerMenu)({ market, account });
}
