// The compliance client (cli/chain/compliance.ts) against a real chain: its reads decode the module's
// structs into plain values, and its writes refuse before sending what the contract would revert on.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { Compliance } from "../../cli/chain/compliance";
import { evidenceHash, parseEvidence, parseLabel, parseReason } from "../../cli/chain/compliance-inputs";
import { UsageError } from "../../cli/support/errors";
import { startMarket, type CliChain } from "./support/cli";

let cli: CliChain;
let compliance: Compliance;
const DAY = 86_400;

before(async () => {
  cli = await startMarket();
  compliance = new Compliance(cli.market);
});

after(async () => {
  await cli.stop();
});

const advance = async (seconds: number): Promise<void> => {
  await cli.rpc.request("evm_increaseTime", [seconds]);
  await cli.rpc.request("evm_mine");
};

it("reads a whole cycle back as plain values: period, records, statuses, standing, verifiers, appointments", async () => {
  const { market, accounts } = cli;
  const [regulator, customer, other, verifier] = accounts;
  assert.equal(await compliance.currentPeriod(), undefined, "no period before the first");
  await assert.rejects(compliance.period(0), (error) => error instanceof UsageError && /no period has been opened yet/.test(error.message));

  const now = await compliance.currentTime();
  const opened = await compliance.openPeriod({ label: "2026", cap: 500n, reportingDeadline: now + 10 * DAY, surrenderDeadline: now + 20 * DAY, penaltyRate: 5n });
  assert.deepEqual([opened.ok, opened.message, opened.event], [true, "Period opened", "OpenPeriod"]);
  await market.newCustomer(customer, "a password of some length");
  await market.newCustomer(other, "a password of some length");
  await market.sendCarbonToCustomer(customer, 300n);
  await market.sendCarbonToCustomer(other, 100n);
  await compliance.accreditVerifier(verifier);
  await compliance.appointVerifier(customer, 0, verifier);
  await compliance.acceptAppointment(verifier, customer, 0);
  const evidence = evidenceHash("the 2026 emissions report");
  await compliance.reportEmissions(customer, 0, 250n, evidence);
  assert.equal(await compliance.status(customer, 0), "pending");
  const rejected = await compliance.rejectReport(verifier, customer, 0, "The kiln is missing");
  assert.deepEqual([rejected.ok, rejected.message], [true, "Report rejected"]);
  const resubmitted = await compliance.reportEmissions(customer, 0, 280n, evidence);
  assert.equal(resubmitted.message, "Report resubmitted");
  await compliance.approveReport(verifier, customer, 0);
  await compliance.surrenderCarbon(customer, 200n);

  assert.deepEqual(await compliance.currentPeriod(), { periodId: 0, open: true });
  const period = await compliance.period(0);
  assert.deepEqual(
    { ...period, openedAt: 0 },
    {
      periodId: 0, label: "2026", cap: 500n, allocated: 400n, reportingDeadline: now + 10 * DAY, surrenderDeadline: now + 20 * DAY,
      penaltyRate: 5n, openedAt: 0, closed: false, reportCount: 1, verifiedCount: 1, enforcedCount: 0, nonCompliantCount: 0, surrendered: 200n, penalties: 0n,
    },
  );
  assert.ok(period.openedAt >= now, "opened now");
  const record = await compliance.record(customer, 0);
  assert.deepEqual(record, {
    customer: customer.toLowerCase(), periodId: 0, allocated: 300n, reported: 280n, verified: 280n, surrendered: 200n, estimated: 0n,
    obligation: 0n, shortfall: 0n, penalty: 0n, status: "B", reportState: "verified", enforced: false,
    verifier: verifier.toLowerCase(), verifierAccepted: true, evidence, rejectionReason: "The kiln is missing",
  });
  assert.deepEqual((await compliance.record(other, 0)).status, "unreported");
  assert.deepEqual(await compliance.verifierPage(0, 10), { total: 1, accounts: [verifier.toLowerCase()] });
  assert.deepEqual((await compliance.appointmentsOf(0, verifier)).map((r) => r.customer), [customer.toLowerCase()]);
  assert.equal((await compliance.periodByLabel("2026"))?.periodId, 0);
  assert.equal(await compliance.periodByLabel("1999"), undefined);

  await advance(20 * DAY + 1);
  await compliance.closePeriod(0);
  const enforced = await compliance.enforceCompliance(customer, 0);
  assert.deepEqual([enforced.ok, enforced.message], [true, "Short: the account is frozen and a penalty recorded"]);
  await assert.rejects(compliance.enforceCompliance(other, 0), (error) => error instanceof UsageError && /has no verified emissions and no estimate for period 2026/.test(error.message), "foreseen, not sent");
  const unestimated = await compliance.enforceCompliance(other, 0, regulator, { precheck: false });
  assert.deepEqual([unestimated.ok, unestimated.message], [false, "No verified emissions and no estimate: estimate this account's emissions first"]);
  await assert.rejects(compliance.estimateEmissions(other, 0, 0n, "none"), (error) => error instanceof UsageError && /estimate at least 1 tonne/.test(error.message));
  const estimated = await compliance.estimateEmissions(other, 0, 120n, "capacity x intensity");
  assert.deepEqual([estimated.ok, estimated.message, estimated.event], [true, "Emissions estimated", "EstimateEmissions"]);
  assert.deepEqual([(await compliance.record(other, 0)).obligation, (await compliance.record(other, 0)).estimateReason], [132n, "capacity x intensity"], "120 + 10 %");
  const other2 = await compliance.enforceCompliance(other, 0);
  assert.equal(other2.message, "No verified emissions: the account is frozen and a penalty recorded on the regulator's estimate");
  assert.deepEqual(await compliance.standing(customer), { outstanding: 80n, lastEnforcedPeriod: 0 });
  assert.deepEqual(await compliance.standing(regulator), { outstanding: 0n });
  const late = await compliance.surrenderCarbon(customer, 80n);
  assert.deepEqual([late.ok, late.message], [true, "Quota surrendered, the shortfall is cleared"]);
  assert.equal(await compliance.surrenderedCarbonAmount(), 280n);
  assert.equal(await compliance.penaltyTotal(), 80n * 5n + 132n * 5n, "B: 80 short; C: on the estimate + 10 %");
  await assert.rejects(compliance.closePeriod(0), (error) => error instanceof UsageError && error.message === "period 2026 is closed already", "foreseen, not sent");
  const failed = await compliance.closePeriod(0, regulator, { precheck: false });
  assert.deepEqual([failed.ok, failed.message], [false, "This period is already closed"]);
});

