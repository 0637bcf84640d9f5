// Gas limits per market method, fixed instead of estimated: every method's gas is known (bounded
// loops, IDs of at most 32 bytes), so eth_estimateGas (a full execution on the node, ~33 ms on
// Ganache, and a request that can hang under load) is never on the write path.
//
// Each limit is the most the method was measured to use (a 32-byte ID, first writes to fresh
// storage slots) with a margin of about a third for the compiler and small contract changes.
// test/cli/gas-limits.test.ts sends every method at its most expensive and fails if any gasUsed
// comes within the margin, so a contract change that outgrows a limit fails loudly, not in use.
export const GAS_LIMITS: Readonly<Record<string, bigint>> = {
  newCustomer: 200_000n,
  newSeller: 200_000n,
  sendCarbonToCustomer: 120_000n,
  addCarbon: 300_000n,
  buyCarbon: 300_000n,
  settleCarbon: 100_000n,
  freezeAccount: 150_000n,
  unfreezeAccount: 80_000n,
  // The compliance cycle (Compliance.sol): provisional until measured by test/cli/gas-limits.test.ts.
  openPeriod: 250_000n,
  closePeriod: 60_000n,
  accreditVerifier: 120_000n,
  revokeVerifier: 80_000n,
  appointVerifier: 160_000n,
  acceptAppointment: 70_000n,
  reportEmissions: 160_000n,
  approveReport: 100_000n,
  rejectReport: 350_000n,
  correctEmissions: 350_000n,
  surrenderCarbon: 160_000n,
  enforceCompliance: 350_000n,
};

export function gasLimit(method: string): bigint {
  const limit = GAS_LIMITS[method];
  if (limit === undefined) throw new Error(`no gas limit for ${method}: add one to cli/chain/gas.ts`);
  return limit;
}
