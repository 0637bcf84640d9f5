// The lesson's firms: a schedule set by the regulator, abatement sold at the schedule's cost (cheapest
// blocks first, exact payment, within the round's reporting window), emissions as baseline less
// abatement, the lesson verifying a firm's report against the chain, the penalty of a short firm, gas
// that does not grow with the number of firms, and the lesson's ether equal to what firms paid.
import type BN from "bn.js";
import { chainTime, deployedCompliance, EVIDENCE, mineAt, openPeriod, ReportState, Status } from "./compliance-helpers";
import { deployedMarket, digestOf, expectCustomError, expectOutcome, isolate } from "./helpers";
import { prng } from "./seeded";

const GWEI = 1_000_000_000n;
const big = (value: BN | string | number): bigint => BigInt(value.toString());

contract("Lesson", (accounts) => {
  const [regulator, ana, ben, stranger] = accounts;
  let carbon: CarbonInstance;
  let compliance: ComplianceInstance;
  let lesson: LessonInstance;

  before(async () => {
    ({ carbon } = await deployedMarket());
    compliance = await deployedCompliance();
    lesson = await artifacts.require("Lesson").deployed();
    for (const account of [ana, ben]) await carbon.newCustomer(account, digestOf(account), { from: account });
  });

  isolate();

  /** Ana: 100 t, abating 10 t at 5 gwei, then 20 at 8, then 30 at 20. */
  async function addAna(): Promise<void> {
    await lesson.addFirm(ana, 100, [10, 20, 30], [5n * GWEI, 8n * GWEI, 20n * GWEI].map(String), { from: regulator });
  }

  async function openRound(cut = 30): Promise<number> {
    const { periodId } = await openPeriod(compliance, regulator, { label: "Round 1", cap: 10_000, rate: String(50n * GWEI) });
    await lesson.markRound(periodId, cut, { from: regulator });
    return periodId;
  }

  it("is the market's lesson, wired by the migration", async () => {
    assert.equal(await carbon.lesson(), lesson.address);
    assert.equal(await lesson.market(), carbon.address);
    assert.equal(await lesson.compliance(), compliance.address);
  });

  it("gives a customer a firm with its schedule, once", async () => {
    const tx = await lesson.addFirm(ana, 100, [10, 20], [String(5n * GWEI), String(8n * GWEI)], { from: regulator });
    expectOutcome(tx, "AddFirm", { sender: regulator, isSuccess: true, message: "Firm added" });
    const firm = await lesson.getFirm(ana);
    assert.deepEqual([firm.number, firm.baseline, firm.abatable], ["1", "100", "30"]);
    assert.deepEqual(firm.tonnes.map(String), ["10", "20"]);
    assert.deepEqual(firm.costs.map(String), [String(5n * GWEI), String(8n * GWEI)]);
    assert.equal(String(await lesson.totalBaseline()), "100");
    const again = await lesson.addFirm(ana, 50, [1], [1], { from: regulator });
    expectOutcome(again, "AddFirm", { sender: regulator, isSuccess: false, message: "This account is a firm already" });
    assert.equal(String(await lesson.totalBaseline()), "100", "a refused firm changes nothing");
  });

  it("refuses a firm from anyone but the regulator, for a non-customer, or with a bad schedule", async () => {
    await expectCustomError(lesson.addFirm(ana, 100, [10], [1], { from: stranger }), "LessonUnauthorizedRegulator(address)", [stranger]);
    await expectCustomError(lesson.addFirm(stranger, 100, [10], [1], { from: regulator }), "LessonNotCustomer(address)", [stranger]);
    await expectCustomError(lesson.addFirm(ana, 0, [10], [1], { from: regulator }), "LessonInvalidBaseline(uint256)", [0]);
    for (const [tonnes, costs] of [
      [[], []],
      [[10, 10], [5, 4]], // dearer first
      [[10, 0], [1, 2]],
      [[10], [0]],
      [[60, 50], [1, 2]], // more than the baseline
      [Array(9).fill(1), Array(9).fill(1)],
      [[10], [1, 2]],
    ] as const) {
      await expectCustomError(lesson.addFirm(ana, 100, [...tonnes], [...costs], { from: regulator }), "LessonInvalidSchedule()");
    }
  });

  it("sells abatement cheapest blocks first at exactly the schedule's cost, and counts emissions down", async () => {
    await addAna();
    const periodId = await openRound();
    // 15 t: 10 at 5 gwei and 5 at 8.
    const cost = big(await lesson.abatementCost(ana, periodId, 15));
    assert.equal(cost, 10n * 5n * GWEI + 5n * 8n * GWEI);
    const tx = await lesson.abate(15, { from: ana, value: String(cost) });
    expectOutcome(tx, "Abate", { sender: ana, isSuccess: true, message: "Emissions abated" });
    const abated = tx.logs.find((log) => log.event === "Abated")!;
    assert.deepEqual([abated.args.tonnes, abated.args.cost, abated.args.emissions].map(String), ["15", String(cost), "85"]);
    // The next 20 t: the 15 left of the second block at 8, then 5 of the third at 20.
    const next = big(await lesson.abatementCost(ana, periodId, 20));
    assert.equal(next, 15n * 8n * GWEI + 5n * 20n * GWEI);
    await lesson.abate(20, { from: ana, value: String(next) });
    assert.equal(String(await lesson.emissionsOf(ana, periodId)), "65");
    const round = await lesson.firmRound(ana, periodId);
    assert.deepEqual([round.abated, round.paid, round.emissions].map(String), ["35", String(cost + next), "65"]);
    assert.equal(round.verified, false);
    const totals = await lesson.getRound(periodId);
    assert.deepEqual([totals.cut, totals.abated, totals.paid].map(String), ["30", "35", String(cost + next)]);
    assert.equal(BigInt(await web3.eth.getBalance(lesson.address)), cost + next, "the lesson holds what was paid");
    assert.equal(big(await lesson.spent()), cost + next);
  });

  it("refuses abatement that is not paid exactly, beyond the schedule, outside a round, or by a non-firm", async () => {
    await addAna();
    await expectCustomError(lesson.abate(1, { from: ana, value: String(5n * GWEI) }), "LessonNoOpenRound()");
    const periodId = await openRound();
    await expectCustomError(lesson.abate(1, { from: ana, value: String(4n * GWEI) }), "LessonWrongPayment(uint256,uint256)", [5n * GWEI, 4n * GWEI]);
    await expectCustomError(lesson.abate(1, { from: ana, value: String(6n * GWEI) }), "LessonWrongPayment(uint256,uint256)", [5n * GWEI, 6n * GWEI]);
    await expectCustomError(lesson.abate(61, { from: ana }), "LessonBeyondSchedule(uint256,uint256)", [61, 60]);
    await expectCustomError(lesson.abate(0, { from: ana }), "LessonZeroTonnes()");
    await expectCustomError(lesson.abate(1, { from: ben, value: "1" }), "LessonNotFirm(address)", [ben]);
    const period = await compliance.getPeriod(periodId);
    await mineAt(Number(period.reportingDeadline) + 1);
    await expectCustomError(lesson.abate(1, { from: ana, value: String(5n * GWEI) }), "LessonReportingOver(uint256)", [period.reportingDeadline]);
    assert.equal(await web3.eth.getBalance(lesson.address), "0", "nothing was kept from a refused call");
  });

  it("verifies a firm's report when it is the chain's figure, and then abatement is over for the round", async () => {
    await addAna();
    const periodId = await openRound();
    await compliance.accreditVerifier(lesson.address, { from: regulator });
    await lesson.abate(10, { from: ana, value: String(10n * 5n * GWEI) });
    await compliance.reportEmissions(ana, periodId, 90, EVIDENCE, { from: ana });
    await compliance.appointVerifier(ana, periodId, lesson.address, { from: ana });
    const tx = await lesson.verify(ana, periodId, { from: stranger });
    expectOutcome(tx, "Verify", { sender: stranger, isSuccess: true, message: "Report approved" });
    const record = await compliance.getRecord(ana, periodId);
    assert.equal(Number(record.reportState), ReportState.Verified);
    assert.equal(record.verified, "90");
    assert.equal((await lesson.firmRound(ana, periodId)).verified, true);
    await expectCustomError(lesson.abate(1, { from: ana, value: String(8n * GWEI) }), "LessonAlreadyVerified(uint256)", [periodId]);
  });

  it("rejects a report that is not the chain's figure, saying the figure; the corrected report is approved", async () => {
    await addAna();
    const periodId = await openRound();
    await compliance.accreditVerifier(lesson.address, { from: regulator });
    await compliance.reportEmissions(ana, periodId, 70, EVIDENCE, { from: ana });
    await compliance.appointVerifier(ana, periodId, lesson.address, { from: ana });
    const tx = await lesson.verify(ana, periodId);
    const message = "The report is not the firm's emissions: 100 t";
    expectOutcome(tx, "Verify", { sender: regulator, isSuccess: false, message });
    const record = await compliance.getRecord(ana, periodId);
    assert.equal(Number(record.reportState), ReportState.Rejected);
    assert.equal(record.rejectionReason, message);
    await compliance.reportEmissions(ana, periodId, 100, EVIDENCE, { from: ana });
    expectOutcome(await lesson.verify(ana, periodId), "Verify", { sender: regulator, isSuccess: true, message: "Report approved" });
    const again = await lesson.verify(ana, periodId);
    expectOutcome(again, "Verify", { sender: regulator, isSuccess: false, message: "There is no report awaiting verification" });
  });

  it("leaves a short firm to the compliance cycle: frozen, with the penalty on its shortfall at the round's rate", async () => {
    await addAna();
    const periodId = await openRound();
    await compliance.accreditVerifier(lesson.address, { from: regulator });
    await carbon.sendCarbonToCustomer(ana, 60, { from: regulator });
    await lesson.abate(10, { from: ana, value: String(10n * 5n * GWEI) });
    await compliance.reportEmissions(ana, periodId, 90, EVIDENCE, { from: ana });
    await compliance.appointVerifier(ana, periodId, lesson.address, { from: ana });
    await lesson.verify(ana, periodId);
    await compliance.surrenderCarbon(ana, 60, { from: ana });
    const period = await compliance.getPeriod(periodId);
    await mineAt(Number(period.surrenderDeadline) + 1);
    await compliance.closePeriod(periodId, { from: regulator });
    await compliance.enforceCompliance(ana, periodId, { from: regulator });
    const record = await compliance.getRecord(ana, periodId);
    assert.equal(Number(record.status), Status.B);
    assert.equal(record.shortfall, "30");
    assert.equal(big(record.penalty), 30n * 50n * GWEI);
  });

  it("refuses a round that is not a known, open period, or a cut beyond the class's baseline", async () => {
    await addAna();
    await expectCustomError(lesson.markRound(0, 10, { from: regulator }), "LessonUnknownPeriod(uint256)", [0]);
    const { periodId } = await openPeriod(compliance, regulator);
    await expectCustomError(lesson.markRound(periodId, 101, { from: regulator }), "LessonInvalidCut(uint256,uint256)", [101, 100]);
    await expectCustomError(lesson.markRound(periodId, 0, { from: regulator }), "LessonInvalidCut(uint256,uint256)", [0, 100]);
    await expectCustomError(lesson.markRound(periodId, 10, { from: stranger }), "LessonUnauthorizedRegulator(address)", [stranger]);
    await expectCustomError(lesson.verify(ana, periodId), "LessonNoOpenRound()");
  });

  it("costs the last firm's abatement what the 2nd's cost", async () => {
    const firms = accounts.slice(4);
    for (const firm of firms) {
      await carbon.newCustomer(firm, digestOf(firm), { from: firm });
      await lesson.addFirm(firm, 100, [10, 20], [String(5n * GWEI), String(8n * GWEI)], { from: regulator });
    }
    await openRound(300);
    const gas: number[] = [];
    // The lesson's very first abatement fills its spent total's slot: the 2nd firm is the fair first.
    await lesson.abate(1, { from: firms[0], value: String(5n * GWEI) });
    for (const firm of [firms[1], firms[firms.length - 1]]) {
      const tx = await lesson.abate(15, { from: firm, value: String(10n * 5n * GWEI + 5n * 8n * GWEI) });
      gas.push(tx.receipt.gasUsed);
    }
    assert.equal(gas[0], gas[1], `abate gas: ${gas.join(" vs ")}`);
    assert.equal(Number(await lesson.firmCount()), firms.length);
    assert.deepEqual((await lesson.firms(2, 100)).map((a) => a.toLowerCase()), firms.slice(2).map((a) => a.toLowerCase()));
  });

  it("holds exactly what firms paid, over random lessons", async () => {
    const random = prng(19);
    const firms = [ana, ben];
    for (const firm of firms) {
      const blocks = 1 + Math.floor(random() * 4);
      const tonnes = Array.from({ length: blocks }, () => 1 + Math.floor(random() * 10));
      let cost = 0n;
      const costs = tonnes.map(() => String((cost += BigInt(1 + Math.floor(random() * 9)) * GWEI)));
      await lesson.addFirm(firm, 60, tonnes, costs, { from: regulator });
    }
    let paid = 0n;
    for (let round = 0; round < 2; round++) {
      const periodId = await openRound(10);
      for (let step = 0; step < 6; step++) {
        const firm = firms[Math.floor(random() * firms.length)];
        const left = Number((await lesson.getFirm(firm)).abatable) - Number((await lesson.firmRound(firm, periodId)).abated);
        if (left === 0) continue;
        const tonnes = 1 + Math.floor(random() * left);
        const cost = big(await lesson.abatementCost(firm, periodId, tonnes));
        await lesson.abate(tonnes, { from: firm, value: String(cost) });
        paid += cost;
      }
      const period = await compliance.getPeriod(periodId);
      await mineAt(Math.max(Number(period.surrenderDeadline), await chainTime()) + 1);
      await compliance.closePeriod(periodId, { from: regulator });
    }
    assert.equal(BigInt(await web3.eth.getBalance(lesson.address)), paid);
    assert.equal(big(await lesson.spent()), paid);
  });
});
