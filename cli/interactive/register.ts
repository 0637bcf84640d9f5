// Registering a new customer or seller from the session: role, account, password twice.
import type { Market } from "../chain/market";
import * as register from "../commands/register";
import { asValidator, parsePassword } from "../input";
import { palette } from "../render/colours";
import * as text from "../render/text";
import { knownAccounts, pickAccount } from "./pick";
import { menu, password } from "./prompt";
import { perform, say } from "./session";

export async function registerAccount(market: Market): Promise<void> {
  const role = await menu<register.Role | null>("Register as", [
    { name: "Customer (buys lots)", value: "customer" },
    { name: "Seller (publishes lots)", value: "seller" },
    { name: "Back", value: null },
  ]);
  if (!role) return;
  const account = await pickAccount(`Which account becomes a ${role}?`, await knownAccounts(market), (a) => !a.roles[role]);
  if (!account) return say(palette().dim(`Every account is already a ${role}.`));
  let chosen: string;
  for (;;) {
    chosen = await password("Choose a password", asValidator(parsePassword));
    if ((await password("Repeat the password")) === chosen) break;
    say(palette().fail("✘ The two passwords differ; try again."));
  }
  await perform(() => register.run(market, { role, account: { address: account }, password: { value: chosen } }), text.outcome);
}
