// One period from opening to enforcement, as one readable scenario (as Regen's ecocredit module writes
// its cycle tests): each `it` is a step of the story, in order, on the same chain. Three customers:
// Acme complies, Birch falls short and pays late, Cedar never reports and is enforced on the
// regulator's estimate. The unit tests of each method are in compliance-periods,
// compliance-verification and compliance-enforcement; the rules' scenarios in compliance-rules.
import { chainTime, DAY, deployedCompliance, EVIDENCE, mineAt, OTHER_EVIDENCE, Status } from "./compliance-helpers";
import { deployedMarket, digestOf, expectOutcome } from "./helpers";

contract("Compliance", ([regulator, acme, birch, cedar, verifier, seller]) => {
  let carbon: CarbonInstance;
  let compliance: ComplianceInstance;
  let reportingDeadline: number;
  let surrenderDeadline: number;
  const balance = async (account: string): Promise<string> => (await carbon.getCustomerCarbonAmount(account)).toString();
  const status = async (account: string): Promise<string> => Status[Number(await compliance.statusOf(account, 0))];

  async function expectConserved(): Promise<void> {
    const [issued, settled, surrendered, ...held] = await Promise.all([
      carbon.issuedCarbonAmount(),
      carbon.settledCarbonAmount(),
      compliance.surrenderedCarbonAmount(),
      ...[acme, birch, cedar].map((account) => carbon.getCustomerCarbonAmount(account)),
      carbon.getSellerCarbonAmount(seller),
    ]);
    const sum = held.reduce((total, amount) => total + BigInt(amount.toString()), 0n);
    assert.equal(sum, BigInt(issued.toString()) - BigInt(settled.toString()) - BigInt(surrendered.toString()), "customers + sellers = issued − settled − surrendered");
  }

  before(async () => {
    ({ carbon } = await deployedMarket());
    compliance = await deployedCompliance();
    for (const account of [acme, birch, cedar]) await carbon.newCustomer(account, digestOf(account), { from: account });
    await carbon.newSeller(seller, digestOf(seller), { from: seller });
  });

  // No isolate(): the steps build on one another. Truffle starts every `contract` from the migrated chain.
  describe("a period, from opening to enforcement", () => {
    it("the regulator opens 2026 with a cap of 1,000, a month to report, another to surrender, 50 a tonne short", async () => {
      const now = await chainTime();
      [reportingDeadline, surrenderDeadline] = [now + 30 * DAY, now + 60 * DAY];
      const tx = await compliance.openPeriod("2026", 1_000, reportingDeadline, surrenderDeadline, 50, { from: regulator });
      expectOutcome(tx, "OpenPeriod", { sender: regulator, isSuccess: true, message: "Period opened" });
    });

    it("it allocates 400 to Acme, 300 to Birch and 200 to Cedar, and no more than the cap allows", async () => {
      await carbon.sendCarbonToCustomer(acme, 400, { from: regulator });
      await carbon.sendCarbonToCustomer(birch, 300, { from: regulator });
      await carbon.sendCarbonToCustomer(cedar, 200, { from: regulator });
      const over = await carbon.sendCarbonToCustomer(cedar, 101, { from: regulator });
      expectOutcome(over, "SendCarbonToCustomer", { sender: regulator, isSuccess: false, message: "The cap of this period would be exceeded" });
      assert.equal((await compliance.getPeriod(0)).allocated, "900", "900 of 1,000 allocated");
    });

    it("it accredits a verifier; Acme and Birch appoint it, and it accepts both", async () => {
      await compliance.accreditVerifier(verifier, { from: regulator });
      for (const customer of [acme, birch]) {
        await compliance.appointVerifier(customer, 0, verifier, { from: customer });
        await compliance.acceptAppointment(verifier, customer, 0, { from: verifier });
      }
      assert.equal(await status(acme), "Unreported");
    });

    it("Acme reports 350 tonnes and is approved; Birch reports 200, is rejected, resubmits 380 and is approved", async () => {
      await compliance.reportEmissions(acme, 0, 350, EVIDENCE, { from: acme });
      assert.equal(await status(acme), "Pending");
      await compliance.approveReport(verifier, acme, 0, { from: verifier });
      await compliance.reportEmissions(birch, 0, 200, EVIDENCE, { from: birch });
      await compliance.rejectReport(verifier, birch, 0, "The second kiln is missing", { from: verifier });
      const again = await compliance.reportEmissions(birch, 0, 380, OTHER_EVIDENCE, { from: birch });
      expectOutcome(again, "ReportEmissions", { sender: birch, isSuccess: true, message: "Report resubmitted" });
      await compliance.approveReport(verifier, birch, 0, { from: verifier });
      assert.deepEqual([await status(acme), await status(birch)], ["B", "B"], "both owe their emissions");
    });

    it("the reporting deadline passes: Cedar, silent, is C", async () => {
      await mineAt(reportingDeadline + 1);
      assert.equal(await status(cedar), "C");
    });

    it("Acme surrenders 350 and banks 50; Birch surrenders all its 300 and stays short by 80", async () => {
      await compliance.surrenderCarbon(acme, 350, { from: acme });
      await compliance.surrenderCarbon(birch, 300, { from: birch });
      assert.deepEqual([await status(acme), await status(birch)], ["A", "B"]);
      assert.equal(await balance(acme), "50", "Acme's banked quota");
      await expectConserved();
    });

    it("the surrender deadline passes and the regulator closes the period", async () => {
      await mineAt(surrenderDeadline + 1);
      const tx = await compliance.closePeriod(0, { from: regulator });
      expectOutcome(tx, "ClosePeriod", { sender: regulator, isSuccess: true, message: "Period closed" });
    });

    it("the regulator estimates silent Cedar's emissions at 250 tonnes, saying why", async () => {
      const tx = await compliance.estimateEmissions(cedar, 0, 250, "Kiln capacity × the sector's 2025 intensity", { from: regulator });
      expectOutcome(tx, "EstimateEmissions", { sender: regulator, isSuccess: true, message: "Emissions estimated" });
      const record = await compliance.getRecord(cedar, 0);
      assert.deepEqual([record.estimated, record.obligation, record.status], ["250", "275", String(Status.C)], "250 estimated, 275 with the 10 % surcharge, still C");
    });

    it("enforcement, account by account: Acme compliant; Birch frozen with 80 × 50; Cedar frozen with 275 × 50", async () => {
      const messages = [];
      for (const customer of [acme, birch, cedar]) {
        const tx = await compliance.enforceCompliance(customer, 0, { from: regulator });
        messages.push(tx.logs.find((log) => log.event === "EnforceCompliance")!.args.message);
      }
      assert.deepEqual(messages, ["Compliant", "Short: the account is frozen and a penalty recorded", "No verified emissions: the account is frozen and a penalty recorded on the regulator's estimate"]);
      assert.deepEqual(await Promise.all([acme, birch, cedar].map((a) => carbon.isFrozen(a))), [false, true, true], "frozen");
      const [birchRecord, cedarRecord] = await Promise.all([compliance.getRecord(birch, 0), compliance.getRecord(cedar, 0)]);
      const [birchOwes, cedarOwes] = await Promise.all([compliance.standingOf(birch), compliance.standingOf(cedar)]);
      assert.deepEqual([birchRecord.penalty, birchOwes.outstanding], ["4000", "80"], "Birch's penalty and what it owes");
      assert.deepEqual([cedarRecord.penalty, cedarOwes.outstanding], ["13750", "275"], "Cedar's penalty and what it owes");
      assert.equal((await compliance.penaltyTotal()).toString(), "17750", "penalties recorded");
    });

    it("frozen, Birch receives nothing until the regulator lifts the freeze", async () => {
      const tx = await carbon.sendCarbonToCustomer(birch, 80, { from: regulator });
      expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: false, message: "This account is frozen and cannot receive quota" });
    });

    it("2027 opens: Birch still owes its 80 beside it (2027's record starts clean); Acme's banked 50 stays Acme's", async () => {
      const now = await chainTime();
      await compliance.openPeriod("2027", 1_000, now + 30 * DAY, now + 60 * DAY, 50, { from: regulator });
      assert.equal((await compliance.standingOf(birch)).outstanding, "80", "80 owed");
      assert.equal((await compliance.getRecord(birch, 1)).shortfall, "0", "nothing of 2026 in 2027's record");
      assert.equal(await balance(acme), "50", "banked");
    });

    it("unfrozen by the regulator to receive its 2027 allocation, Birch pays its 80 late first: the shortfall is cleared", async () => {
      await carbon.unfreezeAccount(birch, { from: regulator });
      await carbon.sendCarbonToCustomer(birch, 300, { from: regulator });
      const tx = await compliance.surrenderCarbon(birch, 80, { from: birch });
      expectOutcome(tx, "SurrenderCarbon", { sender: birch, isSuccess: true, message: "Quota surrendered, the shortfall is cleared" });
      const [record, standing] = await Promise.all([compliance.getRecord(birch, 0), compliance.standingOf(birch)]);
      assert.deepEqual([record.status, record.shortfall, record.penalty], [String(Status.B), "80", "4000"], "2026 stays B as closed, the penalty stays");
      assert.equal(standing.outstanding, "0", "Birch owes nothing");
      assert.equal((await compliance.getRecord(birch, 1)).surrendered, "0", "nothing of it counted toward 2027");
      await expectConserved();
    });
  });
});
