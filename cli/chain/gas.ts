// Gas limits per market method, fixed instead of estimated: every method's gas is known (bounded
// loops, IDs of at most 32 bytes), so eth_estimateGas (a full execution on the node, ~33 ms on
// Ganache, and a request that can hang under load) is never on the write path.
//
// Each limit is the most the method was measured to use (a 32-byte ID, first writes to fresh
// storage slots) with a margin of about a third for the compiler and small contract changes.
// test/cli/gas-limits.test.ts sends every method at its most expensive and fails if any gasUsed
// comes within the margin, so a contract change that outgrows a limit fails loudly, not in use.
export const GAS_LIMITS: Readonly<Record<string, bigint>> = {
  transfer: 60_000n, // plain ether (carbon fund): 21,000, and room for a contract wallet's receive
  newCustomer: 200_000n,
  newSeller: 200_000n,
  // With a name: two more fresh slots (the name, and the account under its key) and NameChanged.
  newNamedCustomer: 210_000n, // 156,475: a 32-byte name
  newNamedSeller: 210_000n, // 144,458: renames a customer (frees its old name's key)
  setName: 120_000n, // 90,244: frees the old name's key and fills the new one
  sendCarbonToCustomer: 120_000n,
  addCarbon: 300_000n,
  buyCarbon: 300_000n,
  settleCarbon: 100_000n,
  freezeAccount: 150_000n,
  unfreezeAccount: 80_000n,
  proposeRegulator: 80_000n,
  acceptRegulator: 70_000n,
  // The order book (OrderBook.sol). placeBid/placeAsk: placeOrderGas(maxMatches) below.
  cancelOrder: 100_000n,
  expireOrder: 100_000n,
  setPriceBand: 120_000n, // rolls the day over: a first write to the day slot
  withdraw: 80_000n,
  haltTrading: 80_000n,
  resumeTrading: 80_000n,
  // The compliance cycle (Compliance.sol); measured most (test/cli/gas-limits.test.ts) in the comments.
  openPeriod: 170_000n, // 125,312: a 32-byte label, the first period
  closePeriod: 85_000n, // 63,230: a period nobody reported in, whose counters slot is written first
  accreditVerifier: 125_000n, // 93,932
  revokeVerifier: 60_000n, // 43,874
  appointVerifier: 155_000n, // 113,994: a fresh record and appointment list
  acceptAppointment: 65_000n, // 46,394
  reportEmissions: 145_000n, // 108,082: a first report
  approveReport: 100_000n, // 72,606
  rejectReport: 345_000n, // 256,725: a 256-byte reason
  correctEmissions: 375_000n, // 280,850: a 256-byte reason
  estimateEmissions: 380_000n, // a 256-byte reason, as a correction's
  surrenderCarbon: 175_000n, // 131,272: pays a carried shortfall and the open period at once
  enforceCompliance: 350_000n, // 262,193: B, with the market's freeze
};

/**
 * The lesson's methods (Lesson.sol): generous limits, not yet measured at their dearest by
 * test/cli/gas-limits.test.ts (abate measured 116,517 across two blocks).
 */
export const LESSON_GAS_LIMITS: Readonly<Record<string, bigint>> = {
  addFirm: 420_000n, // a full schedule of MAX_BLOCKS blocks, each a fresh slot, and the firm list
  markRound: 90_000n,
  abate: 200_000n, // a firm's first abatement, across every block of a full schedule
  verify: 420_000n, // accepts the appointment, then rejects with the figure (a fresh reason string)
};

/** The auction's writes, at their dearest (test/cli/gas-limits.test.ts measures them). */
export const AUCTION_GAS_LIMITS: Readonly<Record<string, bigint>> = {
  openAuction: 150_000n, // 111,376
  commitBids: 230_000n, // 178,892: a first seal, the bidder's slots, the count and the bidder list
  revealBids: 450_000n, // 358,355: MAX_BIDS bids, each opening a price level in a fresh bitmap word
  clearAuction: 900_000n, // ~60,000 + ~3,000 a level walked, CLEAR_LEVELS_PER_CALL of them
  settleBidder: 300_000n, // 195,627: MAX_BIDS bids read, the market's issue, the first credits
  withdrawRefund: 80_000n, // 38,588
};

/**
 * A place call fills up to `maxMatches` resting orders and, beside them, removes up to MAX_PRUNES
 * that cannot trade (expired, a frozen owner's, its own): its limit is a base (checks, storing the
 * order, resting it at a new level, settling the taker: ~218,000 measured) plus a share per fill
 * (~37,600 at one price, ~46,500 when each fill empties a level, each crediting its maker) and room
 * for every removal (~20,000 an ask, ~37,800 a bid whose owner is credited for the first time, a
 * little more for a frozen owner's): bench/order-book-gas.bench.ts. Each with a margin.
 */
export const PLACE_ORDER_GAS = { base: 300_000n, perMatch: 50_000n, perRemoval: 55_000n } as const;

/** The most orders a place call removes beside its fills (OrderBook.MAX_PRUNES). */
const PLACE_REMOVALS = 20n;

export function placeOrderGas(maxMatches: number): bigint {
  return PLACE_ORDER_GAS.base + PLACE_REMOVALS * PLACE_ORDER_GAS.perRemoval + BigInt(maxMatches) * PLACE_ORDER_GAS.perMatch;
}

/** A sweep: a base and a share per order it may remove (pruneLevel's maxOrders; ~22,800 an ask, ~38,600 a bid credited afresh). */
export const PRUNE_LEVEL_GAS = { base: 100_000n, perOrder: 55_000n } as const;

export function pruneLevelGas(maxOrders: number): bigint {
  return PRUNE_LEVEL_GAS.base + BigInt(maxOrders) * PRUNE_LEVEL_GAS.perOrder;
}

export function gasLimit(method: string): bigint {
  const limit = GAS_LIMITS[method] ?? LESSON_GAS_LIMITS[method] ?? AUCTION_GAS_LIMITS[method];
  if (limit === undefined) throw new Error(`no gas limit for ${method}: add one to cli/chain/gas.ts`);
  return limit;
}
