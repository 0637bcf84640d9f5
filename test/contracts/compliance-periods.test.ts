// The compliance cycle's periods: opening (label, cap, deadlines, penalty rate), closing after the
// surrender deadline (to the second), one period at a time, and issuing under the open period's cap.
import {
  chainTime,
  complianceState,
  DAY,
  deployedCompliance,
  expectComplianceUnchanged,
  mineAt,
  openPeriod,
  sendAt,
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
  packedId,
  ZERO_ADDRESS,
} from "./helpers";

const OPENED = "Period opened";
const ALREADY_OPEN = "A period is already open";
const CLOSED = "Period closed";
const ALREADY_CLOSED = "This period is already closed";
const NOT_YET = "The surrender deadline has not passed yet";
const CAP_EXCEEDED = "The cap of this period would be exceeded";
const ISSUED = "Successfully issued quota";

contract("Compliance", ([regulator, customer, other, stranger]) => {
  let market: Market;
  let carbon: CarbonInstance;
  let compliance: ComplianceInstance;

  before(async () => {
    market = await deployedMarket();
    carbon = market.carbon;
    compliance = await deployedCompliance();
    await carbon.newCustomer(customer, digestOf("pw-customer"), { from: customer });
    await carbon.newCustomer(other, digestOf("pw-other"), { from: other });
  });

  describe("wiring", () => {
    it("points back to its market, which points to it", async () => {
      assert.equal(await compliance.market(), carbon.address, "Compliance.market()");
      assert.equal(await (carbon as unknown as { compliance(): Promise<string> }).compliance(), compliance.address, "Carbon.compliance()");
      assert.equal((await compliance.periodCount()).toString(), "0", "no period yet");
      const current = await compliance.currentPeriod();
      assert.isFalse(current.isOpen, "no period is open");
    });
  });

  describe("openPeriod", () => {
    isolate();

    it(`emits OpenPeriod "${OPENED}" and records the label, cap, deadlines and rate`, async () => {
      const now = await chainTime();
      const tx = await compliance.openPeriod("2026", 5_000, now + 10 * DAY, now + 20 * DAY, 40, { from: regulator });

      expectOutcome(tx, "OpenPeriod", { sender: regulator, isSuccess: true, message: OPENED });
      expectActivity(tx, { account: regulator, counterparty: ZERO_ADDRESS, operation: Operation.OpenPeriod, carbonId: "2026", amount: 5_000, isSuccess: true });
      const detail = tx.logs.find((log) => log.event === "PeriodOpened")!;
      assert.equal(String(detail.args.periodId), "0", "PeriodOpened.periodId");
      assert.equal(detail.args.label, packedId("2026"), "PeriodOpened.label");
      const period = await compliance.getPeriod(0);
      assert.equal(period.label, "2026", "the label");
      assert.equal(period.cap, "5000", "the cap");
      assert.equal(period.allocated, "0", "nothing allocated");
      assert.equal(period.reportingDeadline, String(now + 10 * DAY), "the reporting deadline");
      assert.equal(period.surrenderDeadline, String(now + 20 * DAY), "the surrender deadline");
      assert.equal(period.penaltyRate, "40", "the penalty rate");
      assert.isFalse(period.closed, "open");
      const current = await compliance.currentPeriod();
      assert.isTrue(current.isOpen, "a period is open");
      assert.equal(current.periodId.toString(), "0", "period 0");
      assert.equal((await compliance.periodCount()).toString(), "1", "one period");
    });

    it("takes equal deadlines, a zero rate and a 32-byte label", async () => {
      const now = await chainTime();
      const label = "Phase IV, first trading year 202";
      assert.lengthOf(label, 32);
      const tx = await compliance.openPeriod(label, 1, now + DAY, now + DAY, 0, { from: regulator });

      expectOutcome(tx, "OpenPeriod", { sender: regulator, isSuccess: true, message: OPENED });
      assert.equal((await compliance.getPeriod(0)).label, label, "the label");
    });

    it(`emits OpenPeriod "${ALREADY_OPEN}" while the previous period is not closed, changing nothing`, async () => {
      await openPeriod(compliance, regulator);
      const before = await complianceState(market, compliance, [customer]);
      const now = await chainTime();

      const tx = await compliance.openPeriod("2027", 10, now + DAY, now + 2 * DAY, 1, { from: regulator });

      expectOutcome(tx, "OpenPeriod", { sender: regulator, isSuccess: false, message: ALREADY_OPEN });
      expectActivity(tx, { account: regulator, counterparty: ZERO_ADDRESS, operation: Operation.OpenPeriod, carbonId: "2027", amount: 10, isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "opening a second period");
    });

    it("opens the next period once the previous one is closed: periods follow each other", async () => {
      const first = await openPeriod(compliance, regulator, { label: "2026" });
      await mineAt(first.surrenderDeadline + 1);
      await compliance.closePeriod(first.periodId, { from: regulator });

      const second = await openPeriod(compliance, regulator, { label: "2027" });

      assert.equal(second.periodId, 1, "the second period's id");
      assert.equal((await compliance.getPeriod(1)).label, "2027", "its label");
      const current = await compliance.currentPeriod();
      assert.isTrue(current.isOpen, "it is open");
      assert.equal(current.periodId.toString(), "1", "the current period");
    });

    it("reverts when anyone but the regulator opens a period", async () => {
      const now = await chainTime();
      for (const sender of [customer, stranger]) {
        await expectCustomError(
          compliance.openPeriod("2026", 10, now + DAY, now + 2 * DAY, 1, { from: sender }),
          "ComplianceUnauthorizedRegulator(address)",
          [sender],
        );
      }
    });

    it("reverts on a malformed label, cap, rate or deadlines", async () => {
      const now = await chainTime();
      const later = now + 1_000;
      await expectCustomError(compliance.openPeriod("", 10, later, later, 1, { from: regulator }), "CarbonIdInvalidLength(uint256)", [0]);
      await expectCustomError(compliance.openPeriod("x".repeat(33), 10, later, later, 1, { from: regulator }), "CarbonIdInvalidLength(uint256)", [33]);
      await expectCustomError(compliance.openPeriod("20\n26", 10, later, later, 1, { from: regulator }), "CarbonIdForbiddenCharacter(uint256,uint256)");
      await expectCustomError(compliance.openPeriod("2026", 0, later, later, 1, { from: regulator }), "ComplianceZeroAmount()");
      const cap = (2n ** 128n).toString();
      await expectCustomError(compliance.openPeriod("2026", cap, later, later, 1, { from: regulator }), "ComplianceAmountTooLarge(uint256,uint256)", [cap, (2n ** 128n - 1n).toString()]);
      const rate = (2n ** 64n).toString();
      await expectCustomError(compliance.openPeriod("2026", 10, later, later, rate, { from: regulator }), "ComplianceAmountTooLarge(uint256,uint256)", [rate, (2n ** 64n - 1n).toString()]);
      // A reporting deadline in the past, now, or after the surrender deadline; a surrender deadline beyond 64 bits.
      for (const [reporting, surrender] of [
        [now - 1, later],
        [0, later],
        [later, later - 1],
        [later, (2n ** 64n).toString()],
      ] as const) {
        await expectCustomError(compliance.openPeriod("2026", 10, reporting, surrender, 1, { from: regulator }), "ComplianceInvalidDeadlines(uint256,uint256,uint256)");
      }
    });

    it("reverts on a reporting deadline equal to the block's time (to the second)", async () => {
      const at = (await chainTime()) + 100;
      const tx = sendAt(at, compliance, "openPeriod", ["2026", 10, at, at + DAY, 1], regulator);
      const mined = await tx;
      assert.isFalse(mined.receipt.status, "the transaction fails");
      assert.equal((await compliance.periodCount()).toString(), "0", "no period opened");
    });
  });

  describe("closePeriod", () => {
    isolate();
    let period: Awaited<ReturnType<typeof openPeriod>>;

    before(async () => {
      period = await openPeriod(compliance, regulator, { label: "2026" });
    });

    it(`emits ClosePeriod "${NOT_YET}" at the surrender deadline itself, changing nothing`, async () => {
      const before = await complianceState(market, compliance, [customer]);
      const tx = await sendAt(period.surrenderDeadline, compliance, "closePeriod", [period.periodId], regulator);

      expectOutcome(tx, "ClosePeriod", { sender: regulator, isSuccess: false, message: NOT_YET });
      expectActivity(tx, { account: regulator, counterparty: ZERO_ADDRESS, operation: Operation.ClosePeriod, carbonId: "2026", isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "closing at the deadline");
    });

    it(`emits ClosePeriod "${NOT_YET}" before the reporting deadline`, async () => {
      const tx = await compliance.closePeriod(period.periodId, { from: regulator });

      expectOutcome(tx, "ClosePeriod", { sender: regulator, isSuccess: false, message: NOT_YET });
    });

    it(`emits ClosePeriod "${CLOSED}" a second after the surrender deadline; a second close emits "${ALREADY_CLOSED}"`, async () => {
      const tx = await sendAt(period.surrenderDeadline + 1, compliance, "closePeriod", [period.periodId], regulator);

      expectOutcome(tx, "ClosePeriod", { sender: regulator, isSuccess: true, message: CLOSED });
      expectActivity(tx, { account: regulator, counterparty: ZERO_ADDRESS, operation: Operation.ClosePeriod, carbonId: "2026", isSuccess: true });
      assert.isTrue((await compliance.getPeriod(period.periodId)).closed, "closed");
      assert.isFalse((await compliance.currentPeriod()).isOpen, "no period is open");

      const before = await complianceState(market, compliance, [customer]);
      const again = await compliance.closePeriod(period.periodId, { from: regulator });

      expectOutcome(again, "ClosePeriod", { sender: regulator, isSuccess: false, message: ALREADY_CLOSED });
      expectActivity(again, { account: regulator, counterparty: ZERO_ADDRESS, operation: Operation.ClosePeriod, carbonId: "2026", isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "closing twice");
    });

    it("reverts when anyone but the regulator closes, or the period does not exist", async () => {
      await mineAt(period.surrenderDeadline + 1);
      for (const sender of [customer, stranger]) {
        await expectCustomError(compliance.closePeriod(0, { from: sender }), "ComplianceUnauthorizedRegulator(address)", [sender]);
      }
      await expectCustomError(compliance.closePeriod(1, { from: regulator }), "ComplianceUnknownPeriod(uint256)", [1]);
      await expectCustomError(compliance.getPeriod(1), "ComplianceUnknownPeriod(uint256)", [1]);
    });
  });

  describe("issuing under the cap (allocate)", () => {
    isolate();

    it("issues as before when no period was ever opened, and records no allocation", async () => {
      const tx = await carbon.sendCarbonToCustomer(customer, 10_000, { from: regulator });

      expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: true, message: ISSUED });
      assert.equal((await carbon.getCustomerCarbonAmount(customer)).toString(), "10000", "the balance");
    });

    it("counts each issue against the open period's cap and the customer's allocation, up to the cap exactly", async () => {
      await openPeriod(compliance, regulator, { cap: 300 });

      await carbon.sendCarbonToCustomer(customer, 120, { from: regulator });
      await carbon.sendCarbonToCustomer(other, 80, { from: regulator });
      const tx = await carbon.sendCarbonToCustomer(customer, 100, { from: regulator });

      expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: true, message: ISSUED });
      assert.equal((await compliance.getPeriod(0)).allocated, "300", "the period's allocation reaches the cap");
      assert.equal((await compliance.getRecord(customer, 0)).allocated, "220", "the customer's allocation");
      assert.equal((await compliance.getRecord(other, 0)).allocated, "80", "the other customer's allocation");
      assert.equal((await carbon.issuedCarbonAmount()).toString(), "300", "issued");
    });

    it(`emits SendCarbonToCustomer "${CAP_EXCEEDED}" for an issue past the cap, changing nothing`, async () => {
      await openPeriod(compliance, regulator, { cap: 300 });
      await carbon.sendCarbonToCustomer(customer, 250, { from: regulator });
      const before = await complianceState(market, compliance, [customer, other]);

      const tx = await carbon.sendCarbonToCustomer(other, 51, { from: regulator });

      expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: false, message: CAP_EXCEEDED });
      expectActivity(tx, { account: other, counterparty: ZERO_ADDRESS, operation: Operation.SendCarbonToCustomer, amount: 51, isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "an issue past the cap");
    });

    it("refuses an issue past the cap even for a huge amount, never a Panic", async () => {
      await openPeriod(compliance, regulator, { cap: (2n ** 128n - 1n).toString() });
      await carbon.sendCarbonToCustomer(customer, (2n ** 96n - 1n).toString(), { from: regulator });
      const tx = await carbon.sendCarbonToCustomer(other, (2n ** 96n - 1n).toString(), { from: regulator });

      expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: true, message: ISSUED });
      assert.equal((await compliance.getPeriod(0)).allocated, (2n * (2n ** 96n - 1n)).toString(), "both counted");
    });

    it("keeps a frozen receiver's message first, with the cap full", async () => {
      await openPeriod(compliance, regulator, { cap: 10 });
      await carbon.sendCarbonToCustomer(customer, 10, { from: regulator });
      await carbon.freezeAccount(other, { from: regulator });

      const tx = await carbon.sendCarbonToCustomer(other, 5, { from: regulator });

      expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: false, message: "This account is frozen and cannot receive quota" });
    });

    it("issues without limit again once the period is closed, and counts nothing against it", async () => {
      const period = await openPeriod(compliance, regulator, { cap: 10 });
      await mineAt(period.surrenderDeadline + 1);
      await compliance.closePeriod(period.periodId, { from: regulator });

      const tx = await carbon.sendCarbonToCustomer(customer, 1_000, { from: regulator });

      expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: true, message: ISSUED });
      assert.equal((await compliance.getPeriod(0)).allocated, "0", "nothing counted against the closed period");
      assert.equal((await compliance.getRecord(customer, 0)).allocated, "0", "no allocation recorded");
    });

    it("is refused after the surrender deadline while the period is not closed, within the cap or not", async () => {
      const period = await openPeriod(compliance, regulator, { cap: 10 });
      await mineAt(period.surrenderDeadline + 1);

      for (const amount of [5, 11]) {
        const tx = await carbon.sendCarbonToCustomer(customer, amount, { from: regulator });
        expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: false, message: "The surrender deadline of the open period has passed: close it before issuing quota" });
      }
      assert.equal((await compliance.getPeriod(0)).allocated, "0", "nothing counted");
    });

    it("reverts allocate from anyone but the market", async () => {
      await openPeriod(compliance, regulator, { cap: 10 });
      for (const sender of [regulator, customer, stranger]) {
        await expectCustomError(compliance.allocate(customer, 1, { from: sender }), "ComplianceUnauthorizedMarket(address)", [sender]);
      }
    });
  });
});
