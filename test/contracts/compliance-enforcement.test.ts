// Surrender, status and enforcement: quota surrendered leaves the market for good and counts toward the
// period; the status is one pure function (A, B, C, pending, not covered); after closing, the regulator
// enforces the period account by account: B and C are frozen, a penalty is recorded and the shortfall
// is owed until a late surrender clears it. The rules' scenarios (silence, order, snapshot, late
// issuance) are in compliance-rules.
import {
  complianceState,
  deployedCompliance,
  EVIDENCE,
  expectComplianceUnchanged,
  mineAt,
  openPeriod,
  type OpenedPeriod,
  ReportState,
  sendAt,
  Status,
} from "./compliance-helpers";
import {
  deployedMarket,
  digestOf,
  expectActivity,
  expectCustomError,
  expectOutcome,
  isolate,
  type Market,
  Operation,
  ZERO_ADDRESS,
} from "./helpers";

const SURRENDERED = "Quota surrendered";
const CLEARED = "Quota surrendered, the shortfall is cleared";
const NO_PERIOD = "There is no open period to surrender for";
const SURRENDER_OVER = "The surrender deadline has passed";
const INSUFFICIENT = "Insufficient balance, surrender failed";
const COMPLIANT = "Compliant";
const SHORT = "Short: the account is frozen and a penalty recorded";
const NO_EMISSIONS = "No verified emissions: the account is frozen and a penalty recorded on the regulator's estimate";
const NOT_CLOSED = "This period is not closed yet";
const ALREADY_ENFORCED = "This account has already been enforced for this period";
const NO_ESTIMATE = "No verified emissions and no estimate: estimate this account's emissions first";

