// The rules that keep the compliance cycle from rewarding the wrong thing, each written as its scenario:
// the silent net buyer (silence never pays), enforcement out of order (same totals as in order), the
// status after close (a snapshot nothing changes), late issuance (never toward a period that is over),
// an account that took no part (never C); and the regulator's estimate that C is enforced on.
import {
  complianceState,
  deployedCompliance,
  EVIDENCE,
  expectComplianceUnchanged,
  mineAt,
  openPeriod,
  type OpenedPeriod,
  sendAt,
  Status,
} from "./compliance-helpers";
import { deployedMarket, digestOf, expectActivity, expectCustomError, expectOutcome, isolate, type Market, Operation, ZERO_ADDRESS } from "./helpers";

const ESTIMATED = "Emissions estimated";
const NO_ESTIMATE = "No verified emissions and no estimate: estimate this account's emissions first";
const C_ENFORCED = "No verified emissions: the account is frozen and a penalty recorded on the regulator's estimate";
const SHORT = "Short: the account is frozen and a penalty recorded";
const NOT_COVERED = "This account took no part in this period";
const PERIOD_ENDED = "The surrender deadline of the open period has passed: close it before issuing quota";

contract("Compliance", ([regulator, honest, silent, other, verifier, stranger]) => {
  let market: Market;
  let carbon: CarbonInstance;
  let compliance: ComplianceInstance;
  let watched: string[];
  const text = (value: { toString(): string }): string => value.toString();
  const status = async (account: string, periodId: number): Promise<string> => Status[Number(await compliance.statusOf(account, periodId))];

  /** The verifier's path, start to end: appointed, accepted, reported, approved. */
  async function reportVerified(customer: string, periodId: number, tonnes: number): Promise<void> {
    await compliance.appointVerifier(customer, periodId, verifier, { from: customer });
    await compliance.acceptAppointment(verifier, customer, periodId, { from: verifier });
    await compliance.reportEmissions(customer, periodId, tonnes, EVIDENCE, { from: customer });
    await compliance.approveReport(verifier, customer, periodId, { from: verifier });
  }

  async function close(period: OpenedPeriod): Promise<void> {
    await mineAt(period.surrenderDeadline + 1);
    const tx = await compliance.closePeriod(period.periodId, { from: regulator });
    expectOutcome(tx, "ClosePeriod", { sender: regulator, isSuccess: true, message: "Period closed" });
  }

  async function enforce(customer: string, periodId: number, message: string): Promise<void> {
    const tx = await compliance.enforceCompliance(customer, periodId, { from: regulator });
    expectOutcome(tx, "EnforceCompliance", { sender: regulator, isSuccess: true, message });
  }

  before(async () => {
    market = await deployedMarket();
    carbon = market.carbon;
    compliance = await deployedCompliance();
    for (const account of [honest, silent, other]) await carbon.newCustomer(account, digestOf(`pw-${account}`), { from: account });
    await compliance.accreditVerifier(verifier, { from: regulator });
    watched = [honest, silent, other];
  });

  describe("the silent net buyer: silence never pays", () => {
    isolate();
    let period: OpenedPeriod;

    // Both are allocated 100, emit 500 and surrender 100; one reports, one stays silent. Rate 100.
    before(async () => {
      period = await openPeriod(compliance, regulator, { cap: 1_000, rate: 100 });
      for (const account of [honest, silent]) await carbon.sendCarbonToCustomer(account, 100, { from: regulator });
      await reportVerified(honest, 0, 500);
      for (const account of [honest, silent]) await compliance.surrenderCarbon(account, 100, { from: account });
      await close(period);
    });

    it("reporting honestly owes 400 and pays 40,000", async () => {
      await enforce(honest, 0, SHORT);
      const record = await compliance.getRecord(honest, 0);
      assert.deepEqual([record.shortfall, record.penalty], ["400", "40000"], "500 − 100 owed, 400 × 100");
    });

    it(`silence is C, and C is not enforced until the regulator estimates: "${NO_ESTIMATE}", changing nothing`, async () => {
      assert.equal(await status(silent, 0), "C");
      const before = await complianceState(market, compliance, watched);

      const tx = await compliance.enforceCompliance(silent, 0, { from: regulator });

      expectOutcome(tx, "EnforceCompliance", { sender: regulator, isSuccess: false, message: NO_ESTIMATE });
      await expectComplianceUnchanged(market, compliance, before, "enforcing C without an estimate");
      assert.isFalse(await carbon.isFrozen(silent), "not frozen, nor forgiven: it waits for the estimate");
    });

    it("silence on an estimate of its true 500 owes 450 and pays 55,000: more than reporting, on both counts", async () => {
      await compliance.estimateEmissions(silent, 0, 500, "Capacity × the sector's intensity", { from: regulator });

      await enforce(silent, 0, C_ENFORCED);

      await enforce(honest, 0, SHORT);
      const [quiet, reported] = await Promise.all([compliance.getRecord(silent, 0), compliance.getRecord(honest, 0)]);
      assert.deepEqual([quiet.obligation, quiet.shortfall, quiet.penalty], ["550", "450", "55000"], "500 + 10 %, less the 100 surrendered; 550 × 100");
      assert.isAbove(Number(quiet.shortfall), Number(reported.shortfall), "silence owes more quota");
      assert.isAbove(Number(quiet.penalty), Number(reported.penalty), "silence pays a larger penalty");
      assert.isTrue(await carbon.isFrozen(silent), "frozen");
    });
  });

  describe("estimateEmissions", () => {
    isolate();
    let period: OpenedPeriod;

    before(async () => {
      period = await openPeriod(compliance, regulator, { cap: 1_000, rate: 3 });
      for (const account of [honest, silent]) await carbon.sendCarbonToCustomer(account, 100, { from: regulator });
    });

    it(`emits "${ESTIMATED}" after the reporting deadline, with EmissionsEstimated and an Activity; a second estimate replaces the first`, async () => {
      await mineAt(period.reportingDeadline + 1);

      const tx = await compliance.estimateEmissions(silent, 0, 120, "Last year's verified figure + growth", { from: regulator });

      expectOutcome(tx, "EstimateEmissions", { sender: regulator, isSuccess: true, message: ESTIMATED });
      expectActivity(tx, { account: silent, counterparty: regulator, operation: Operation.EstimateEmissions, carbonId: "2026", amount: 120, isSuccess: true });
      const detail = tx.logs.find((log) => log.event === "EmissionsEstimated")!;
      assert.deepEqual(
        [text(detail.args.periodId), detail.args.customer, text(detail.args.previous), text(detail.args.estimated), text(detail.args.obligation), detail.args.reason],
        ["0", silent, "0", "120", "132", "Last year's verified figure + growth"],
        "EmissionsEstimated",
      );
      const again = await compliance.estimateEmissions(silent, 0, 150, "Metered fuel", { from: regulator });
      assert.equal(text(again.logs.find((log) => log.event === "EmissionsEstimated")!.args.previous), "120", "the estimate it replaces");
      const record = await compliance.getRecord(silent, 0);
      assert.deepEqual([record.estimated, record.obligation, record.estimateReason, record.status], ["150", "165", "Metered fuel", String(Status.C)], "the record");
    });

    it("is allowed once the period is closed, and enforcement uses it; the status stays the closing C", async () => {
      await close(period);
      await compliance.estimateEmissions(silent, 0, 10, "Inspection", { from: regulator });
      assert.equal(await status(silent, 0), "C");
      await enforce(silent, 0, C_ENFORCED);
      assert.equal((await compliance.getRecord(silent, 0)).penalty, "33", "(10 + 1) × 3");
    });

    const refusals: [string, () => Promise<void>, string][] = [
      ["before the reporting deadline", async () => undefined, "The reporting deadline has not passed yet"],
      ["for an account with verified emissions", async () => {
        await compliance.correctEmissions(silent, 0, 40, "inspection", { from: regulator });
        await mineAt(period.reportingDeadline + 1);
      }, "This account's emissions are verified"],
      ["for an account that took no part", async () => {
        await carbon.newCustomer(stranger, digestOf("pw-stranger"), { from: stranger });
        await mineAt(period.reportingDeadline + 1);
      }, NOT_COVERED],
      ["once the account is enforced", async () => {
        await close(period);
        await compliance.estimateEmissions(silent, 0, 10, "first", { from: regulator });
        await compliance.enforceCompliance(silent, 0, { from: regulator });
      }, "This account has already been enforced for this period"],
    ];
    for (const [when, arrange, message] of refusals) {
      it(`emits "${message}" ${when}, changing nothing`, async () => {
        await arrange();
        const account = message === NOT_COVERED ? stranger : silent;
        const before = await complianceState(market, compliance, [...watched, account]);

        const tx = await compliance.estimateEmissions(account, 0, 99, "too early or too late", { from: regulator });

        expectOutcome(tx, "EstimateEmissions", { sender: regulator, isSuccess: false, message });
        expectActivity(tx, { account, counterparty: ZERO_ADDRESS, operation: Operation.EstimateEmissions, carbonId: "2026", amount: 99, isSuccess: false });
        await expectComplianceUnchanged(market, compliance, before, `an estimate ${when}`);
      });
    }

    it("reverts for anyone but the regulator, a non-customer, zero or too many tonnes, or a bad reason", async () => {
      await mineAt(period.reportingDeadline + 1);
      for (const sender of [silent, verifier, stranger]) {
        await expectCustomError(compliance.estimateEmissions(silent, 0, 5, "r", { from: sender }), "ComplianceUnauthorizedRegulator(address)", [sender]);
      }
      await expectCustomError(compliance.estimateEmissions(stranger, 0, 5, "r", { from: regulator }), "ComplianceNotCustomer(address)", [stranger]);
      await expectCustomError(compliance.estimateEmissions(silent, 1, 5, "r", { from: regulator }), "ComplianceUnknownPeriod(uint256)", [1]);
      await expectCustomError(compliance.estimateEmissions(silent, 0, 0, "r", { from: regulator }), "ComplianceZeroAmount()");
      const huge = (2n ** 96n).toString();
      await expectCustomError(compliance.estimateEmissions(silent, 0, huge, "r", { from: regulator }), "ComplianceAmountTooLarge(uint256,uint256)", [huge, (2n ** 96n - 1n).toString()]);
      await expectCustomError(compliance.estimateEmissions(silent, 0, 5, "", { from: regulator }), "ComplianceInvalidReason(uint256)", [0]);
      await expectCustomError(compliance.estimateEmissions(silent, 0, 5, "x".repeat(257), { from: regulator }), "ComplianceInvalidReason(uint256)", [257]);
    });
  });

  describe("enforcement out of order", () => {
    isolate();

    // Two accounts with the same records in two periods: each short in both. One is enforced in order,
    // the other later period first.
    before(async () => {
      const first = await openPeriod(compliance, regulator, { label: "2026", cap: 1_000, rate: 5 });
      for (const account of [honest, other]) {
        await carbon.sendCarbonToCustomer(account, 100, { from: regulator });
        await compliance.correctEmissions(account, 0, 90, "verified", { from: regulator });
        await compliance.surrenderCarbon(account, 60, { from: account });
      }
      await close(first);
      const second = await openPeriod(compliance, regulator, { label: "2027", cap: 1_000, rate: 7 });
      for (const account of [honest, other]) {
        await carbon.sendCarbonToCustomer(account, 100, { from: regulator });
        await compliance.correctEmissions(account, 1, 50, "verified", { from: regulator });
        await compliance.surrenderCarbon(account, 30, { from: account });
      }
      await close(second);
    });

    it("enforces the earlier period after the later one, each collecting its own shortfall and penalty, the same totals as in order", async () => {
      await enforce(honest, 0, SHORT);
      await enforce(honest, 1, SHORT);
      await enforce(other, 1, SHORT);
      await enforce(other, 0, SHORT);

      for (const account of [honest, other]) {
        const [first, second, standing] = await Promise.all([compliance.getRecord(account, 0), compliance.getRecord(account, 1), compliance.standingOf(account)]);
        assert.deepEqual([first.shortfall, first.penalty], ["30", "150"], "2026: 90 − 60 short, 30 × 5");
        assert.deepEqual([second.shortfall, second.penalty], ["20", "140"], "2027: 50 − 30 short, 20 × 7");
        assert.equal(standing.outstanding, "50", "owes both shortfalls");
      }
      assert.equal(text(await compliance.penaltyTotal()), String(2 * (150 + 140)), "every penalty recorded once");
      assert.deepEqual([(await compliance.getPeriod(0)).penalties, (await compliance.getPeriod(1)).penalties], ["300", "280"], "each period's penalties");
    });

    it("one late surrender of everything owed clears both periods, whichever was enforced first", async () => {
      await enforce(other, 1, SHORT);
      await enforce(other, 0, SHORT);
      const tx = await compliance.surrenderCarbon(other, 50, { from: other });
      expectOutcome(tx, "SurrenderCarbon", { sender: other, isSuccess: true, message: "Quota surrendered, the shortfall is cleared" });
      assert.equal((await compliance.standingOf(other)).outstanding, "0", "owes nothing");
    });
  });

  describe("the status after close", () => {
    isolate();

    // In 2026 the account is short by 40 (B); in 2027 it complies (A). Both are closed before either
    // is enforced: what used to carry 2026's shortfall into 2027's status.
    before(async () => {
      const first = await openPeriod(compliance, regulator, { label: "2026", cap: 1_000, rate: 2 });
      await carbon.sendCarbonToCustomer(honest, 200, { from: regulator });
      await compliance.correctEmissions(honest, 0, 100, "verified", { from: regulator });
      await compliance.surrenderCarbon(honest, 60, { from: honest });
      await close(first);
      const second = await openPeriod(compliance, regulator, { label: "2027", cap: 1_000, rate: 2 });
      await compliance.correctEmissions(honest, 1, 50, "verified", { from: regulator });
      await compliance.surrenderCarbon(honest, 50, { from: honest });
      await close(second);
    });

    it("stays A and B through its own enforcement, the other period's, and a late surrender", async () => {
      const snapshot = async (): Promise<string[]> => [await status(honest, 0), await status(honest, 1)];
      assert.deepEqual(await snapshot(), ["B", "A"], "at closing");

      await enforce(honest, 0, SHORT);
      assert.deepEqual(await snapshot(), ["B", "A"], "2026 enforced: 2027 is still A, though the account now owes 40");
      assert.equal((await compliance.standingOf(honest)).outstanding, "40", "owes 2026's 40");

      await compliance.surrenderCarbon(honest, 40, { from: honest });
      assert.deepEqual(await snapshot(), ["B", "A"], "a late surrender: 2026 is still B, as it closed");

      await enforce(honest, 1, "Compliant");
      assert.deepEqual(await snapshot(), ["B", "A"], "2027 enforced: the same");
      const [first, second] = await Promise.all([compliance.getRecord(honest, 0), compliance.getRecord(honest, 1)]);
      assert.deepEqual([first.status, second.status], [String(Status.B), String(Status.A)], "getRecord agrees");
    });

    it("an account that took no part is NotCovered, never C: enforcing it freezes nothing and records nothing", async () => {
      assert.equal(await status(other, 0), "NotCovered");
      const tx = await compliance.enforceCompliance(other, 0, { from: regulator });

      expectOutcome(tx, "EnforceCompliance", { sender: regulator, isSuccess: true, message: NOT_COVERED });
      assert.isFalse(await carbon.isFrozen(other), "not frozen");
      const record = await compliance.getRecord(other, 0);
      assert.deepEqual([record.status, record.shortfall, record.penalty], [String(Status.NotCovered), "0", "0"], "nothing recorded against it");
      assert.equal((await compliance.getPeriod(0)).nonCompliantCount, "0", "not counted as non-compliant");
    });
  });

  describe("late issuance", () => {
    isolate();
    let period: OpenedPeriod;

    before(async () => {
      period = await openPeriod(compliance, regulator, { cap: 1_000, rate: 3 });
      await carbon.sendCarbonToCustomer(silent, 100, { from: regulator });
    });

    it(`is refused after the surrender deadline and before closing: "${PERIOD_ENDED}", changing nothing`, async () => {
      await mineAt(period.surrenderDeadline + 1);
      const before = await complianceState(market, compliance, watched);

      const tx = await carbon.sendCarbonToCustomer(silent, 50, { from: regulator });

      expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: false, message: PERIOD_ENDED });
      expectActivity(tx, { account: silent, counterparty: ZERO_ADDRESS, operation: Operation.SendCarbonToCustomer, amount: 50, isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "issuing after the surrender deadline");
    });

    it("is still counted at the surrender deadline itself", async () => {
      const tx = await sendAt(period.surrenderDeadline, carbon, "sendCarbonToCustomer", [other, 10], regulator);
      expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: true, message: "Successfully issued quota" });
      assert.equal((await compliance.getRecord(other, 0)).allocated, "10", "counted toward the period");
    });

    it("counts toward no period once it is closed, and toward the next once that opens", async () => {
      await close(period);
      const between = await carbon.sendCarbonToCustomer(silent, 50, { from: regulator });
      expectOutcome(between, "SendCarbonToCustomer", { sender: regulator, isSuccess: true, message: "Successfully issued quota" });
      assert.deepEqual([(await compliance.getRecord(silent, 0)).allocated, (await compliance.getPeriod(0)).allocated], ["100", "100"], "the closed period's allocation is as it closed");

      await openPeriod(compliance, regulator, { label: "2027" });
      await carbon.sendCarbonToCustomer(silent, 70, { from: regulator });
      assert.equal((await compliance.getRecord(silent, 1)).allocated, "70", "counted toward 2027");
      assert.equal(text(await carbon.getCustomerCarbonAmount(silent)), "220", "every accepted issue is in the balance");
    });
  });
});
