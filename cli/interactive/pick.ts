// Choosing accounts and lots from lists, so nobody types an address in a classroom.
import type { Lot, Market, Roles } from "../chain/market";
import { palette } from "../render/colours";
import { roleLabel } from "../render/format";
import { select, type Choice } from "./prompt";

export interface KnownAccount {
  index: number;
  address: string;
  roles: Roles;
}

/** The accounts the session can act as, with their roles. */
export async function knownAccounts(market: Market): Promise<KnownAccount[]> {
  const accounts = await market.accounts();
  return Promise.all(accounts.map(async (address, index) => ({ index, address, roles: await market.roles(address) })));
}

function accountName(account: KnownAccount): string {
  return `${String(account.index).padStart(2)}  ${account.address}  ${palette().dim(roleLabel(account.roles))}`;
}

// Back is `null`, never undefined: inquirer passes questions a `default: undefined`, which would
// put the cursor on an undefined-valued choice.

/** Picks one of the accounts `eligible` accepts (undefined for Back, or when there is none). */
export async function pickAccount(message: string, accounts: KnownAccount[], eligible: (a: KnownAccount) => boolean = () => true): Promise<string | undefined> {
  const choices: Array<Choice<string | null>> = accounts.filter(eligible).map((account) => ({ name: accountName(account), value: account.address }));
  if (choices.length === 0) return undefined;
  choices.push({ name: "Back", value: null });
  return (await select(message, choices)) ?? undefined;
}

export async function pickLot(message: string, lots: Lot[]): Promise<string | undefined> {
  const choices: Array<Choice<string | null>> = lots.map((lot) => ({ name: `${lot.carbonId}  ${palette().dim(`price ${lot.price}`)}`, value: lot.carbonId }));
  choices.push({ name: "Back", value: null });
  return (await select(message, choices)) ?? undefined;
}
