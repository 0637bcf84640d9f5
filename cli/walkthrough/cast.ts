// Who plays the walkthrough: the regulator (the deployer), a customer and a seller. It runs on a
// fresh chain or a used one (a class's, the demo's, its own earlier runs), so it takes accounts 5–9
// first (the demo uses 1–4) and only accounts it can really play: new ones, or ones it registered
// itself before (same password), never frozen or unfunded ones. The lesson chapter picks its two
// firms the same way, among the accounts left.
import type { Market } from "../chain/market";
import { RefusedError } from "../support/errors";

export const WALKTHROUGH_PASSWORD = "walkthrough";
const PREFERRED = [5, 6, 7, 8, 9, 1, 2, 3, 4];

export interface Player {
  address: string;
  index: number;
}

export interface Cast {
  regulator: Player;
  customer: Player;
  seller: Player;
  /** A lot ID no earlier run has used. */
  lotId: string;
}

export async function chooseCast(market: Market): Promise<Cast> {
  const accounts = await market.accounts();
  const regulatorIndex = accounts.indexOf(market.regulator);
  if (regulatorIndex < 0) {
    throw new RefusedError(`the market's regulator ${market.regulator} is not one of ${market.label}'s accounts, so the walkthrough cannot issue quota`);
  }
  const pick = async (role: "customer" | "seller", taken: string[]): Promise<Player> => {
    const player = await pickPlayer(market, role, taken);
    if (player) return player;
    throw new RefusedError(`no account is free to play the ${role}: each is registered with another password, frozen or without ether for gas; run \`npm start -- --reset\` for a fresh chain`);
  };
  const customer = await pick("customer", [market.regulator]);
  const seller = await pick("seller", [market.regulator, customer.address]);
  return {
    regulator: { index: regulatorIndex, address: market.regulator },
    customer,
    seller,
    lotId: `WT-${Date.now().toString(36).toUpperCase()}`,
  };
}

/**
 * The first account, in the walkthrough's order, that can play `role` and is none of `taken`: one
 * new to the role or registered in it by an earlier walkthrough (same password), never frozen, and
 * with ether for gas (a real network's unfunded wallet cannot play).
 */
export async function pickPlayer(market: Market, role: "customer" | "seller", taken: readonly string[]): Promise<Player | undefined> {
  const accounts = await market.accounts();
  for (const index of PREFERRED) {
    const address = accounts[index];
    if (address === undefined || taken.includes(address)) continue;
    const [check, frozen, ether] = await Promise.all([market.checkPassword(address, WALKTHROUGH_PASSWORD), market.isFrozen(address), market.etherBalance(address)]);
    if (!frozen && ether > 0n && (!check.registered[role] || check[role])) return { index, address };
  }
  return undefined;
}
