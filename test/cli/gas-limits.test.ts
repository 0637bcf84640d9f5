// The fixed gas limits of cli/chain/gas.ts against the contract as built: every market method is
// sent at its most expensive (fresh storage, 32-byte IDs) and must use less than its limit, with
// room to spare, so a contract change that outgrows a limit fails here and not in a user's hands.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { GAS_LIMITS } from "../../cli/chain/gas";
import type { Outcome } from "../../cli/chain/market";
import { startMarket, type CliChain } from "./support/cli";

let cli: CliChain;

before(async () => {
  cli = await startMarket();
});

after(async () => {
  await cli.stop();
});

it("every method's gas stays under its fixed limit with a margin", async () => {
  const { market, accounts } = cli;
  const [, customer, seller, other] = accounts;
  const longId = "L".repeat(32);
  const used: Record<string, number> = {};
  const note = (method: string, outcome: Outcome) => {
    assert.equal(outcome.ok, true, `${method}: ${outcome.message}`);
    used[method] = Math.max(used[method] ?? 0, outcome.gasUsed);
  };
  note("newCustomer", await market.newCustomer(customer, "a password of some length"));
  note("newSeller", await market.newSeller(seller, "a password of some length"));
  note("newSeller", await market.newSeller(customer, "another"));
  note("sendCarbonToCustomer", await market.sendCarbonToCustomer(customer, 2n ** 90n));
  note("addCarbon", await market.addCarbon(seller, longId, 2n ** 60n));
  note("addCarbon", await market.addCarbon(seller, "M".repeat(32), 1n));
  note("buyCarbon", await market.buyCarbon(customer, longId));
  note("settleCarbon", await market.settleCarbon(seller, 2n ** 59n));
  note("freezeAccount", await market.freezeAccount(other));
  note("unfreezeAccount", await market.unfreezeAccount(other));
  for (const [method, limit] of Object.entries(GAS_LIMITS)) {
    assert.ok(used[method] !== undefined, `${method} was sent`);
    assert.ok(BigInt(used[method]) * 10n < limit * 9n, `${method} used ${used[method]} gas: within 10% of its fixed limit ${limit}; raise it in cli/chain/gas.ts`);
  }
  console.log(JSON.stringify(used));
});
