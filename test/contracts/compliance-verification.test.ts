// Monitoring, reporting and verification: the regulator accredits verifiers, a customer appoints one
// and it accepts (two keys), the customer reports (tonnes and an evidence hash) by the reporting
// deadline, its verifier approves or rejects with a reason, a rejected report is resubmitted, and the
// regulator corrects a verified figure with a reason.
import {
  complianceState,
  deployedCompliance,
  EVIDENCE,
  expectComplianceUnchanged,
  mineAt,
  openPeriod,
  type OpenedPeriod,
  OTHER_EVIDENCE,
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

const ACCREDITED = "Verifier accredited";
const ALREADY_ACCREDITED = "This verifier is already accredited";
const REVOKED = "Verifier revoked";
const NOT_A_VERIFIER = "This account is not an accredited verifier";
const APPOINTED = "Verifier appointed";
const NOT_ACCREDITED = "This verifier is not accredited";
const ACCEPTED = "Appointment accepted";
const NOT_APPOINTED = "You have not been appointed by this customer";
const ALREADY_ACCEPTED = "You have already accepted this appointment";
const VERIFIER_ACCEPTED = "Your verifier has already accepted this appointment";
const REPORTED = "Emissions reported";
const RESUBMITTED = "Report resubmitted";
const REPORTING_OVER = "The reporting deadline has passed";
const SURRENDER_OVER = "The surrender deadline has passed";
const AWAITING = "This report is awaiting verification";
const ALREADY_VERIFIED = "This report has already been verified";
const CLOSED = "This period is closed";
const APPROVED = "Report approved";
const REJECTED = "Report rejected";
const NOT_YOUR_CUSTOMER = "You are not this customer's verifier";
const NOTHING_TO_VERIFY = "There is no report awaiting verification";
const CORRECTED = "Emissions corrected";

contract("Compliance", ([regulator, customer, other, verifier, second, stranger]) => {
  let market: Market;
  let carbon: CarbonInstance;
  let compliance: ComplianceInstance;
  let watched: string[];

  before(async () => {
    market = await deployedMarket();
    carbon = market.carbon;
    compliance = await deployedCompliance();
    await carbon.newCustomer(customer, digestOf("pw-customer"), { from: customer });
    await carbon.newCustomer(other, digestOf("pw-other"), { from: other });
    watched = [customer, other, verifier, second];
  });

  describe("accreditVerifier and revokeVerifier", () => {
    isolate();

    it(`emit "${ACCREDITED}" and "${REVOKED}", and list the accredited verifiers`, async () => {
      const tx = await compliance.accreditVerifier(verifier, { from: regulator });

      expectOutcome(tx, "AccreditVerifier", { sender: regulator, isSuccess: true, message: ACCREDITED });
      expectActivity(tx, { account: verifier, counterparty: regulator, operation: Operation.AccreditVerifier, isSuccess: true });
      await compliance.accreditVerifier(second, { from: regulator });
      assert.isTrue(await compliance.isVerifier(verifier), "accredited");
      assert.deepEqual(await compliance.getVerifiers(0, 10), [verifier, second], "the list");

      const revoked = await compliance.revokeVerifier(verifier, { from: regulator });

      expectOutcome(revoked, "RevokeVerifier", { sender: regulator, isSuccess: true, message: REVOKED });
      expectActivity(revoked, { account: verifier, counterparty: regulator, operation: Operation.RevokeVerifier, isSuccess: true });
      assert.isFalse(await compliance.isVerifier(verifier), "no longer accredited");
      assert.deepEqual(await compliance.getVerifiers(0, 10), [second], "the last one takes the gap");
      assert.equal((await compliance.getVerifierCount()).toString(), "1", "the count");
    });

    it(`emit "${ALREADY_ACCREDITED}" and "${NOT_A_VERIFIER}" on repeats, changing nothing`, async () => {
      await compliance.accreditVerifier(verifier, { from: regulator });
      let before = await complianceState(market, compliance, watched);

      const again = await compliance.accreditVerifier(verifier, { from: regulator });

      expectOutcome(again, "AccreditVerifier", { sender: regulator, isSuccess: false, message: ALREADY_ACCREDITED });
      expectActivity(again, { account: verifier, counterparty: ZERO_ADDRESS, operation: Operation.AccreditVerifier, isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "accrediting twice");

      before = await complianceState(market, compliance, watched);
      const none = await compliance.revokeVerifier(second, { from: regulator });

      expectOutcome(none, "RevokeVerifier", { sender: regulator, isSuccess: false, message: NOT_A_VERIFIER });
      expectActivity(none, { account: second, counterparty: ZERO_ADDRESS, operation: Operation.RevokeVerifier, isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "revoking a non-verifier");
    });

    it("revert for anyone but the regulator, and for the zero address or the regulator as a verifier", async () => {
      for (const sender of [customer, verifier, stranger]) {
        await expectCustomError(compliance.accreditVerifier(second, { from: sender }), "ComplianceUnauthorizedRegulator(address)", [sender]);
        await expectCustomError(compliance.revokeVerifier(second, { from: sender }), "ComplianceUnauthorizedRegulator(address)", [sender]);
      }
      await expectCustomError(compliance.accreditVerifier(ZERO_ADDRESS, { from: regulator }), "ComplianceInvalidAccount(address)", [ZERO_ADDRESS]);
      await expectCustomError(compliance.accreditVerifier(regulator, { from: regulator }), "ComplianceInvalidAccount(address)", [regulator]);
    });
  });

  describe("appointVerifier and acceptAppointment", () => {
    isolate();
    let period: OpenedPeriod;

    before(async () => {
      period = await openPeriod(compliance, regulator);
      await compliance.accreditVerifier(verifier, { from: regulator });
      await compliance.accreditVerifier(second, { from: regulator });
    });

    it(`emit "${APPOINTED}" and "${ACCEPTED}": two keys`, async () => {
      const tx = await compliance.appointVerifier(customer, 0, verifier, { from: customer });

      expectOutcome(tx, "AppointVerifier", { sender: customer, isSuccess: true, message: APPOINTED });
      expectActivity(tx, { account: customer, counterparty: verifier, operation: Operation.AppointVerifier, carbonId: "2026", isSuccess: true });
      let record = await compliance.getRecord(customer, 0);
      assert.equal(record.verifier, verifier, "the appointed verifier");
      assert.isFalse(record.verifierAccepted, "not yet accepted");
      assert.deepEqual(await compliance.getAppointments(0, verifier, 0, 10), [customer], "the verifier's appointments");

      const accepted = await compliance.acceptAppointment(verifier, customer, 0, { from: verifier });

      expectOutcome(accepted, "AcceptAppointment", { sender: verifier, isSuccess: true, message: ACCEPTED });
      expectActivity(accepted, { account: verifier, counterparty: customer, operation: Operation.AcceptAppointment, carbonId: "2026", isSuccess: true });
      record = await compliance.getRecord(customer, 0);
      assert.isTrue(record.verifierAccepted, "accepted");
    });

    it("let a customer appoint another verifier before one accepts", async () => {
      await compliance.appointVerifier(customer, 0, verifier, { from: customer });
      const tx = await compliance.appointVerifier(customer, 0, second, { from: customer });

      expectOutcome(tx, "AppointVerifier", { sender: customer, isSuccess: true, message: APPOINTED });
      const before = await complianceState(market, compliance, watched);
      const stale = await compliance.acceptAppointment(verifier, customer, 0, { from: verifier });

      expectOutcome(stale, "AcceptAppointment", { sender: verifier, isSuccess: false, message: NOT_APPOINTED });
      expectActivity(stale, { account: verifier, counterparty: ZERO_ADDRESS, operation: Operation.AcceptAppointment, carbonId: "2026", isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "accepting a withdrawn appointment");
    });

    for (const [what, message, setup] of [
      ["the verifier is not accredited", NOT_ACCREDITED, async () => compliance.revokeVerifier(verifier, { from: regulator })],
      ["the appointed verifier has accepted", VERIFIER_ACCEPTED, async () => {
        await compliance.appointVerifier(customer, 0, second, { from: customer });
        await compliance.acceptAppointment(second, customer, 0, { from: second });
      }],
      ["the report is verified", ALREADY_VERIFIED, async () => compliance.correctEmissions(customer, 0, 5, "audited by the authority", { from: regulator })],
      ["the surrender deadline has passed", SURRENDER_OVER, async () => mineAt(period.surrenderDeadline + 1)],
      ["the period is closed", CLOSED, async () => {
        await mineAt(period.surrenderDeadline + 1);
        await compliance.closePeriod(0, { from: regulator });
      }],
    ] as const) {
      it(`appointVerifier emits "${message}" when ${what}, changing nothing`, async () => {
        await setup();
        const before = await complianceState(market, compliance, watched);

        const tx = await compliance.appointVerifier(customer, 0, verifier, { from: customer });

        expectOutcome(tx, "AppointVerifier", { sender: customer, isSuccess: false, message });
        expectActivity(tx, { account: customer, counterparty: ZERO_ADDRESS, operation: Operation.AppointVerifier, carbonId: "2026", isSuccess: false });
        await expectComplianceUnchanged(market, compliance, before, `appointing when ${what}`);
      });
    }

    it(`acceptAppointment emits "${ALREADY_ACCEPTED}", "${NOT_ACCREDITED}", "${SURRENDER_OVER}" and "${CLOSED}" in turn`, async () => {
      await compliance.appointVerifier(customer, 0, verifier, { from: customer });
      await compliance.acceptAppointment(verifier, customer, 0, { from: verifier });
      const twice = await compliance.acceptAppointment(verifier, customer, 0, { from: verifier });
      expectOutcome(twice, "AcceptAppointment", { sender: verifier, isSuccess: false, message: ALREADY_ACCEPTED });

      await compliance.appointVerifier(other, 0, second, { from: other });
      await compliance.revokeVerifier(second, { from: regulator });
      const revoked = await compliance.acceptAppointment(second, other, 0, { from: second });
      expectOutcome(revoked, "AcceptAppointment", { sender: second, isSuccess: false, message: NOT_ACCREDITED });

      await compliance.accreditVerifier(second, { from: regulator });
      const late = await sendAt(period.surrenderDeadline + 1, compliance, "acceptAppointment", [second, other, 0], second);
      expectOutcome(late, "AcceptAppointment", { sender: second, isSuccess: false, message: SURRENDER_OVER });

      await compliance.closePeriod(0, { from: regulator });
      const closed = await compliance.acceptAppointment(second, other, 0, { from: second });
      expectOutcome(closed, "AcceptAppointment", { sender: second, isSuccess: false, message: CLOSED });
    });

    it("revert for another sender, a non-customer, an unknown period, or a self-appointment", async () => {
      await expectCustomError(compliance.appointVerifier(customer, 0, verifier, { from: other }), "ComplianceUnauthorizedAccount(address,address)", [other, customer]);
      await expectCustomError(compliance.appointVerifier(stranger, 0, verifier, { from: stranger }), "ComplianceNotCustomer(address)", [stranger]);
      await expectCustomError(compliance.appointVerifier(customer, 1, verifier, { from: customer }), "ComplianceUnknownPeriod(uint256)", [1]);
      await expectCustomError(compliance.appointVerifier(customer, 0, customer, { from: customer }), "ComplianceSelfVerification(address)", [customer]);
      await expectCustomError(compliance.acceptAppointment(verifier, customer, 0, { from: customer }), "ComplianceUnauthorizedAccount(address,address)", [customer, verifier]);
      await expectCustomError(compliance.acceptAppointment(verifier, customer, 1, { from: verifier }), "ComplianceUnknownPeriod(uint256)", [1]);
    });
  });

  describe("reportEmissions, approveReport, rejectReport", () => {
    isolate();
    let period: OpenedPeriod;

    before(async () => {
      period = await openPeriod(compliance, regulator);
      await compliance.accreditVerifier(verifier, { from: regulator });
      await compliance.appointVerifier(customer, 0, verifier, { from: customer });
      await compliance.acceptAppointment(verifier, customer, 0, { from: verifier });
    });

    it(`emit "${REPORTED}" then "${APPROVED}": the reported tonnes become verified`, async () => {
      const tx = await compliance.reportEmissions(customer, 0, 120, EVIDENCE, { from: customer });

      expectOutcome(tx, "ReportEmissions", { sender: customer, isSuccess: true, message: REPORTED });
      expectActivity(tx, { account: customer, counterparty: ZERO_ADDRESS, operation: Operation.ReportEmissions, carbonId: "2026", amount: 120, isSuccess: true });
      let record = await compliance.getRecord(customer, 0);
      assert.equal(record.reported, "120", "reported");
      assert.equal(record.evidence, EVIDENCE, "the evidence hash");
      assert.equal(record.reportState, String(ReportState.Submitted), "submitted");
      assert.equal(record.status, String(Status.Pending), "pending");
      assert.equal((await compliance.getPeriod(0)).reportCount, "1", "one report");

      const approved = await compliance.approveReport(verifier, customer, 0, { from: verifier });

      expectOutcome(approved, "ApproveReport", { sender: verifier, isSuccess: true, message: APPROVED });
      expectActivity(approved, { account: customer, counterparty: verifier, operation: Operation.ApproveReport, carbonId: "2026", amount: 120, isSuccess: true });
      record = await compliance.getRecord(customer, 0);
      assert.equal(record.verified, "120", "verified");
      assert.equal(record.reportState, String(ReportState.Verified), "verified");
      assert.equal(record.status, String(Status.B), "short until it surrenders");
      assert.equal((await compliance.getPeriod(0)).verifiedCount, "1", "one verified");
    });

    it("takes a report of zero tonnes (nothing emitted): verified, it is compliant with nothing surrendered", async () => {
      await compliance.reportEmissions(customer, 0, 0, EVIDENCE, { from: customer });
      await compliance.approveReport(verifier, customer, 0, { from: verifier });

      assert.equal((await compliance.statusOf(customer, 0)).toString(), String(Status.A), "A");
    });

    it(`emit "${REJECTED}" with the reason kept, then "${RESUBMITTED}" and "${APPROVED}"`, async () => {
      await compliance.reportEmissions(customer, 0, 90, EVIDENCE, { from: customer });
      const reason = "The fuel invoices for March are missing";

      const rejected = await compliance.rejectReport(verifier, customer, 0, reason, { from: verifier });

      expectOutcome(rejected, "RejectReport", { sender: verifier, isSuccess: true, message: REJECTED });
      expectActivity(rejected, { account: customer, counterparty: verifier, operation: Operation.RejectReport, carbonId: "2026", amount: 90, isSuccess: true });
      const detail = rejected.logs.find((log) => log.event === "ReportRejected")!;
      assert.equal(detail.args.reason, reason, "ReportRejected.reason");
      let record = await compliance.getRecord(customer, 0);
      assert.equal(record.reportState, String(ReportState.Rejected), "rejected");
      assert.equal(record.rejectionReason, reason, "the reason");
      assert.equal(record.status, String(Status.Pending), "still pending");
      assert.equal(record.verified, "0", "nothing verified");

      const resubmitted = await compliance.reportEmissions(customer, 0, 130, OTHER_EVIDENCE, { from: customer });

      expectOutcome(resubmitted, "ReportEmissions", { sender: customer, isSuccess: true, message: RESUBMITTED });
      record = await compliance.getRecord(customer, 0);
      assert.equal(record.reported, "130", "the corrected tonnes");
      assert.equal(record.evidence, OTHER_EVIDENCE, "the new evidence");
      assert.equal(record.reportState, String(ReportState.Submitted), "submitted again");
      assert.equal((await compliance.getPeriod(0)).reportCount, "1", "still one customer reporting");

      await compliance.approveReport(verifier, customer, 0, { from: verifier });
      assert.equal((await compliance.getRecord(customer, 0)).verified, "130", "verified");
    });

    it(`reportEmissions emits "${REPORTED}" at the reporting deadline and "${REPORTING_OVER}" a second after it`, async () => {
      await carbon.sendCarbonToCustomer(other, 10, { from: regulator }); // it takes part: silence makes it C
      const onTime = await sendAt(period.reportingDeadline, compliance, "reportEmissions", [customer, 0, 50, EVIDENCE], customer);
      expectOutcome(onTime, "ReportEmissions", { sender: customer, isSuccess: true, message: REPORTED });

      const before = await complianceState(market, compliance, watched);
      const late = await sendAt(period.reportingDeadline + 1, compliance, "reportEmissions", [other, 0, 50, EVIDENCE], other);

      expectOutcome(late, "ReportEmissions", { sender: other, isSuccess: false, message: REPORTING_OVER });
      expectActivity(late, { account: other, counterparty: ZERO_ADDRESS, operation: Operation.ReportEmissions, carbonId: "2026", amount: 50, isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "a report a second after the deadline");
      assert.equal((await compliance.statusOf(other, 0)).toString(), String(Status.C), "C: nothing reported by the deadline");
    });

    it(`a rejected report can be resubmitted after the reporting deadline, up to the surrender deadline itself`, async () => {
      await compliance.reportEmissions(customer, 0, 50, EVIDENCE, { from: customer });
      await compliance.rejectReport(verifier, customer, 0, "wrong meter readings", { from: verifier });

      const atDeadline = await sendAt(period.surrenderDeadline, compliance, "reportEmissions", [customer, 0, 60, EVIDENCE], customer);

      expectOutcome(atDeadline, "ReportEmissions", { sender: customer, isSuccess: true, message: RESUBMITTED });
    });

    it(`a resubmission a second after the surrender deadline emits "${SURRENDER_OVER}", changing nothing`, async () => {
      await compliance.reportEmissions(customer, 0, 50, EVIDENCE, { from: customer });
      await compliance.rejectReport(verifier, customer, 0, "wrong meter readings", { from: verifier });
      const before = await complianceState(market, compliance, watched);

      const late = await sendAt(period.surrenderDeadline + 1, compliance, "reportEmissions", [customer, 0, 60, EVIDENCE], customer);

      expectOutcome(late, "ReportEmissions", { sender: customer, isSuccess: false, message: SURRENDER_OVER });
      await expectComplianceUnchanged(market, compliance, before, "a resubmission after the surrender deadline");
    });

    for (const [what, message, setup] of [
      ["a report awaits verification", AWAITING, async () => compliance.reportEmissions(customer, 0, 10, EVIDENCE, { from: customer })],
      ["the report is verified", ALREADY_VERIFIED, async () => {
        await compliance.reportEmissions(customer, 0, 10, EVIDENCE, { from: customer });
        await compliance.approveReport(verifier, customer, 0, { from: verifier });
      }],
      ["the period is closed", CLOSED, async () => {
        await mineAt(period.surrenderDeadline + 1);
        await compliance.closePeriod(0, { from: regulator });
      }],
    ] as const) {
      it(`reportEmissions emits "${message}" when ${what}, changing nothing`, async () => {
        await setup();
        const before = await complianceState(market, compliance, watched);

        const tx = await compliance.reportEmissions(customer, 0, 77, OTHER_EVIDENCE, { from: customer });

        expectOutcome(tx, "ReportEmissions", { sender: customer, isSuccess: false, message });
        await expectComplianceUnchanged(market, compliance, before, `reporting when ${what}`);
      });
    }

    for (const [what, message, sender, setup] of [
      ["there is no report", NOTHING_TO_VERIFY, () => verifier, async () => undefined],
      ["the report was rejected and not resubmitted", NOTHING_TO_VERIFY, () => verifier, async () => {
        await compliance.reportEmissions(customer, 0, 10, EVIDENCE, { from: customer });
        await compliance.rejectReport(verifier, customer, 0, "incomplete", { from: verifier });
      }],
      ["the report is already verified", ALREADY_VERIFIED, () => verifier, async () => {
        await compliance.reportEmissions(customer, 0, 10, EVIDENCE, { from: customer });
        await compliance.approveReport(verifier, customer, 0, { from: verifier });
      }],
      ["the sender is an accredited verifier the customer did not appoint", NOT_YOUR_CUSTOMER, () => second, async () => {
        await compliance.accreditVerifier(second, { from: regulator });
        await compliance.reportEmissions(customer, 0, 10, EVIDENCE, { from: customer });
      }],
      ["the appointed verifier has not accepted", NOT_YOUR_CUSTOMER, () => second, async () => {
        await compliance.accreditVerifier(second, { from: regulator });
        await compliance.appointVerifier(other, 0, second, { from: other });
        await compliance.reportEmissions(other, 0, 10, EVIDENCE, { from: other });
      }],
      ["the sender is not accredited", NOT_ACCREDITED, () => stranger, async () => {
        await compliance.reportEmissions(customer, 0, 10, EVIDENCE, { from: customer });
      }],
      ["the verifier was revoked mid-period", NOT_ACCREDITED, () => verifier, async () => {
        await compliance.reportEmissions(customer, 0, 10, EVIDENCE, { from: customer });
        await compliance.revokeVerifier(verifier, { from: regulator });
      }],
      ["the surrender deadline has passed", SURRENDER_OVER, () => verifier, async () => {
        await compliance.reportEmissions(customer, 0, 10, EVIDENCE, { from: customer });
        await mineAt(period.surrenderDeadline + 1);
      }],
      ["the period is closed", CLOSED, () => verifier, async () => {
        await compliance.reportEmissions(customer, 0, 10, EVIDENCE, { from: customer });
        await mineAt(period.surrenderDeadline + 1);
        await compliance.closePeriod(0, { from: regulator });
      }],
    ] as const) {
      it(`approveReport and rejectReport emit "${message}" when ${what}, changing nothing`, async () => {
        await setup();
        const reportOf = what.includes("not accepted") ? other : customer;
        const before = await complianceState(market, compliance, watched);

        const approve = await compliance.approveReport(sender(), reportOf, 0, { from: sender() });
        const reject = await compliance.rejectReport(sender(), reportOf, 0, "a reason", { from: sender() });

        expectOutcome(approve, "ApproveReport", { sender: sender(), isSuccess: false, message });
        expectActivity(approve, { account: reportOf, counterparty: ZERO_ADDRESS, operation: Operation.ApproveReport, carbonId: "2026", isSuccess: false });
        expectOutcome(reject, "RejectReport", { sender: sender(), isSuccess: false, message });
        expectActivity(reject, { account: reportOf, counterparty: ZERO_ADDRESS, operation: Operation.RejectReport, carbonId: "2026", isSuccess: false });
        await expectComplianceUnchanged(market, compliance, before, `verifying when ${what}`);
      });
    }

    it("a verifier revoked mid-period: the customer appoints another, who verifies; what the first verified stays verified", async () => {
      await compliance.reportEmissions(other, 0, 40, EVIDENCE, { from: other });
      await compliance.appointVerifier(other, 0, verifier, { from: other });
      await compliance.acceptAppointment(verifier, other, 0, { from: verifier });
      await compliance.approveReport(verifier, other, 0, { from: verifier });
      await compliance.reportEmissions(customer, 0, 70, EVIDENCE, { from: customer });

      await compliance.revokeVerifier(verifier, { from: regulator });

      assert.equal((await compliance.getRecord(other, 0)).verified, "40", "the first customer's figure stays verified");
      await compliance.accreditVerifier(second, { from: regulator });
      const appointed = await compliance.appointVerifier(customer, 0, second, { from: customer });
      expectOutcome(appointed, "AppointVerifier", { sender: customer, isSuccess: true, message: APPOINTED });
      await compliance.acceptAppointment(second, customer, 0, { from: second });
      const approved = await compliance.approveReport(second, customer, 0, { from: second });
      expectOutcome(approved, "ApproveReport", { sender: second, isSuccess: true, message: APPROVED });
      assert.equal((await compliance.getRecord(customer, 0)).verified, "70", "verified by the new verifier");
    });

    it("revert for another sender, a non-customer, an empty evidence hash, tonnes beyond 2^96-1 or a bad reason", async () => {
      await expectCustomError(compliance.reportEmissions(customer, 0, 1, EVIDENCE, { from: other }), "ComplianceUnauthorizedAccount(address,address)", [other, customer]);
      await expectCustomError(compliance.reportEmissions(stranger, 0, 1, EVIDENCE, { from: stranger }), "ComplianceNotCustomer(address)", [stranger]);
      await expectCustomError(compliance.reportEmissions(customer, 5, 1, EVIDENCE, { from: customer }), "ComplianceUnknownPeriod(uint256)", [5]);
      await expectCustomError(compliance.reportEmissions(customer, 0, 1, "0x" + "00".repeat(32), { from: customer }), "ComplianceEmptyEvidence()");
      const huge = (2n ** 96n).toString();
      await expectCustomError(compliance.reportEmissions(customer, 0, huge, EVIDENCE, { from: customer }), "ComplianceAmountTooLarge(uint256,uint256)", [huge, (2n ** 96n - 1n).toString()]);
      await expectCustomError(compliance.approveReport(verifier, customer, 0, { from: customer }), "ComplianceUnauthorizedAccount(address,address)", [customer, verifier]);
      await expectCustomError(compliance.rejectReport(verifier, customer, 0, "x", { from: stranger }), "ComplianceUnauthorizedAccount(address,address)", [stranger, verifier]);
      await expectCustomError(compliance.rejectReport(verifier, customer, 0, "", { from: verifier }), "ComplianceInvalidReason(uint256)", [0]);
      await expectCustomError(compliance.rejectReport(verifier, customer, 0, "r".repeat(257), { from: verifier }), "ComplianceInvalidReason(uint256)", [257]);
      await expectCustomError(compliance.approveReport(verifier, customer, 3, { from: verifier }), "ComplianceUnknownPeriod(uint256)", [3]);
    });
  });

  describe("correctEmissions", () => {
    isolate();
    let period: OpenedPeriod;

    before(async () => {
      period = await openPeriod(compliance, regulator);
      await compliance.accreditVerifier(verifier, { from: regulator });
      await compliance.appointVerifier(customer, 0, verifier, { from: customer });
      await compliance.acceptAppointment(verifier, customer, 0, { from: verifier });
      await compliance.reportEmissions(customer, 0, 100, EVIDENCE, { from: customer });
      await compliance.approveReport(verifier, customer, 0, { from: verifier });
    });

    it(`emits "${CORRECTED}": the figure, the reason and the previous figure are on record`, async () => {
      const reason = "Site inspection found an unreported boiler";
      const tx = await compliance.correctEmissions(customer, 0, 140, reason, { from: regulator });

      expectOutcome(tx, "CorrectEmissions", { sender: regulator, isSuccess: true, message: CORRECTED });
      expectActivity(tx, { account: customer, counterparty: regulator, operation: Operation.CorrectEmissions, carbonId: "2026", amount: 140, isSuccess: true });
      const detail = tx.logs.find((log) => log.event === "EmissionsCorrected")!;
      assert.equal(String(detail.args.previous), "100", "EmissionsCorrected.previous");
      assert.equal(String(detail.args.corrected), "140", "EmissionsCorrected.corrected");
      assert.equal(detail.args.reason, reason, "EmissionsCorrected.reason");
      const record = await compliance.getRecord(customer, 0);
      assert.equal(record.verified, "140", "the corrected figure");
      assert.equal(record.reported, "100", "what was reported stays");
      assert.equal(record.reportState, String(ReportState.Corrected), "corrected");
      assert.equal(record.correctionReason, reason, "the reason");
      assert.equal((await compliance.getPeriod(0)).verifiedCount, "1", "still one verified customer");
    });

    it("determines a figure for a customer that reported nothing, after the deadlines too, until the period closes", async () => {
      await carbon.sendCarbonToCustomer(other, 10, { from: regulator }); // it takes part: silence makes it C
      await mineAt(period.surrenderDeadline + 1);
      assert.equal((await compliance.statusOf(other, 0)).toString(), String(Status.C), "C before");

      const tx = await compliance.correctEmissions(other, 0, 0, "The site was shut all year", { from: regulator });

      expectOutcome(tx, "CorrectEmissions", { sender: regulator, isSuccess: true, message: CORRECTED });
      assert.equal((await compliance.statusOf(other, 0)).toString(), String(Status.A), "A: zero verified emissions");
      assert.equal((await compliance.getPeriod(0)).verifiedCount, "2", "two verified customers");
    });

    it(`emits "${CLOSED}" once the period is closed, changing nothing`, async () => {
      await mineAt(period.surrenderDeadline + 1);
      await compliance.closePeriod(0, { from: regulator });
      const before = await complianceState(market, compliance, watched);

      const tx = await compliance.correctEmissions(customer, 0, 1, "too late", { from: regulator });

      expectOutcome(tx, "CorrectEmissions", { sender: regulator, isSuccess: false, message: CLOSED });
      expectActivity(tx, { account: customer, counterparty: ZERO_ADDRESS, operation: Operation.CorrectEmissions, carbonId: "2026", amount: 1, isSuccess: false });
      await expectComplianceUnchanged(market, compliance, before, "a correction after closing");
    });

    it("reverts for anyone but the regulator, a non-customer, or a bad reason", async () => {
      await expectCustomError(compliance.correctEmissions(customer, 0, 1, "x", { from: verifier }), "ComplianceUnauthorizedRegulator(address)", [verifier]);
      await expectCustomError(compliance.correctEmissions(stranger, 0, 1, "x", { from: regulator }), "ComplianceNotCustomer(address)", [stranger]);
      await expectCustomError(compliance.correctEmissions(customer, 0, 1, "", { from: regulator }), "ComplianceInvalidReason(uint256)", [0]);
      await expectCustomError(compliance.correctEmissions(customer, 9, 1, "x", { from: regulator }), "ComplianceUnknownPeriod(uint256)", [9]);
    });
  });
});
