// Trading: a seller publishes lots (addCarbon), customers buy them (buyCarbon), and the seller settles
// its proceeds with the authority (settleCarbon). Lot-ID validation is in carbon-id.test.ts.
import {
  deployedMarket,
  expectActivity,
  expectCustomError,
  expectOutcome,
  expectStateUnchanged,
  isolate,
  lotView,
  type Market,
  marketState,
  Operation,
  ZERO_ADDRESS,
  digestOf,
} from "./helpers";

const SELF_DEALING = "You cannot buy your own quota";

contract("Carbon", ([regulator, customer, seller, stranger, customer2, seller2]) => {
  let market: Market;
  let carbon: CarbonInstance;
  const watched = (): string[] => [regulator, customer, seller, stranger, customer2, seller2];

  before(async () => {
    market = await deployedMarket();
    carbon = market.carbon;
    for (const account of [customer, customer2]) {
      await carbon.newCustomer(account, digestOf("pw-customer"), { from: account });
      await carbon.sendCarbonToCustomer(account, 100, { from: regulator });
    }
    for (const account of [seller, seller2]) await carbon.newSeller(account, digestOf("pw-seller"), { from: account });
  });

  describe("addCarbon", () => {
    isolate();

    it(`emits AddCarbon "Successfully created quota" when a seller publishes a new lot`, async () => {
      const tx = await carbon.addCarbon(seller, "LOT-A", 30, { from: seller });

      expectOutcome(tx, "AddCarbon", { sender: seller, isSuccess: true, message: "Successfully created quota" });
      expectActivity(tx, {
        account: seller,
        counterparty: ZERO_ADDRESS,
        operation: Operation.AddCarbon,
        carbonId: "LOT-A",
        amount: 30,
        isSuccess: true,
      });
      const lot = { carbonId: "LOT-A", price: "30", seller, buyer: ZERO_ADDRESS };
      assert.deepEqual(lotView(await carbon.getCarbon("LOT-A")), lot, "getCarbon returns the lot");
      assert.deepEqual((await carbon.getCarbons(0, 10)).map(lotView), [lot], "the market lists the lot");
      assert.deepEqual((await carbon.getSellerCarbons(seller, 0, 10)).map(lotView), [lot], "the seller lists the lot");
      assert.equal((await carbon.getCarbonCount()).toString(), "1", "one lot");
      assert.equal((await carbon.getSellerCarbonAmount(seller)).toString(), "0", "publishing pays nothing");
    });

    for (const [who, publisher] of [
      ["the same seller", () => seller],
      ["another seller", () => seller2],
    ] as const) {
      it(`emits AddCarbon "The quota has been added" when ${who} reuses a lot's ID`, async () => {
        await carbon.addCarbon(seller, "LOT-A", 30, { from: seller });
        const before = await marketState(market, watched(), ["LOT-A"]);

        const tx = await carbon.addCarbon(publisher(), "LOT-A", 99, { from: publisher() });

        expectOutcome(tx, "AddCarbon", { sender: publisher(), isSuccess: false, message: "The quota has been added" });
        expectActivity(tx, {
          account: publisher(),
          counterparty: ZERO_ADDRESS,
          operation: Operation.AddCarbon,
          carbonId: "LOT-A",
          amount: 99,
          isSuccess: false,
        });
        await expectStateUnchanged(market, before, "publishing a taken ID");
      });
    }

    it("reverts when someone publishes for another account, even the regulator", async () => {
      for (const sender of [stranger, seller2, regulator]) {
        await expectCustomError(
          carbon.addCarbon(seller, "LOT-A", 30, { from: sender }),
          "CarbonUnauthorizedAccount(address,address)",
          [sender, seller],
        );
      }
    });

    it("reverts when the publisher is not a registered seller", async () => {
      for (const account of [stranger, customer]) {
        await expectCustomError(carbon.addCarbon(account, "LOT-A", 30, { from: account }), "CarbonNotSeller(address)", [
          account,
        ]);
      }
    });

    it("reverts when the price is zero", async () => {
      await expectCustomError(carbon.addCarbon(seller, "LOT-A", 0, { from: seller }), "CarbonZeroAmount()");
    });

    it("reverts with CarbonPriceTooHigh above 2^64-1, and takes 2^64-1", async () => {
      const max = 2n ** 64n - 1n;
      const before = await marketState(market, watched(), ["LOT-A"]);
      for (const price of [max + 1n, 2n ** 256n - 1n]) {
        await expectCustomError(
          carbon.addCarbon(seller, "LOT-A", price.toString(), { from: seller }),
          "CarbonPriceTooHigh(uint256,uint256)",
          [price, max],
        );
      }
      await expectStateUnchanged(market, before, "a price too high");

      const tx = await carbon.addCarbon(seller, "LOT-A", max.toString(), { from: seller });
      expectOutcome(tx, "AddCarbon", { sender: seller, isSuccess: true, message: "Successfully created quota" });
      assert.equal((await carbon.getCarbon("LOT-A")).price.toString(), max.toString(), "the highest price is kept whole");
    });

    it("puts each new lot in the unsold index, in publication order", async () => {
      await carbon.addCarbon(seller, "LOT-A", 30, { from: seller });
      await carbon.addCarbon(seller2, "LOT-B", 40, { from: seller2 });

      assert.equal((await carbon.getUnsoldCarbonCount()).toString(), "2", "two lots for sale");
      assert.deepEqual(
        (await carbon.getUnsoldCarbons(0, 10)).map(lotView),
        [
          { carbonId: "LOT-A", price: "30", seller, buyer: ZERO_ADDRESS },
          { carbonId: "LOT-B", price: "40", seller: seller2, buyer: ZERO_ADDRESS },
        ],
        "the lots for sale",
      );
    });
  });

  describe("buyCarbon", () => {
    isolate();
    before(async () => {
      await carbon.addCarbon(seller, "LOT-A", 30, { from: seller });
      await carbon.addCarbon(seller, "LOT-B", 500, { from: seller });
      await carbon.addCarbon(seller2, "LOT-C", 100, { from: seller2 });
    });

    it(`emits BuyCarbon "Buy successfully" when a customer buys a lot it can afford`, async () => {
      const tx = await carbon.buyCarbon(customer, "LOT-A", { from: customer });

      expectOutcome(tx, "BuyCarbon", { sender: customer, isSuccess: true, message: "Buy successfully" });
      expectActivity(tx, {
        account: customer,
        counterparty: seller,
        operation: Operation.BuyCarbon,
        carbonId: "LOT-A",
        amount: 30,
        isSuccess: true,
      });
      const lot = { carbonId: "LOT-A", price: "30", seller, buyer: customer };
      const state = await marketState(market, [customer, seller], ["LOT-A"]);
      assert.deepEqual(state.lots["LOT-A"], lot, "the lot's buyer is the customer");
      assert.equal(state.accounts[customer].customerBalance, "70", "the customer paid the price");
      assert.equal(state.accounts[seller].sellerBalance, "30", "the seller received the price");
      assert.deepEqual((await carbon.getCustomerCarbons(customer, 0, 10)).map(lotView), [lot], "the customer lists the lot");
      assert.deepEqual((await carbon.getSellerCarbons(seller, 0, 1)).map(lotView), [lot], "the seller's list shows the buyer");
      assert.equal(state.issued, "200", "buying issues nothing");
      assert.equal(state.settled, "0", "buying settles nothing");
    });

    it(`emits BuyCarbon "Buy successfully" when the balance equals the price`, async () => {
      const tx = await carbon.buyCarbon(customer, "LOT-C", { from: customer });

      expectOutcome(tx, "BuyCarbon", { sender: customer, isSuccess: true, message: "Buy successfully" });
      assert.equal((await carbon.getCustomerCarbonAmount(customer)).toString(), "0", "the customer spent it all");
      assert.equal((await carbon.getSellerCarbonAmount(seller2)).toString(), "100", "the lot's own seller is paid");
      assert.equal((await carbon.getSellerCarbonAmount(seller)).toString(), "0", "no other seller is paid");
    });

    it(`emits BuyCarbon "Buy failed" when the balance is below the price`, async () => {
      const before = await marketState(market, watched(), ["LOT-B"]);

      const tx = await carbon.buyCarbon(customer, "LOT-B", { from: customer });

      expectOutcome(tx, "BuyCarbon", { sender: customer, isSuccess: false, message: "Buy failed" });
      expectActivity(tx, {
        account: customer,
        counterparty: ZERO_ADDRESS,
        operation: Operation.BuyCarbon,
        carbonId: "LOT-B",
        amount: 500,
        isSuccess: false,
      });
      await expectStateUnchanged(market, before, "a purchase the customer cannot afford");
    });

    it(`emits BuyCarbon "The product does not exist" when no lot has the ID`, async () => {
      const before = await marketState(market, watched(), ["LOT-Z"]);

      const tx = await carbon.buyCarbon(customer, "LOT-Z", { from: customer });

      expectOutcome(tx, "BuyCarbon", { sender: customer, isSuccess: false, message: "The product does not exist" });
      expectActivity(tx, {
        account: customer,
        counterparty: ZERO_ADDRESS,
        operation: Operation.BuyCarbon,
        carbonId: "LOT-Z",
        amount: 0,
        isSuccess: false,
      });
      await expectStateUnchanged(market, before, "buying a lot that does not exist");
    });

    for (const [who, buyer] of [
      ["another customer", () => customer2],
      ["the same customer", () => customer],
    ] as const) {
      it(`emits BuyCarbon "The quota has been sold" when ${who} buys a sold lot`, async () => {
        await carbon.buyCarbon(customer, "LOT-A", { from: customer });
        const before = await marketState(market, watched(), ["LOT-A"]);

        const tx = await carbon.buyCarbon(buyer(), "LOT-A", { from: buyer() });

        expectOutcome(tx, "BuyCarbon", { sender: buyer(), isSuccess: false, message: "The quota has been sold" });
        expectActivity(tx, {
          account: buyer(),
          counterparty: ZERO_ADDRESS,
          operation: Operation.BuyCarbon,
          carbonId: "LOT-A",
          amount: 30,
          isSuccess: false,
        });
        await expectStateUnchanged(market, before, "buying a sold lot");
      });
    }

    it(`emits BuyCarbon "${SELF_DEALING}" when a seller buys its own lot as a customer, and changes nothing`, async () => {
      await carbon.newSeller(customer, digestOf("pw-both"), { from: customer });
      await carbon.addCarbon(customer, "OWN-LOT", 10, { from: customer });
      const before = await marketState(market, watched(), ["OWN-LOT"]);

      const tx = await carbon.buyCarbon(customer, "OWN-LOT", { from: customer });

      expectOutcome(tx, "BuyCarbon", { sender: customer, isSuccess: false, message: SELF_DEALING });
      expectActivity(tx, {
        account: customer,
        counterparty: ZERO_ADDRESS,
        operation: Operation.BuyCarbon,
        carbonId: "OWN-LOT",
        amount: 10,
        isSuccess: false,
      });
      await expectStateUnchanged(market, before, "buying one's own lot");
    });

    it("takes a sold lot out of the unsold index, moving the last lot for sale into its place", async () => {
      assert.deepEqual(
        (await carbon.getUnsoldCarbons(0, 10)).map((lot) => lot.carbonId),
        ["LOT-A", "LOT-B", "LOT-C"],
        "before: publication order",
      );

      await carbon.buyCarbon(customer, "LOT-A", { from: customer });

      assert.equal((await carbon.getUnsoldCarbonCount()).toString(), "2", "two lots left for sale");
      assert.deepEqual((await carbon.getUnsoldCarbons(0, 10)).map((lot) => lot.carbonId), ["LOT-C", "LOT-B"], "LOT-C moved");
      assert.deepEqual((await carbon.getUnsoldCarbons(1, 1)).map((lot) => lot.carbonId), ["LOT-B"], "a page of one");
      assert.deepEqual(await carbon.getUnsoldCarbons(2, 10), [], "past the end");

      await carbon.sendCarbonToCustomer(customer, 1_000, { from: regulator });
      await carbon.buyCarbon(customer, "LOT-B", { from: customer }); // the last one: nothing moves
      assert.deepEqual((await carbon.getUnsoldCarbons(0, 10)).map((lot) => lot.carbonId), ["LOT-C"], "LOT-B left");
      await carbon.buyCarbon(customer2, "LOT-C", { from: customer2 });
      assert.equal((await carbon.getUnsoldCarbonCount()).toString(), "0", "nothing left for sale");
      assert.deepEqual(await carbon.getUnsoldCarbons(0, 10), [], "an empty index");
      assert.equal((await carbon.getCarbonCount()).toString(), "3", "every lot is still listed");
    });

    it("reverts when someone buys for another account, even the regulator", async () => {
      for (const sender of [stranger, customer2, seller, regulator]) {
        await expectCustomError(
          carbon.buyCarbon(customer, "LOT-A", { from: sender }),
          "CarbonUnauthorizedAccount(address,address)",
          [sender, customer],
        );
      }
    });

    it("reverts when the buyer is not a registered customer", async () => {
      for (const account of [stranger, seller]) {
        await expectCustomError(carbon.buyCarbon(account, "LOT-A", { from: account }), "CarbonNotCustomer(address)", [
          account,
        ]);
      }
    });
  });

  describe("settleCarbon", () => {
    isolate();
    before(async () => {
      await carbon.addCarbon(seller, "LOT-A", 30, { from: seller });
      await carbon.buyCarbon(customer, "LOT-A", { from: customer });
    });

    it(`emits SettleCarbon "Settlement succeeded" when a seller settles part of its balance`, async () => {
      const tx = await carbon.settleCarbon(seller, 20, { from: seller });

      expectOutcome(tx, "SettleCarbon", { sender: seller, isSuccess: true, message: "Settlement succeeded" });
      expectActivity(tx, {
        account: seller,
        counterparty: regulator,
        operation: Operation.SettleCarbon,
        amount: 20,
        isSuccess: true,
      });
      assert.equal((await carbon.getSellerCarbonAmount(seller)).toString(), "10", "the seller's balance");
      assert.equal((await carbon.settledCarbonAmount()).toString(), "20", "the settled total");
      assert.equal((await carbon.issuedCarbonAmount()).toString(), "200", "settling issues nothing");
      assert.equal((await carbon.getCustomerCarbonAmount(customer)).toString(), "70", "no customer is touched");
    });

    it(`emits SettleCarbon "Settlement succeeded" when a seller settles its whole balance`, async () => {
      const tx = await carbon.settleCarbon(seller, 30, { from: seller });

      expectOutcome(tx, "SettleCarbon", { sender: seller, isSuccess: true, message: "Settlement succeeded" });
      assert.equal((await carbon.getSellerCarbonAmount(seller)).toString(), "0", "the seller's balance");
      assert.equal((await carbon.settledCarbonAmount()).toString(), "30", "the settled total");
    });

    for (const [what, who, amount] of [
      ["more than its balance", () => seller, 31],
      ["with no balance", () => seller2, 1],
    ] as const) {
      it(`emits SettleCarbon "Insufficient balance, settlement failed" when a seller settles ${what}`, async () => {
        const before = await marketState(market, watched(), ["LOT-A"]);

        const tx = await carbon.settleCarbon(who(), amount, { from: who() });

        expectOutcome(tx, "SettleCarbon", {
          sender: who(),
          isSuccess: false,
          message: "Insufficient balance, settlement failed",
        });
        expectActivity(tx, {
          account: who(),
          counterparty: ZERO_ADDRESS,
          operation: Operation.SettleCarbon,
          amount,
          isSuccess: false,
        });
        await expectStateUnchanged(market, before, "settling too much");
      });
    }

    it("reverts when someone settles for another account, even the regulator", async () => {
      for (const sender of [stranger, seller2, customer, regulator]) {
        await expectCustomError(
          carbon.settleCarbon(seller, 10, { from: sender }),
          "CarbonUnauthorizedAccount(address,address)",
          [sender, seller],
        );
      }
    });

    it("reverts when the settler is not a registered seller", async () => {
      for (const account of [stranger, customer]) {
        await expectCustomError(carbon.settleCarbon(account, 10, { from: account }), "CarbonNotSeller(address)", [
          account,
        ]);
      }
    });

    it("reverts when the amount is zero", async () => {
      await expectCustomError(carbon.settleCarbon(seller, 0, { from: seller }), "CarbonZeroAmount()");
    });
  });
});
