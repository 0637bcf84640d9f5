// `carbon accounts`: the accounts the CLI can send from, with role, carbon balances and ether.
import type { Market, Roles } from "../chain/market";

export type AccountsOptions = Record<string, never>;

export interface AccountRow {
  index: number;
  address: string;
  roles: Roles;
  customerCarbon: bigint;
  sellerCarbon: bigint;
  /** Wei. */
  ether: bigint;
}

export function parse(): AccountsOptions {
  return {};
}

export async function run(market: Market): Promise<AccountRow[]> {
  const accounts = await market.accounts();
  return Promise.all(
    accounts.map(async (address, index) => {
      const [roles, customerCarbon, sellerCarbon, ether] = await Promise.all([
        market.roles(address),
        market.customerCarbonAmount(address),
        market.sellerCarbonAmount(address),
        market.etherBalance(address),
      ]);
      return { index, address, roles, customerCarbon, sellerCarbon, ether };
    }),
  );
}
