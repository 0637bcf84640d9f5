// Risk control: the regulator freezes and unfreezes accounts, and a frozen account neither sends nor
// receives anything: it cannot buy, publish or settle, be paid for its lots, or receive quota (its
// registration is refused in registration.test.ts).
import {
  deployedMarket,
  expectActivity,
  expectCustomError,
  expectOutcome,
  expectStateUnchanged,
  isolate,
  type Market,
  marketState,
  Operation,
  ZERO_ADDRESS,
  digestOf,
} from "./helpers";

const FROZEN = "This account is frozen";
const FROZEN_SELLER = "The seller of this quota is frozen";
const FROZEN_RECEIVER = "This account is frozen and cannot receive quota";

contract("Carbon", ([regulator, customer, seller, stranger, other]) => {
  let market: Market;
  let carbon: CarbonInstance;

  before(async () => {
    market = await deployedMarket();
    carbon = market.carbon;
  });

  describe("freezeAccount", () => {
    isolate();

    it(`emits FreezeAccount "Account frozen" when the regulator freezes an account`, async () => {
      const tx = await carbon.freezeAccount(customer, { from: regulator });

      expectOutcome(tx, "FreezeAccount", { sender: regulator, isSuccess: true, message: "Account frozen" });
      expectActivity(tx, {
        account: customer,
        counterparty: regulator,
        operation: Operation.FreezeAccount,
        isSuccess: true,
      });
      assert.isTrue(await carbon.isFrozen(customer), "the account is frozen");
      assert.isFalse(await carbon.isFrozen(seller), "no other account is");
      assert.equal((await carbon.getFrozenCount()).toString(), "1", "one frozen account");
      assert.deepEqual(await carbon.getFrozenAccounts(0, 10), [customer], "the frozen list");
    });

    it(`emits FreezeAccount "This account is already frozen" when the account is frozen`, async () => {
      await carbon.freezeAccount(customer, { from: regulator });
      const before = await marketState(market, [customer]);

      const tx = await carbon.freezeAccount(customer, { from: regulator });

      expectOutcome(tx, "FreezeAccount", {
        sender: regulator,
        isSuccess: false,
        message: "This account is already frozen",
      });
      expectActivity(tx, {
        account: customer,
        counterparty: ZERO_ADDRESS,
        operation: Operation.FreezeAccount,
        isSuccess: false,
      });
      await expectStateUnchanged(market, before, "freezing twice");
    });

    it("reverts when anyone but the regulator freezes an account", async () => {
      for (const [sender, target] of [
        [stranger, customer],
        [customer, customer],
        [seller, customer],
      ]) {
        await expectCustomError(
          carbon.freezeAccount(target, { from: sender }),
          "CarbonUnauthorizedRegulator(address)",
          [sender],
        );
      }
      assert.equal((await carbon.getFrozenCount()).toString(), "0", "nothing frozen");
    });

    it("reverts when the regulator freezes itself", async () => {
      await expectCustomError(
        carbon.freezeAccount(regulator, { from: regulator }),
        "CarbonCannotFreezeRegulator(address)",
        [regulator],
      );
    });

    it("reverts when the account is the zero address", async () => {
      await expectCustomError(carbon.freezeAccount(ZERO_ADDRESS, { from: regulator }), "CarbonInvalidAccount(address)", [
        ZERO_ADDRESS,
      ]);
    });
  });

  describe("unfreezeAccount", () => {
    isolate();
    before(async () => {
      for (const account of [customer, seller, stranger]) await carbon.freezeAccount(account, { from: regulator });
    });

    it(`emits UnfreezeAccount "Account unfrozen" when the regulator unfreezes a frozen account`, async () => {
      const tx = await carbon.unfreezeAccount(customer, { from: regulator });

      expectOutcome(tx, "UnfreezeAccount", { sender: regulator, isSuccess: true, message: "Account unfrozen" });
      expectActivity(tx, {
        account: customer,
        counterparty: regulator,
        operation: Operation.UnfreezeAccount,
        isSuccess: true,
      });
      assert.isFalse(await carbon.isFrozen(customer), "the account is no longer frozen");
      assert.equal((await carbon.getFrozenCount()).toString(), "2", "two frozen accounts are left");
      assert.sameMembers(await carbon.getFrozenAccounts(0, 10), [seller, stranger], "the others stay frozen");
      assert.isTrue(await carbon.isFrozen(stranger), "the account moved into the gap is still frozen");
    });

    it("keeps the frozen list consistent whichever account is unfrozen", async () => {
      await carbon.unfreezeAccount(stranger, { from: regulator });
      await carbon.unfreezeAccount(customer, { from: regulator });
      await carbon.freezeAccount(customer, { from: regulator });
      await carbon.unfreezeAccount(seller, { from: regulator });

      assert.deepEqual(await carbon.getFrozenAccounts(0, 10), [customer], "only the refrozen account");
      assert.isTrue(await carbon.isFrozen(customer), "refrozen");
      for (const account of [seller, stranger]) assert.isFalse(await carbon.isFrozen(account), `${account} unfrozen`);
      await carbon.unfreezeAccount(customer, { from: regulator });
      assert.equal((await carbon.getFrozenCount()).toString(), "0", "nothing frozen");
    });

    it(`emits UnfreezeAccount "This account is not frozen" when the account is not frozen`, async () => {
      const before = await marketState(market, [customer, seller, stranger, other]);

      const tx = await carbon.unfreezeAccount(other, { from: regulator });

      expectOutcome(tx, "UnfreezeAccount", {
        sender: regulator,
        isSuccess: false,
        message: "This account is not frozen",
      });
      expectActivity(tx, {
        account: other,
        counterparty: ZERO_ADDRESS,
        operation: Operation.UnfreezeAccount,
        isSuccess: false,
      });
      await expectStateUnchanged(market, before, "unfreezing an account that is not frozen");
    });

    it("reverts when anyone but the regulator unfreezes an account, even the frozen account", async () => {
      for (const sender of [customer, other]) {
        await expectCustomError(
          carbon.unfreezeAccount(customer, { from: sender }),
          "CarbonUnauthorizedRegulator(address)",
          [sender],
        );
      }
      assert.isTrue(await carbon.isFrozen(customer), "still frozen");
    });
  });

  describe("a frozen account", () => {
    isolate();
    before(async () => {
      await carbon.newCustomer(customer, digestOf("pw-customer"), { from: customer });
      await carbon.sendCarbonToCustomer(customer, 100, { from: regulator });
      await carbon.newSeller(seller, digestOf("pw-seller"), { from: seller });
      await carbon.addCarbon(seller, "LOT-A", 30, { from: seller });
      await carbon.addCarbon(seller, "LOT-B", 40, { from: seller });
      await carbon.buyCarbon(customer, "LOT-B", { from: customer });
      await carbon.newCustomer(other, digestOf("pw-other"), { from: other });
      await carbon.sendCarbonToCustomer(other, 100, { from: regulator });
      await carbon.freezeAccount(customer, { from: regulator });
      await carbon.freezeAccount(seller, { from: regulator });
    });

    it(`emits BuyCarbon "${FROZEN_SELLER}" when a customer buys its lot: a frozen account is not paid`, async () => {
      const before = await marketState(market, [customer, seller, other], ["LOT-A"]);

      const tx = await carbon.buyCarbon(other, "LOT-A", { from: other });

      expectOutcome(tx, "BuyCarbon", { sender: other, isSuccess: false, message: FROZEN_SELLER });
      expectActivity(tx, {
        account: other,
        counterparty: ZERO_ADDRESS,
        operation: Operation.BuyCarbon,
        carbonId: "LOT-A",
        amount: 30,
        isSuccess: false,
      });
      await expectStateUnchanged(market, before, "buying a frozen seller's lot");
    });

    it(`emits SendCarbonToCustomer "${FROZEN_RECEIVER}" when the regulator issues to it`, async () => {
      const before = await marketState(market, [customer, seller, regulator]);

      const tx = await carbon.sendCarbonToCustomer(customer, 50, { from: regulator });

      expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: false, message: FROZEN_RECEIVER });
      expectActivity(tx, {
        account: customer,
        counterparty: ZERO_ADDRESS,
        operation: Operation.SendCarbonToCustomer,
        amount: 50,
        isSuccess: false,
      });
      await expectStateUnchanged(market, before, "issuing to a frozen customer");
    });

    it(`emits BuyCarbon "${FROZEN}" when it buys an affordable lot`, async () => {
      const before = await marketState(market, [customer, seller], ["LOT-A"]);

      const tx = await carbon.buyCarbon(customer, "LOT-A", { from: customer });

      expectOutcome(tx, "BuyCarbon", { sender: customer, isSuccess: false, message: FROZEN });
      expectActivity(tx, {
        account: customer,
        counterparty: ZERO_ADDRESS,
        operation: Operation.BuyCarbon,
        carbonId: "LOT-A",
        amount: 30,
        isSuccess: false,
      });
      await expectStateUnchanged(market, before, "a frozen customer's purchase");
    });

    it(`emits AddCarbon "${FROZEN}" when it publishes a new lot`, async () => {
      const before = await marketState(market, [customer, seller], ["LOT-C"]);

      const tx = await carbon.addCarbon(seller, "LOT-C", 10, { from: seller });

      expectOutcome(tx, "AddCarbon", { sender: seller, isSuccess: false, message: FROZEN });
      expectActivity(tx, {
        account: seller,
        counterparty: ZERO_ADDRESS,
        operation: Operation.AddCarbon,
        carbonId: "LOT-C",
        amount: 10,
        isSuccess: false,
      });
      await expectStateUnchanged(market, before, "a frozen seller's publication");
    });

    it(`emits SettleCarbon "${FROZEN}" when it settles within its balance`, async () => {
      const before = await marketState(market, [customer, seller]);

      const tx = await carbon.settleCarbon(seller, 40, { from: seller });

      expectOutcome(tx, "SettleCarbon", { sender: seller, isSuccess: false, message: FROZEN });
      expectActivity(tx, {
        account: seller,
        counterparty: ZERO_ADDRESS,
        operation: Operation.SettleCarbon,
        amount: 40,
        isSuccess: false,
      });
      await expectStateUnchanged(market, before, "a frozen seller's settlement");
    });

    it("trades again once unfrozen", async () => {
      await carbon.unfreezeAccount(customer, { from: regulator });
      await carbon.unfreezeAccount(seller, { from: regulator });

      const bought = await carbon.buyCarbon(customer, "LOT-A", { from: customer });
      expectOutcome(bought, "BuyCarbon", { sender: customer, isSuccess: true, message: "Buy successfully" });
      const added = await carbon.addCarbon(seller, "LOT-C", 10, { from: seller });
      expectOutcome(added, "AddCarbon", { sender: seller, isSuccess: true, message: "Successfully created quota" });
      const settled = await carbon.settleCarbon(seller, 70, { from: seller });
      expectOutcome(settled, "SettleCarbon", { sender: seller, isSuccess: true, message: "Settlement succeeded" });
      const issued = await carbon.sendCarbonToCustomer(customer, 5, { from: regulator });
      expectOutcome(issued, "SendCarbonToCustomer", { sender: regulator, isSuccess: true, message: "Successfully issued quota" });
    });
  });
});
