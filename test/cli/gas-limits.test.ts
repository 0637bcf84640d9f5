// The fixed gas limits of cli/chain/gas.ts against the contract as built: every market method is
// sent at its most expensive (fresh storage, 32-byte IDs) and must use less than its limit, with
// room to spare, so a contract change that outgrows a limit fails here and not in a user's hands.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { GAS_LIMITS, placeOrderGas, pruneLevelGas } from "../../cli/chain/gas";
import { OrderBook } from "../../cli/chain/order-book";
import { MAX_PRUNES, TICK_WEI } from "../../cli/chain/order-book-types";
import { Compliance } from "../../cli/chain/compliance";
import { evidenceHash } from "../../cli/chain/compliance-inputs";
import type { Outcome } from "../../cli/chain/outcome";
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
  // Names at 32 bytes; the seller registration renames (frees the customer's name, fills a new key).
  const named = accounts[9];
  note("newNamedCustomer", await market.newCustomer(named, "a password of some length", "N".repeat(32)));
  note("newNamedSeller", await market.newSeller(named, "a password of some length", "O".repeat(32)));
  note("setName", await market.setName(named, "P".repeat(32)));
  // Plain ether, as carbon fund sends it from the regulator when there is no faucet.
  used.transfer = (await market.sendEther(other, 10n ** 15n, accounts[0])).gasUsed;
  note("freezeAccount", await market.freezeAccount(other));
  note("unfreezeAccount", await market.unfreezeAccount(other));
  await bookAtItsDearest(cli, note);

  // The compliance cycle, each method on its most expensive path: first writes to fresh slots, 32-byte
  // labels, 256-byte reasons, a surrender that pays a carried shortfall and the open period at once,
  // an enforcement that freezes.
  const [, , , , verifier, revoked, late, silent, successor] = accounts;
  const compliance = new Compliance(market);
  const day = 86_400;
  const advance = async (seconds: number) => {
    await cli.rpc.request("evm_increaseTime", [seconds]);
    await cli.rpc.request("evm_mine");
  };
  const reason = "r".repeat(256);
  const evidence = evidenceHash("the emissions report");
  let now = await compliance.currentTime();
  note("openPeriod", await compliance.openPeriod({ label: "P".repeat(32), cap: 2n ** 127n, reportingDeadline: now + day, surrenderDeadline: now + 2 * day, penaltyRate: 2n ** 63n }));
  note("newCustomer", await market.newCustomer(late, "a password of some length"));
  note("sendCarbonToCustomer", await market.sendCarbonToCustomer(late, 2n ** 91n));
  note("newCustomer", await market.newCustomer(silent, "a password of some length"));
  note("sendCarbonToCustomer", await market.sendCarbonToCustomer(silent, 2n ** 80n));
  note("accreditVerifier", await compliance.accreditVerifier(revoked));
  note("accreditVerifier", await compliance.accreditVerifier(verifier));
  note("revokeVerifier", await compliance.revokeVerifier(revoked));
  note("appointVerifier", await compliance.appointVerifier(late, 0, verifier));
  note("acceptAppointment", await compliance.acceptAppointment(verifier, late, 0));
  note("reportEmissions", await compliance.reportEmissions(customer, 0, 2n ** 95n, evidence));
  note("reportEmissions", await compliance.reportEmissions(late, 0, 2n ** 95n, evidence));
  note("rejectReport", await compliance.rejectReport(verifier, late, 0, reason));
  note("reportEmissions", await compliance.reportEmissions(late, 0, 2n ** 90n, evidence));
  note("approveReport", await compliance.approveReport(verifier, late, 0));
  note("correctEmissions", await compliance.correctEmissions(customer, 0, 2n ** 95n, reason));
  note("surrenderCarbon", await compliance.surrenderCarbon(late, 2n ** 70n));
  await advance(2 * day + 1);
  note("closePeriod", await compliance.closePeriod(0));
  note("enforceCompliance", await compliance.enforceCompliance(late, 0));
  // A silent account: the regulator's first estimate (a 256-byte reason), then C enforced on it with a freeze.
  note("estimateEmissions", await compliance.estimateEmissions(silent, 0, 2n ** 95n, reason));
  note("enforceCompliance", await compliance.enforceCompliance(silent, 0));
  now = await compliance.currentTime();
  note("openPeriod", await compliance.openPeriod({ label: "2027", cap: 1n, reportingDeadline: now + day, surrenderDeadline: now + day, penaltyRate: 1n }));
  note("surrenderCarbon", await compliance.surrenderCarbon(late, 2n ** 90n - 2n ** 70n + 1n));
  // A period nobody reported in: closing it is the first write to its counters' slot.
  await advance(day + 1);
  note("closePeriod", await compliance.closePeriod(1));
  // The handover last: the session's regulator changes with it.
  note("proposeRegulator", await market.proposeRegulator(successor));
  note("acceptRegulator", await market.acceptRegulator(successor));
  for (const [method, limit] of Object.entries(GAS_LIMITS)) {
    assert.ok(used[method] !== undefined, `${method} was sent`);
    assert.ok(BigInt(used[method]) * 10n < limit * 9n, `${method} used ${used[method]} gas: within 10% of its fixed limit ${limit}; raise it in cli/chain/gas.ts`);
  }
  console.log(JSON.stringify(used));
});

