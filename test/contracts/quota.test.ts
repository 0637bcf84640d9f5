// Issuing quota: the regulator's sendCarbonToCustomer.
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
  digestOf,
  ZERO_ADDRESS,
} from "./helpers";

const ISSUED = "Successfully issued quota";
const NOT_REGISTERED = "This account has not been registered, and the distribution failed";

const BALANCE_OVERFLOW = "The amount would overflow the account's balance";
const TOTAL_OVERFLOW = "The amount would overflow the issued total";

contract("Carbon", ([regulator, customer, seller, stranger]) => {
  let market: Market;
  let carbon: CarbonInstance;

  before(async () => {
    market = await deployedMarket();
    carbon = market.carbon;
    await carbon.newCustomer(customer, digestOf("pw-customer"), { from: customer });
    await carbon.newSeller(seller, digestOf("pw-seller"), { from: seller });
  });

  describe("sendCarbonToCustomer", () => {
    isolate();

    it(`emits SendCarbonToCustomer "${ISSUED}" when the regulator issues to a customer`, async () => {
      const tx = await carbon.sendCarbonToCustomer(customer, 120, { from: regulator });

      expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: true, message: ISSUED });
      expectActivity(tx, {
        account: customer,
        counterparty: regulator,
        operation: Operation.SendCarbonToCustomer,
        amount: 120,
        isSuccess: true,
      });
      assert.equal((await carbon.getCustomerCarbonAmount(customer)).toString(), "120", "the customer's balance");
      assert.equal((await carbon.issuedCarbonAmount()).toString(), "120", "the issued total");
      assert.equal((await carbon.settledCarbonAmount()).toString(), "0", "nothing settled");
    });

    it("adds up successive issues", async () => {
      await carbon.sendCarbonToCustomer(customer, 120, { from: regulator });
      await carbon.sendCarbonToCustomer(customer, 30, { from: regulator });

      assert.equal((await carbon.getCustomerCarbonAmount(customer)).toString(), "150", "the customer's balance");
      assert.equal((await carbon.issuedCarbonAmount()).toString(), "150", "the issued total");
    });

    for (const [who, receiver] of [
      ["an unregistered account", () => stranger],
      ["a seller that is not a customer", () => seller],
    ] as const) {
      it(`emits SendCarbonToCustomer "${NOT_REGISTERED}" when the receiver is ${who}`, async () => {
        const before = await marketState(market, [customer, seller, stranger]);

        const tx = await carbon.sendCarbonToCustomer(receiver(), 50, { from: regulator });

        expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: false, message: NOT_REGISTERED });
        expectActivity(tx, {
          account: receiver(),
          counterparty: ZERO_ADDRESS,
          operation: Operation.SendCarbonToCustomer,
          amount: 50,
          isSuccess: false,
        });
        await expectStateUnchanged(market, before, "a failed issue");
      });
    }

    it("issues up to the largest balance, 2^96-1, to one customer", async () => {
      const max = (2n ** 96n - 1n).toString();
      const tx = await carbon.sendCarbonToCustomer(customer, max, { from: regulator });

      expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: true, message: ISSUED });
      assert.equal((await carbon.getCustomerCarbonAmount(customer)).toString(), max, "the customer's balance");
    });

    for (const [what, first, amount, message] of [
      ["the balance past 2^96-1", 2n ** 96n - 1n, 1n, BALANCE_OVERFLOW],
      ["the balance, with an amount of 2^96", 1n, 2n ** 96n, BALANCE_OVERFLOW],
      ["the issued total, with 2^256-1 on top of existing quota", 5n, 2n ** 256n - 1n, TOTAL_OVERFLOW],
      ["the issued total, with 2^128", 5n, 2n ** 128n, TOTAL_OVERFLOW],
    ] as const) {
      it(`emits SendCarbonToCustomer "${message}" when issuing would overflow ${what}, never a Panic`, async () => {
        await carbon.sendCarbonToCustomer(customer, first.toString(), { from: regulator });
        const before = await marketState(market, [customer, seller, stranger]);

        const tx = await carbon.sendCarbonToCustomer(customer, amount.toString(), { from: regulator });

        expectOutcome(tx, "SendCarbonToCustomer", { sender: regulator, isSuccess: false, message });
        expectActivity(tx, {
          account: customer,
          counterparty: ZERO_ADDRESS,
          operation: Operation.SendCarbonToCustomer,
          amount: amount.toString(),
          isSuccess: false,
        });
        await expectStateUnchanged(market, before, "an issue that would overflow");
      });
    }

    it("reverts when anyone but the regulator issues quota", async () => {
      for (const sender of [customer, seller, stranger]) {
        await expectCustomError(
          carbon.sendCarbonToCustomer(customer, 50, { from: sender }),
          "CarbonUnauthorizedRegulator(address)",
          [sender],
        );
      }
      assert.equal((await carbon.issuedCarbonAmount()).toString(), "0", "nothing issued");
    });

    it("reverts when the amount is zero", async () => {
      await expectCustomError(carbon.sendCarbonToCustomer(customer, 0, { from: regulator }), "CarbonZeroAmount()");
      await expectCustomError(carbon.sendCarbonToCustomer(stranger, 0, { from: regulator }), "CarbonZeroAmount()");
    });
  });
});
