// Registering a new customer or seller from the session: role, account, display name, password twice.
import type { Market } from "../chain/market";
import * as register from "../commands/register";
import { parseAccountName } from "../input/account-name";
import { asValidator, parsePassword } from "../input/values";
import * as text from "../render/text";
import { knownAccounts, pickAccount } from "./pick";
import { input, menu, secret } from "./prompt";
import { perform } from "./session";

export async function registerAccount(market: Market): Promise<void> {
  const role = await menu<register.Role | null>("Register as", [
    { name: "Customer (buys lots)", value: "customer" },
    { name: "Seller (publishes lots)", value: "seller" },
    { name: "Back", value: null },
  ]);
  if (!role) return;
  const accounts = await knownAccounts(market);
  // Each step's Esc (or an empty answer) goes back to the step before.
  for (;;) {
    const account = await pickAccount(`Which account becomes a ${role}?`, accounts, (a) => !a.roles[role], `Every account is already a ${role}.`);
    if (!account) return;
    // An account that holds the other role already has its one name: it keeps it unless it types another.
    const current = await market.names.nameOf(account);
    const name = await input(current ? `Your name in the market (Enter keeps "${current}")` : "Your name in the market, as others will see it", parseAccountName, undefined, { optional: Boolean(current) });
    if (name === undefined) continue;
    const chosen = await secret("Choose a password", asValidator(parsePassword));
    if (chosen === undefined) continue;
    const repeated = await secret("Repeat the password", (t) => t === chosen || "The two passwords differ; type it again");
    if (repeated === undefined) continue;
    await perform(() => register.run(market, { role, account: { address: account }, password: { value: chosen }, ...(name === "" ? {} : { name: parseAccountName(name) }) }), text.outcome);
    return;
  }
}