/**
 * The order book's methods at their dearest: first writes to the book's slots, a fresh level each
 * time, fills that empty levels and pay makers. A place call's limit is placeOrderGas(maxMatches).
 */
async function bookAtItsDearest({ market, accounts, rpc }: CliChain, note: (method: string, outcome: Outcome) => void): Promise<void> {
  const [, customer, , , buyer] = accounts;
  const book = new OrderBook(market);
  note("newCustomer", await market.newCustomer(buyer, "a password of some length"));
  note("setPriceBand", await book.setPriceBand(1000, market.regulator, 300n * TICK_WEI));
  note("setPriceBand", await book.setPriceBand(0));
  note("haltTrading", await book.haltTrading());
  note("resumeTrading", await book.resumeTrading());
  const placed = async (outcome: Promise<Outcome>, matches: number): Promise<Outcome> => {
    const done = await outcome;
    assert.equal(done.ok, true, done.message);
    const limit = placeOrderGas(matches);
    assert.ok(BigInt(done.gasUsed) * 10n < limit * 9n, `a place call meeting ${matches} orders used ${done.gasUsed} gas: within 10% of ${limit}`);
    return done;
  };
  for (const ticks of [300n, 301n, 302n]) await placed(book.placeAsk(10n, ticks * TICK_WEI, { from: customer, maxMatches: 0 }), 0);
  await placed(book.placeBid(10n, 200n * TICK_WEI, { from: buyer, maxMatches: 0 }), 0);
  note("cancelOrder", await book.cancelOrder(3n, customer));
  note("cancelOrder", await book.cancelOrder(4n, buyer));
  // Two fills, each emptying a level, then the rest resting at a new level.
  await placed(book.placeBid(21n, 301n * TICK_WEI, { from: buyer, maxMatches: 2 }), 2);
  note("withdraw", await book.withdraw(customer)); // the two fills' proceeds, its first withdrawal
  const block = await rpc.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  // Bids left to expire: a place call removes MAX_PRUNES of them before its one fill, and a sweep as many.
  for (const ticks of [250n, 240n]) {
    for (let i = 0; i < MAX_PRUNES; i++) await placed(book.placeBid(10n, ticks * TICK_WEI, { from: i % 2 ? buyer : customer, maxMatches: 0, expiry: Number(block.timestamp) + 3_600 }), 0);
  }
  await placed(book.placeBid(10n, 250n * TICK_WEI, { from: buyer, maxMatches: 0 }), 0);
  const expiring = await placed(book.placeAsk(10n, 400n * TICK_WEI, { from: customer, maxMatches: 0, expiry: Number(block.timestamp) + 3_600 }), 0);
  await rpc.request("evm_increaseTime", [7_200]); // the node's clock passes the expiries
  await rpc.request("evm_mine");
  const [{ id }] = (await market.transactionEvents(expiring.txHash, "OrderBook")).filter((event) => event.name === "OrderPlaced").map((event) => ({ id: BigInt(String(event.args.id)) }));
  note("expireOrder", await book.expireOrder(id, customer));
  const taker = await placed(book.placeAsk(10n, 250n * TICK_WEI, { from: customer, maxMatches: 1 }), 1);
  assert.equal(taker.message, "Order filled", "MAX_PRUNES removals, then the fill behind them: a place call at its dearest");
  const sweep = await book.pruneLevel("bid", 240n * TICK_WEI, buyer);
  assert.equal(sweep.removed, MAX_PRUNES, "a sweep removes MAX_PRUNES orders");
  assert.ok(BigInt(sweep.gasUsed) * 10n < pruneLevelGas(MAX_PRUNES) * 9n, `pruneLevel used ${sweep.gasUsed} gas: within 10% of ${pruneLevelGas(MAX_PRUNES)}`);
}
