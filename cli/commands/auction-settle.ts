// `carbon auction settle <customer>` / `carbon auction settle --all`: settles bidders of the cleared
// auction: each gets the quota it won, pays the clearing price for it, and has the rest of its escrow
// back (paid to the caller at once when it settles itself, else credited: `carbon auction withdraw`).
import { Auction } from "../chain/auction";
import type { Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input/values";
import { UsageError } from "../support/errors";
import { eachAccount, type BulkResult, type BulkRow } from "./bulk";
import { optionalString, type Flags } from "./command";

export interface AuctionSettleOptions {
  /** Undefined with --all. */
  customer?: AccountRef;
  from?: AccountRef;
}

export function parse([customer, ...rest]: string[], flags: Flags): AuctionSettleOptions {
  const all = flags.all === true;
  if (rest.length > 0 || (customer === undefined) === !all) throw new UsageError("give one bidder to settle, or --all for every bidder not yet settled");
  const from = optionalString(flags, "from");
  return { ...(customer === undefined ? {} : { customer: parseAccount(customer, "customer") }), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

/** Settles `accounts` (default: every bidder not yet settled), as `from`; each row's amount is what it won. */
export async function settleBidders(market: Market, from: string, accounts?: string[], onEach?: (row: BulkRow) => void): Promise<BulkResult> {
  const auction = await Auction.attach(market);
  const bidders = accounts ?? (await auction.unsettled());
  // Nobody left is said as such, not as "0 of 0 succeeded".
  if (!accounts && bidders.length === 0) throw new UsageError("nobody is left to settle in the latest auction: every bidder is settled (or nobody bid)");
  const won = new Map<string, bigint>();
  const result = await eachAccount(
    bidders.map((account) => ({ account })),
    async (row) => {
      const settled = await auction.settle(row.account, from);
      won.set(row.account, settled.won);
      return settled;
    },
    onEach && ((row) => onEach({ ...row, ...(won.has(row.account) ? { amount: won.get(row.account) } : {}) })),
  );
  return { ...result, rows: result.rows.map((row) => (won.has(row.account) ? { ...row, amount: won.get(row.account) } : row)) };
}

export async function run(market: Market, options: AuctionSettleOptions): Promise<BulkResult> {
  const customer = options.customer ? await market.resolve(options.customer, "customer") : undefined;
  const from = options.from ? await market.resolve(options.from, "--from") : (customer ?? market.regulator);
  if (!customer) return settleBidders(market, from);
  // One bidder: a refusal is the command's one line (exit 2), not a row of a batch.
  const settled = await (await Auction.attach(market)).settle(customer, from);
  return { ok: settled.ok, rows: [{ account: customer, amount: settled.won, outcome: settled }] };
}
