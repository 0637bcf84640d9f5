// The regulator handed over in two steps on Carbon (as OpenZeppelin's Ownable2Step): the regulator
// proposes, the proposed account accepts, and from then on the new key is the regulator of the market,
// the compliance module and the order book alike (both read Carbon's regulator), the old one of none.
import { deployedCompliance, mineAt, openPeriod } from "./compliance-helpers";
import { deployedMarket, digestOf, expectActivity, expectCustomError, expectOutcome, isolate, Operation, ZERO_ADDRESS } from "./helpers";

contract("Carbon", ([regulator, successor, customer, stranger, verifier]) => {
  let carbon: CarbonInstance;
  let compliance: ComplianceInstance;
  let book: OrderBookInstance;

  before(async () => {
    carbon = (await deployedMarket()).carbon;
    compliance = await deployedCompliance();
    book = await artifacts.require("OrderBook").deployed();
    await carbon.newCustomer(customer, digestOf("pw-customer"), { from: customer });
  });

  async function handOver(): Promise<void> {
    await carbon.proposeRegulator(successor, { from: regulator });
    await carbon.acceptRegulator({ from: successor });
  }

  describe("proposeRegulator", () => {
    isolate();

    it(`emits "Handover proposed" and RegulatorProposed; the regulator does not change yet`, async () => {
      const tx = await carbon.proposeRegulator(successor, { from: regulator });

      expectOutcome(tx, "ProposeRegulator", { sender: regulator, isSuccess: true, message: "Handover proposed" });
      expectActivity(tx, { account: successor, counterparty: regulator, operation: Operation.ProposeRegulator, amount: 0, isSuccess: true });
      const proposed = tx.logs.find((log) => log.event === "RegulatorProposed")!;
      assert.deepEqual([proposed.args.previousRegulator, proposed.args.proposed], [regulator, successor], "RegulatorProposed");
      assert.equal(await carbon.pendingRegulator(), successor, "pending");
      assert.equal(await carbon.regulator(), regulator, "still the regulator");
      assert.equal(await book.regulator(), regulator, "the book's too");
    });

    it(`emits "Handover withdrawn" for the zero address: the proposed account can no longer accept`, async () => {
      await carbon.proposeRegulator(successor, { from: regulator });

      const tx = await carbon.proposeRegulator(ZERO_ADDRESS, { from: regulator });

      expectOutcome(tx, "ProposeRegulator", { sender: regulator, isSuccess: true, message: "Handover withdrawn" });
      assert.equal(await carbon.pendingRegulator(), ZERO_ADDRESS, "nothing pending");
      await expectCustomError(carbon.acceptRegulator({ from: successor }), "CarbonUnauthorizedPendingRegulator(address,address)", [successor, ZERO_ADDRESS]);
    });

    it(`emits "This account is frozen" for a frozen account, changing nothing`, async () => {
      await carbon.freezeAccount(successor, { from: regulator });

      const tx = await carbon.proposeRegulator(successor, { from: regulator });

      expectOutcome(tx, "ProposeRegulator", { sender: regulator, isSuccess: false, message: "This account is frozen" });
      assert.equal(await carbon.pendingRegulator(), ZERO_ADDRESS, "nothing pending");
    });

    it("reverts for anyone but the regulator, and for the regulator itself", async () => {
      for (const sender of [successor, customer, stranger]) {
        await expectCustomError(carbon.proposeRegulator(sender, { from: sender }), "CarbonUnauthorizedRegulator(address)", [sender]);
      }
      await expectCustomError(carbon.proposeRegulator(regulator, { from: regulator }), "CarbonInvalidAccount(address)", [regulator]);
    });
  });

  describe("acceptRegulator", () => {
    isolate();

    it(`emits "You are the regulator" and RegulatorTransferred: regulator() names the new one, for every module`, async () => {
      await carbon.proposeRegulator(successor, { from: regulator });

      const tx = await carbon.acceptRegulator({ from: successor });

      expectOutcome(tx, "AcceptRegulator", { sender: successor, isSuccess: true, message: "You are the regulator" });
      expectActivity(tx, { account: successor, counterparty: regulator, operation: Operation.AcceptRegulator, amount: 0, isSuccess: true });
      const moved = tx.logs.find((log) => log.event === "RegulatorTransferred")!;
      assert.deepEqual([moved.args.previousRegulator, moved.args.newRegulator], [regulator, successor], "RegulatorTransferred");
      assert.equal(await carbon.regulator(), successor, "Carbon's regulator");
      assert.equal(await book.regulator(), successor, "the book reads it");
      assert.equal(await carbon.pendingRegulator(), ZERO_ADDRESS, "nothing pending any more");
    });

    it(`emits "This account is frozen" if the proposed account was frozen since, changing nothing`, async () => {
      await carbon.proposeRegulator(successor, { from: regulator });
      await carbon.freezeAccount(successor, { from: regulator });

      const tx = await carbon.acceptRegulator({ from: successor });

      expectOutcome(tx, "AcceptRegulator", { sender: successor, isSuccess: false, message: "This account is frozen" });
      assert.equal(await carbon.regulator(), regulator, "unchanged");
      assert.equal(await carbon.pendingRegulator(), successor, "still pending: it can accept once unfrozen");
    });

    it("reverts for anyone but the proposed account, the regulator included", async () => {
      await carbon.proposeRegulator(successor, { from: regulator });
      for (const sender of [regulator, customer, stranger]) {
        await expectCustomError(carbon.acceptRegulator({ from: sender }), "CarbonUnauthorizedPendingRegulator(address,address)", [sender, successor]);
      }
    });
  });

  describe("after the handover", () => {
    isolate();

    before(handOver);

    it("the new key does every regulator action of the market, the compliance module and the order book", async () => {
      const period = await openPeriod(compliance, successor, { cap: 1_000, rate: 4 });
      expectOutcome(await carbon.sendCarbonToCustomer(customer, 100, { from: successor }), "SendCarbonToCustomer", { sender: successor, isSuccess: true, message: "Successfully issued quota" });
      expectOutcome(await carbon.freezeAccount(stranger, { from: successor }), "FreezeAccount", { sender: successor, isSuccess: true, message: "Account frozen" });
      expectOutcome(await carbon.unfreezeAccount(stranger, { from: successor }), "UnfreezeAccount", { sender: successor, isSuccess: true, message: "Account unfrozen" });

      expectOutcome(await compliance.accreditVerifier(verifier, { from: successor }), "AccreditVerifier", { sender: successor, isSuccess: true, message: "Verifier accredited" });
      await mineAt(period.surrenderDeadline + 1);
      expectOutcome(await compliance.closePeriod(0, { from: successor }), "ClosePeriod", { sender: successor, isSuccess: true, message: "Period closed" });
      expectOutcome(await compliance.estimateEmissions(customer, 0, 10, "estimated by the new regulator", { from: successor }), "EstimateEmissions", { sender: successor, isSuccess: true, message: "Emissions estimated" });
      const enforced = await compliance.enforceCompliance(customer, 0, { from: successor });
      expectOutcome(enforced, "EnforceCompliance", { sender: successor, isSuccess: true, message: "No verified emissions: the account is frozen and a penalty recorded on the regulator's estimate" });
      assert.isTrue(await carbon.isFrozen(customer), "the module's freeze goes through Carbon");

      expectOutcome(await book.haltTrading({ from: successor }), "HaltTrading", { sender: successor, isSuccess: true, message: "Trading halted" });
      expectOutcome(await book.resumeTrading({ from: successor }), "ResumeTrading", { sender: successor, isSuccess: true, message: "Trading resumed" });
    });

    it("the old key is refused everywhere", async () => {
      await expectCustomError(carbon.sendCarbonToCustomer(customer, 1, { from: regulator }), "CarbonUnauthorizedRegulator(address)", [regulator]);
      await expectCustomError(carbon.freezeAccount(customer, { from: regulator }), "CarbonUnauthorizedRegulator(address)", [regulator]);
      await expectCustomError(carbon.proposeRegulator(regulator, { from: regulator }), "CarbonUnauthorizedRegulator(address)", [regulator]);
      await expectCustomError(compliance.accreditVerifier(verifier, { from: regulator }), "ComplianceUnauthorizedRegulator(address)", [regulator]);
      await expectCustomError(compliance.openPeriod("2026", 10, String(2n ** 40n), String(2n ** 40n), 1, { from: regulator }), "ComplianceUnauthorizedRegulator(address)", [regulator]);
      await expectCustomError(book.haltTrading({ from: regulator }), "OrderBookUnauthorizedRegulator(address)", [regulator]);
    });

    it("the old regulator is an ordinary account: it can be frozen, and the new one cannot", async () => {
      expectOutcome(await carbon.freezeAccount(regulator, { from: successor }), "FreezeAccount", { sender: successor, isSuccess: true, message: "Account frozen" });
      await expectCustomError(carbon.freezeAccount(successor, { from: successor }), "CarbonCannotFreezeRegulator(address)", [successor]);
    });

    it("hands over again, back to the first key, the same way", async () => {
      await carbon.proposeRegulator(regulator, { from: successor });
      await carbon.acceptRegulator({ from: regulator });
      assert.equal(await carbon.regulator(), regulator, "back");
      expectOutcome(await book.haltTrading({ from: regulator }), "HaltTrading", { sender: regulator, isSuccess: true, message: "Trading halted" });
    });
  });
});