it("refuses before sending what the contract would revert on", async () => {
  const [regulator, customer, , verifier, stranger] = cli.accounts;
  const usage = (pattern: RegExp) => (error: unknown) => error instanceof UsageError && pattern.test(error.message);
  const now = await compliance.currentTime();
  const spec = { label: "2027", cap: 10n, reportingDeadline: now + DAY, surrenderDeadline: now + 2 * DAY, penaltyRate: 1n };
  await assert.rejects(compliance.openPeriod(spec, customer), usage(/not the regulator/));
  await assert.rejects(compliance.openPeriod({ ...spec, reportingDeadline: now }), usage(/after the chain's time now/));
  await assert.rejects(compliance.openPeriod({ ...spec, surrenderDeadline: now }), usage(/must not be before the reporting deadline/));
  await assert.rejects(compliance.openPeriod({ ...spec, cap: 0n }), usage(/cap 0 is outside/));
  await assert.rejects(compliance.openPeriod({ ...spec, label: "" }), usage(/period label/));
  await assert.rejects(compliance.closePeriod(7), usage(/period 7 does not exist: the periods are 0 to 0/));
  await assert.rejects(compliance.accreditVerifier(regulator), usage(/regulator cannot be a verifier/));
  await assert.rejects(compliance.appointVerifier(customer, 0, customer), usage(/cannot verify its own/));
  await assert.rejects(compliance.appointVerifier(stranger, 0, verifier), usage(/not a registered customer/));
  await assert.rejects(compliance.reportEmissions(customer, 0, 1n, "0x" + "0".repeat(64)), usage(/zero hash/));
  await assert.rejects(compliance.reportEmissions(customer, 0, 2n ** 96n, evidenceHash("x")), usage(/outside 0 to 2\^96-1/));
  await assert.rejects(compliance.reportEmissions(customer, 0, 1n, evidenceHash("x"), verifier), usage(/cannot act for/));
  await assert.rejects(compliance.surrenderCarbon(customer, 0n), usage(/outside 1 to 2\^96-1/));
  await assert.rejects(compliance.rejectReport(verifier, customer, 0, " "), usage(/reason is empty/));
  await assert.rejects(compliance.enforceCompliance(customer, -1), usage(/not a period id/));
  assert.throws(() => parseEvidence("0x12"), UsageError);
  assert.equal(parseEvidence("0x" + "AB".repeat(32)), "0x" + "ab".repeat(32));
  assert.throws(() => parseLabel("x".repeat(33)), /period label "x+" is 33 bytes/);
  assert.throws(() => parseReason("é".repeat(129)), /258 bytes/);
});
