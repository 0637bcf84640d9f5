// Who plays the walkthrough: the regulator (the deployer), a customer and a seller. It runs on a
// fresh chain or a used one (a class's, the demo's, its own earlier runs), so it takes accounts 5–9
// first (the demo uses 1–4) and only accounts it can really play: new ones, or ones it registered
// itself before (same password), never frozen or unfunded ones.
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
  const candidates = PREFERRED.filter((i) => i < accounts.length && i !== regulatorIndex);
  const playable = async (index: number, role: "customer" | "seller") => {
    const address = accounts[index];
    const [check, frozen, ether] = await Promise.all([market.checkPassword(address, WALKTHROUGH_PASSWORD), market.isFrozen(address), market.etherBalance(address)]);
    // Ether pays for gas: an unfunded account (a real network's wallet) cannot play.
    return !frozen && ether > 0n && (!check.registered[role] || check[role]);
  };
  const pick = async (role: "customer" | "seller", taken?: number): Promise<Player> => {
    for (const index of candidates) {
      if (index !== taken && (await playable(index, role))) return { index, address: accounts[index] };
    }
    throw new RefusedError(`no account is free to play the ${role}: each is registered with another password, frozen or without ether for gas; run \`npm start -- --reset\` for a fresh chain`);
  };
  const customer = await pick("customer");
  const seller = await pick("seller", customer.index);
  return {
    regulator: { index: regulatorIndex, address: market.regulator },
    customer,
    seller,
    lotId: `WT-${Date.now().toString(36).toUpperCase()}`,
  };
}