contract("Compliance", ([regulator, compliant, short, silent, verifier, stranger, seller]) => {
  let market: Market;
  let carbon: CarbonInstance;
  let compliance: ComplianceInstance;
  let watched: string[];
  const text = (value: { toString(): string }): string => value.toString();

  /** Σ customers + Σ sellers == issued − settled − surrendered, for the accounts of this file. */
  async function expectConserved(): Promise<void> {
    const [issued, settled, surrendered, ...balances] = await Promise.all([
      carbon.issuedCarbonAmount(),
      carbon.settledCarbonAmount(),
      compliance.surrenderedCarbonAmount(),
      ...[compliant, short, silent].map((account) => carbon.getCustomerCarbonAmount(account)),
      carbon.getSellerCarbonAmount(seller),
    ]);
    const held = balances.reduce((sum, balance) => sum + BigInt(balance.toString()), 0n);
    assert.equal(held, BigInt(issued.toString()) - BigInt(settled.toString()) - BigInt(surrendered.toString()), "customers + sellers = issued − settled − surrendered");
  }

  /** The transaction's logs from one contract: enforcement's freeze adds the market's own Activity. */
  function from(tx: TruffleTransaction, address: string): TruffleTransaction {
    return { ...tx, logs: tx.logs.filter((log) => log.address.toLowerCase() === address.toLowerCase()) };
  }

  /** The regulator sets verified emissions directly (the verifier's path is tested in compliance-verification). */
  async function verify(customer: string, periodId: number, tonnes: number): Promise<void> {
    await compliance.correctEmissions(customer, periodId, tonnes, "verified figure for the test", { from: regulator });
  }

  before(async () => {
    market = await deployedMarket();
    carbon = market.carbon;
    compliance = await deployedCompliance();
    for (const account of [compliant, short, silent]) await carbon.newCustomer(account, digestOf(`pw-${account}`), { from: account });
    await carbon.newSeller(seller, digestOf("pw-seller"), { from: seller });
    watched = [compliant, short, silent, seller];
  });

  describe("surrenderCarbon", () => {
    isolate();
    let period: OpenedPeriod;

    before(async () => {
      period = await openPeriod(compliance, regulator, { cap: 1_000, rate: 7 });
      await carbon.sendCarbonToCustomer(compliant, 300, { from: regulator });
      await carbon.sendCarbonToCustomer(short, 100, { from: regulator });
    });

    it(`emits "${SURRENDERED}": the quota leaves the balance for good and counts toward the period`, async () => {
      const tx = await compliance.surrenderCarbon(compliant, 120, { from: compliant });

      expectOutcome(tx, "SurrenderCarbon", { sender: compliant, isSuccess: true, message: SURRENDERED });
      expectActivity(tx, { account: compliant, counterparty: regulator, operation: Operation.SurrenderCarbon, carbonId: "2026", amount: 120, isSuccess: true });
      assert.equal(text(await carbon.getCustomerCarbonAmount(compliant)), "180", "the balance; the rest stays banked");
      assert.equal((await compliance.getRecord(compliant, 0)).surrendered, "120", "the record");
      assert.equal((await compliance.getPeriod(0)).surrendered, "120", "the period's total");
      assert.equal(text(await compliance.surrenderedCarbonAmount()), "120", "all quota ever surrendered");
      assert.equal(text(await carbon.issuedCarbonAmount()), "400", "issued is unchanged");
      await expectConserved();
    });

    it(`emits "${SURRENDERED}" at the surrender deadline itself, and "${SURRENDER_OVER}" a second after, changing nothing`, async () => {
      const onTime = await sendAt(period.surrenderDeadline, compliance, "surrenderCarbon", [compliant, 10], compliant);
      expectOutcome(onTime, "SurrenderCarbon", { sender: compliant, isSuccess: true, message: SURRENDERED });

      const before = await complianceState(market, compliance, watched);
      const late = await sendAt(period.surrenderDeadline + 1, compliance, "surrenderCarbon", [compliant, 10], compliant);

      expectOutcome(late, "SurrenderCarbon", { sender: compliant, isSuccess: false, message: SURRENDER_OVER });
      expectActivity(late, { account: compliant, counterparty: ZERO_ADDRESS, operation: Operation.SurrenderCarbon, carbonId: "2026", amount: 10, isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "a surrender a second after the deadline");
    });

    it(`emits "${INSUFFICIENT}" beyond the balance, changing nothing`, async () => {
      const before = await complianceState(market, compliance, watched);

      const tx = await compliance.surrenderCarbon(short, 101, { from: short });

      expectOutcome(tx, "SurrenderCarbon", { sender: short, isSuccess: false, message: INSUFFICIENT });
      expectActivity(tx, { account: short, counterparty: ZERO_ADDRESS, operation: Operation.SurrenderCarbon, carbonId: "2026", amount: 101, isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "a surrender beyond the balance");
    });

    it(`emits "${NO_PERIOD}" once the period is closed (and before any), changing nothing`, async () => {
      await mineAt(period.surrenderDeadline + 1);
      await compliance.closePeriod(0, { from: regulator });
      const before = await complianceState(market, compliance, watched);

      const tx = await compliance.surrenderCarbon(compliant, 5, { from: compliant });

      expectOutcome(tx, "SurrenderCarbon", { sender: compliant, isSuccess: false, message: NO_PERIOD });
      expectActivity(tx, { account: compliant, counterparty: ZERO_ADDRESS, operation: Operation.SurrenderCarbon, amount: 5, isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "a surrender with no open period");
    });

    it("lets a frozen customer surrender: it cannot trade, but it can comply", async () => {
      await carbon.freezeAccount(short, { from: regulator });

      const tx = await compliance.surrenderCarbon(short, 60, { from: short });

      expectOutcome(tx, "SurrenderCarbon", { sender: short, isSuccess: true, message: SURRENDERED });
      assert.equal(text(await carbon.getCustomerCarbonAmount(short)), "40", "the balance");
      await expectConserved();
    });

    it("reverts for another sender, a non-customer, a zero amount or one beyond 2^96-1", async () => {
      await expectCustomError(compliance.surrenderCarbon(compliant, 1, { from: short }), "ComplianceUnauthorizedAccount(address,address)", [short, compliant]);
      await expectCustomError(compliance.surrenderCarbon(compliant, 1, { from: regulator }), "ComplianceUnauthorizedAccount(address,address)", [regulator, compliant]);
      await expectCustomError(compliance.surrenderCarbon(seller, 1, { from: seller }), "ComplianceNotCustomer(address)", [seller]);
      await expectCustomError(compliance.surrenderCarbon(stranger, 1, { from: stranger }), "ComplianceNotCustomer(address)", [stranger]);
      await expectCustomError(compliance.surrenderCarbon(compliant, 0, { from: compliant }), "ComplianceZeroAmount()");
      const huge = (2n ** 96n).toString();
      await expectCustomError(compliance.surrenderCarbon(compliant, huge, { from: compliant }), "ComplianceAmountTooLarge(uint256,uint256)", [huge, (2n ** 96n - 1n).toString()]);
    });
  });

  describe("complianceStatus (the one pure function)", () => {
    isolate();

    // [what, report, verified, surrendered, took part, reporting over, surrender over, status]
    const cases: [string, ReportState, number, number, boolean, boolean, boolean, Status][] = [
      ["nothing reported, before the reporting deadline", ReportState.None, 0, 0, true, false, false, Status.Unreported],
      ["nothing reported by the reporting deadline", ReportState.None, 0, 0, true, true, false, Status.C],
      ["nothing reported, surrender deadline passed", ReportState.None, 0, 50, true, true, true, Status.C],
      ["reported, awaiting its verifier", ReportState.Submitted, 0, 0, true, true, false, Status.Pending],
      ["rejected, awaiting resubmission", ReportState.Rejected, 0, 0, true, true, false, Status.Pending],
      ["reported but not verified by the surrender deadline", ReportState.Submitted, 0, 100, true, true, true, Status.C],
      ["rejected and never verified", ReportState.Rejected, 0, 100, true, true, true, Status.C],
      ["verified, surrendered exactly", ReportState.Verified, 100, 100, true, false, false, Status.A],
      ["verified, surrendered more", ReportState.Verified, 100, 150, true, true, true, Status.A],
      ["verified, one short", ReportState.Verified, 100, 99, true, true, true, Status.B],
      ["verified zero, nothing surrendered", ReportState.Verified, 0, 0, true, true, true, Status.A],
      ["corrected, short", ReportState.Corrected, 80, 10, true, false, false, Status.B],
      ["it took no part, before the reporting deadline", ReportState.None, 0, 0, false, false, false, Status.Unreported],
      ["it took no part, the reporting deadline passed", ReportState.None, 0, 0, false, true, false, Status.NotCovered],
      ["it took no part, the surrender deadline passed", ReportState.None, 0, 0, false, true, true, Status.NotCovered],
    ];
    for (const [what, report, verified, surrendered, tookPart, reportingOver, surrenderOver, expected] of cases) {
      it(`is ${Status[expected]} when ${what}`, async () => {
        const status = await compliance.complianceStatus(report, verified, surrendered, tookPart, reportingOver, surrenderOver);
        assert.equal(status.toString(), String(expected), Status[expected]);
      });
    }

    it("is what statusOf and getRecord say as a period goes on: unreported, pending, B, A, then final", async () => {
      const period = await openPeriod(compliance, regulator, { rate: 1 });
      const status = async (): Promise<string> => Status[Number(await compliance.statusOf(compliant, 0))];
      await carbon.sendCarbonToCustomer(compliant, 200, { from: regulator });
      assert.equal(await status(), "Unreported");
      await compliance.accreditVerifier(verifier, { from: regulator });
      await compliance.appointVerifier(compliant, 0, verifier, { from: compliant });
      await compliance.acceptAppointment(verifier, compliant, 0, { from: verifier });
      await compliance.reportEmissions(compliant, 0, 150, EVIDENCE, { from: compliant });
      assert.equal(await status(), "Pending");
      await compliance.approveReport(verifier, compliant, 0, { from: verifier });
      assert.equal(await status(), "B");
      await compliance.surrenderCarbon(compliant, 150, { from: compliant });
      assert.equal(await status(), "A");
      assert.equal((await compliance.getRecord(compliant, 0)).status, String(Status.A), "getRecord agrees");
      await mineAt(period.surrenderDeadline + 1);
      await compliance.closePeriod(0, { from: regulator });
      assert.equal(await status(), "A", "final once closed");
    });
  });

  describe("enforceCompliance", () => {
    isolate();
    let period: OpenedPeriod;

    before(async () => {
      // compliant: 100 verified, 100 surrendered (A). short: 100 verified, 60 surrendered (B, 40 short).
      // silent: 50 allocated, nothing reported (C).
      period = await openPeriod(compliance, regulator, { cap: 1_000, rate: 7 });
      await carbon.sendCarbonToCustomer(compliant, 150, { from: regulator });
      await carbon.sendCarbonToCustomer(short, 120, { from: regulator });
      await carbon.sendCarbonToCustomer(silent, 50, { from: regulator });
      await verify(compliant, 0, 100);
      await verify(short, 0, 100);
      await compliance.surrenderCarbon(compliant, 100, { from: compliant });
      await compliance.surrenderCarbon(short, 60, { from: short });
    });

    async function close(): Promise<void> {
      await mineAt(period.surrenderDeadline + 1);
      await compliance.closePeriod(0, { from: regulator });
    }

    it(`emits "${NOT_CLOSED}" before the period is closed (even past its deadline), changing nothing`, async () => {
      await mineAt(period.surrenderDeadline + 1);
      const before = await complianceState(market, compliance, watched);

      const tx = await compliance.enforceCompliance(short, 0, { from: regulator });

      expectOutcome(tx, "EnforceCompliance", { sender: regulator, isSuccess: false, message: NOT_CLOSED });
      expectActivity(tx, { account: short, counterparty: ZERO_ADDRESS, operation: Operation.EnforceCompliance, carbonId: "2026", isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "enforcing an open period");
    });

    it(`emits "${COMPLIANT}" for an A account: no freeze, no penalty`, async () => {
      await close();

      const tx = await compliance.enforceCompliance(compliant, 0, { from: regulator });

      expectOutcome(tx, "EnforceCompliance", { sender: regulator, isSuccess: true, message: COMPLIANT });
      expectActivity(tx, { account: compliant, counterparty: regulator, operation: Operation.EnforceCompliance, carbonId: "2026", amount: 0, isSuccess: true });
      assert.isFalse(await carbon.isFrozen(compliant), "not frozen");
      const record = await compliance.getRecord(compliant, 0);
      assert.isTrue(record.enforced, "enforced");
      assert.equal(record.status, String(Status.A), "A");
      assert.equal(record.penalty, "0", "no penalty");
      assert.equal((await compliance.standingOf(compliant)).outstanding, "0", "owes nothing");
      const summary = await compliance.getPeriod(0);
      assert.equal(summary.enforcedCount, "1", "one enforced");
      assert.equal(summary.nonCompliantCount, "0", "none non-compliant");
    });

    it(`emits "${SHORT}" for a B account: frozen, penalty = shortfall × rate, the shortfall owed`, async () => {
      await close();

      const tx = await compliance.enforceCompliance(short, 0, { from: regulator });

      expectOutcome(tx, "EnforceCompliance", { sender: regulator, isSuccess: true, message: SHORT });
      expectActivity(from(tx, compliance.address), { account: short, counterparty: regulator, operation: Operation.EnforceCompliance, carbonId: "2026", amount: 280, isSuccess: true });
      // The market's freeze, by the module, in the same transaction and the same history.
      expectActivity(from(tx, carbon.address), { account: short, counterparty: compliance.address, operation: Operation.FreezeAccount, isSuccess: true });
      const detail = tx.logs.find((log) => log.event === "ComplianceEnforced")!;
      assert.equal(String(detail.args.status), String(Status.B), "ComplianceEnforced.status");
      assert.equal(String(detail.args.shortfall), "40", "ComplianceEnforced.shortfall");
      assert.isTrue(await carbon.isFrozen(short), "frozen by the market's own freeze");
      const record = await compliance.getRecord(short, 0);
      assert.equal(record.status, String(Status.B), "B, final");
      assert.equal(record.shortfall, "40", "the shortfall");
      assert.equal(record.penalty, "280", "40 × 7");
      const standing = await compliance.standingOf(short);
      assert.equal(standing.outstanding, "40", "the account owes 40");
      assert.equal(standing.lastEnforcedPeriod, "0", "from period 0");
      assert.equal(text(await compliance.penaltyTotal()), "280", "penalties recorded");
      const summary = await compliance.getPeriod(0);
      assert.equal(summary.nonCompliantCount, "1", "one non-compliant");
      assert.equal(summary.penalties, "280", "the period's penalties");
    });

    it(`emits "${NO_ESTIMATE}" for a C account without an estimate, changing nothing`, async () => {
      await close();
      const before = await complianceState(market, compliance, watched);

      const tx = await compliance.enforceCompliance(silent, 0, { from: regulator });

      expectOutcome(tx, "EnforceCompliance", { sender: regulator, isSuccess: false, message: NO_ESTIMATE });
      expectActivity(tx, { account: silent, counterparty: ZERO_ADDRESS, operation: Operation.EnforceCompliance, carbonId: "2026", isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "enforcing a C account without an estimate");
    });

    it(`emits "${NO_EMISSIONS}" for a C account: frozen, obligation = the estimate + 10 %, penalty = rate × the obligation`, async () => {
      await close();
      await compliance.estimateEmissions(silent, 0, 80, "sector benchmark × capacity", { from: regulator });

      const tx = await compliance.enforceCompliance(silent, 0, { from: regulator });

      expectOutcome(tx, "EnforceCompliance", { sender: regulator, isSuccess: true, message: NO_EMISSIONS });
      expectActivity(from(tx, compliance.address), { account: silent, counterparty: regulator, operation: Operation.EnforceCompliance, carbonId: "2026", amount: 616, isSuccess: true });
      expectActivity(from(tx, carbon.address), { account: silent, counterparty: compliance.address, operation: Operation.FreezeAccount, isSuccess: true });
      assert.isTrue(await carbon.isFrozen(silent), "frozen");
      const record = await compliance.getRecord(silent, 0);
      assert.equal(record.status, String(Status.C), "C");
      assert.deepEqual([record.estimated, record.obligation], ["80", "88"], "80 estimated, 88 with the surcharge");
      assert.equal(record.penalty, "616", "88 × 7");
      assert.equal(record.shortfall, "88", "nothing surrendered: the whole obligation is owed");
      assert.equal((await compliance.standingOf(silent)).outstanding, "88", "owed");
    });

    it("records a B account that the regulator had frozen already, without freezing it twice", async () => {
      await carbon.freezeAccount(short, { from: regulator });
      await close();

      const tx = await compliance.enforceCompliance(short, 0, { from: regulator });

      expectOutcome(tx, "EnforceCompliance", { sender: regulator, isSuccess: true, message: SHORT });
      assert.lengthOf(from(tx, carbon.address).logs, 0, "the market is not asked to freeze it again");
      assert.isTrue(await carbon.isFrozen(short), "still frozen");
      assert.equal(text(await carbon.getFrozenCount()), "1", "frozen once");
    });

    it(`emits "${ALREADY_ENFORCED}" the second time, changing nothing`, async () => {
      await close();
      await compliance.enforceCompliance(short, 0, { from: regulator });
      const before = await complianceState(market, compliance, watched);

      const tx = await compliance.enforceCompliance(short, 0, { from: regulator });

      expectOutcome(tx, "EnforceCompliance", { sender: regulator, isSuccess: false, message: ALREADY_ENFORCED });
      expectActivity(tx, { account: short, counterparty: ZERO_ADDRESS, operation: Operation.EnforceCompliance, carbonId: "2026", isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "enforcing twice");
    });

    it(`a late surrender that clears the shortfall emits "${CLEARED}", and the regulator can unfreeze`, async () => {
      await close();
      await compliance.enforceCompliance(short, 0, { from: regulator });

      const part = await compliance.surrenderCarbon(short, 15, { from: short });
      expectOutcome(part, "SurrenderCarbon", { sender: short, isSuccess: true, message: SURRENDERED });
      expectActivity(part, { account: short, counterparty: regulator, operation: Operation.SurrenderCarbon, carbonId: "2026", amount: 15, isSuccess: true });
      assert.equal((await compliance.standingOf(short)).outstanding, "25", "25 still owed");

      const rest = await compliance.surrenderCarbon(short, 25, { from: short });

      expectOutcome(rest, "SurrenderCarbon", { sender: short, isSuccess: true, message: CLEARED });
      const record = await compliance.getRecord(short, 0);
      assert.equal((await compliance.standingOf(short)).outstanding, "0", "owes nothing");
      assert.equal(record.shortfall, "40", "the shortfall stays recorded");
      assert.equal(record.status, String(Status.B), "the status stays final: B");
      assert.equal(record.penalty, "280", "the penalty stays recorded");
      assert.equal(text(await carbon.getCustomerCarbonAmount(short)), "20", "120 − 60 − 40");
      await expectConserved();
      const unfrozen = await carbon.unfreezeAccount(short, { from: regulator });
      expectOutcome(unfrozen, "UnfreezeAccount", { sender: regulator, isSuccess: true, message: "Account unfrozen" });
    });

    it(`a late surrender beyond what is owed, with no open period, emits "${NO_PERIOD}", changing nothing`, async () => {
      await close();
      await compliance.enforceCompliance(short, 0, { from: regulator });
      const before = await complianceState(market, compliance, watched);

      const tx = await compliance.surrenderCarbon(short, 41, { from: short });

      expectOutcome(tx, "SurrenderCarbon", { sender: short, isSuccess: false, message: NO_PERIOD });
      expectActivity(tx, { account: short, counterparty: ZERO_ADDRESS, operation: Operation.SurrenderCarbon, carbonId: "2026", amount: 41, isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "a late surrender beyond the shortfall");
    });

    it("owes an unpaid shortfall beside the next period, which it does not touch: penalised once, paid first", async () => {
      await close();
      await compliance.enforceCompliance(short, 0, { from: regulator });
      const next = await openPeriod(compliance, regulator, { label: "2027", rate: 3 });
      await verify(short, 1, 30);
      assert.equal((await compliance.statusOf(short, 1)).toString(), String(Status.B), "B on 2027's own figures: 30 verified, none surrendered");

      await compliance.surrenderCarbon(short, 50, { from: short });

      assert.equal((await compliance.standingOf(short)).outstanding, "0", "a surrender pays what is owed first");
      assert.equal((await compliance.getRecord(short, 1)).surrendered, "10", "the rest counts toward 2027");
      await mineAt(next.surrenderDeadline + 1);
      await compliance.closePeriod(1, { from: regulator });
      const tx = await compliance.enforceCompliance(short, 1, { from: regulator });

      expectOutcome(tx, "EnforceCompliance", { sender: regulator, isSuccess: true, message: SHORT });
      const record = await compliance.getRecord(short, 1);
      assert.equal(record.shortfall, "20", "2027's own shortfall: 30 − 10");
      assert.equal(record.penalty, "60", "20 × 3: only the period's own shortfall is penalised");
      assert.deepEqual([(await compliance.getRecord(short, 0)).shortfall, (await compliance.getRecord(short, 0)).penalty], ["40", "280"], "2026 as enforced");
      const standing = await compliance.standingOf(short);
      assert.deepEqual([standing.outstanding, standing.lastEnforcedPeriod], ["20", "1"], "owes 2027's 20; 2027 enforced last");
    });

    it("records the regulator's own shortfall without trying to freeze it (the market refuses)", async () => {
      await carbon.newCustomer(regulator, digestOf("pw-regulator"), { from: regulator });
      await carbon.sendCarbonToCustomer(regulator, 10, { from: regulator });
      await close();
      await compliance.estimateEmissions(regulator, 0, 10, "the regulator's own estimate of itself", { from: regulator });

      const tx = await compliance.enforceCompliance(regulator, 0, { from: regulator });

      expectOutcome(tx, "EnforceCompliance", { sender: regulator, isSuccess: true, message: NO_EMISSIONS });
      assert.isFalse(await carbon.isFrozen(regulator), "the regulator is never frozen");
    });

    it("reverts for anyone but the regulator, a non-customer or an unknown period", async () => {
      await close();
      for (const sender of [short, verifier, stranger]) {
        await expectCustomError(compliance.enforceCompliance(short, 0, { from: sender }), "ComplianceUnauthorizedRegulator(address)", [sender]);
      }
      await expectCustomError(compliance.enforceCompliance(seller, 0, { from: regulator }), "ComplianceNotCustomer(address)", [seller]);
      await expectCustomError(compliance.enforceCompliance(short, 1, { from: regulator }), "ComplianceUnknownPeriod(uint256)", [1]);
    });
  });
});
