// The migration's wiring: Carbon points at the two registries, both registries point back at Carbon,
// the deployer is the regulator, and nothing but Carbon can change a registry.
import { deployedMarket, digestOf, expectCustomError, type Market, ZERO_ADDRESS } from "./helpers";

const UNAUTHORIZED_MARKET = "RegistryUnauthorizedMarket(address)";

contract("Customer and Seller registries", ([deployer, customer, seller, stranger]) => {
  let market: Market;

  before(async () => {
    market = await deployedMarket();
  });

  describe("the migration", () => {
    it("wires Carbon to the deployed registries, and the registries to Carbon", async () => {
      const { carbon, customers, sellers } = market;
      assert.equal(await carbon.customerRegistry(), customers.address, "Carbon.customerRegistry is the Customer");
      assert.equal(await carbon.sellerRegistry(), sellers.address, "Carbon.sellerRegistry is the Seller");
      assert.notEqual(customers.address, sellers.address, "two registries");
      assert.equal(await customers.market(), carbon.address, "the Customer registry's market is Carbon");
      assert.equal(await sellers.market(), carbon.address, "the Seller registry's market is Carbon");
    });

    it("makes the deployer the regulator", async () => {
      assert.equal(await market.carbon.regulator(), deployer, "regulator() is accounts[0]");
    });

    it("records the block Carbon was deployed in, where the market's history starts", async () => {
      const block = Number(await market.carbon.deploymentBlock());
      const code = async (at: number): Promise<string> => web3.eth.getCode(market.carbon.address, at);
      assert.isAbove(block, 0, "a block after genesis");
      assert.notEqual(await code(block), "0x", "Carbon has code in its deployment block");
      assert.equal(await code(block - 1), "0x", "and none in the block before");
    });
  });

  for (const name of ["Customer", "Seller"] as const) {
    describe(`${name} registry`, () => {
      let registry: RegistryInstance;
      before(async () => {
        registry = name === "Customer" ? market.customers : market.sellers;
        // A registered account with quota, so credit/debit/addCarbonId would otherwise succeed.
        const { carbon } = market;
        await carbon[name === "Customer" ? "newCustomer" : "newSeller"](customer, digestOf("pw"), { from: customer });
        if (name === "Customer") await carbon.sendCarbonToCustomer(customer, 50, { from: deployer });
      });

      const writes: [string, (from: string) => Send][] = [
        ["register", (from) => registry.register(stranger, web3.utils.keccak256("pw").slice(0, 24), { from })],
        ["credit", (from) => registry.credit(customer, 10, { from })],
        ["debit", (from) => registry.debit(customer, 1, { from })],
        ["debitFor", (from) => registry.debitFor(customer, 1, web3.utils.keccak256("LOT"), { from })],
        ["addCarbonId", (from) => registry.addCarbonId(customer, web3.utils.keccak256("LOT"), { from })],
        ["setFrozen", (from) => registry.setFrozen(customer, true, { from })],
      ];
      for (const [method, write] of writes) {
        it(`reverts ${method} from any account but Carbon, the deployer and the regulator included`, async () => {
          for (const caller of [deployer, customer, seller, stranger]) {
            await expectCustomError(write(caller), UNAUTHORIZED_MARKET, [caller]);
          }
          assert.isFalse(await registry.isRegistered(stranger), "no one was registered");
          assert.equal(
            (await registry.carbonAmount(customer)).toString(),
            name === "Customer" ? "50" : "0",
            "the balance is as Carbon left it",
          );
        });
      }

      it("reverts setMarket a second time, even from the deployer", async () => {
        await expectCustomError(
          registry.setMarket(stranger, { from: deployer }),
          "RegistryMarketAlreadySet(address)",
          [market.carbon.address],
        );
        await expectCustomError(
          registry.setMarket(stranger, { from: stranger }),
          "RegistryUnauthorizedDeployer(address)",
          [stranger],
        );
        assert.equal(await registry.market(), market.carbon.address, "the market is still Carbon");
      });

      it("refuses a second market built on the same registry", async () => {
        const Carbon = artifacts.require("Carbon");
        const other = await Carbon.new(market.customers.address, market.sellers.address, { from: stranger });
        const register = name === "Customer" ? other.newCustomer(seller, digestOf("pw"), { from: seller }) : other.newSeller(seller, digestOf("pw"), { from: seller });

        await expectCustomError(register, UNAUTHORIZED_MARKET, [other.address]);
      });
    });
  }

  describe("the modules' registry rights", () => {
    // Each module calls only what it uses: the book credits, debits and releases customers' quota, the
    // compliance module retires it, and neither touches the seller registry. A call as if from the
    // module's address (eth_call with its `from`) shows what the registry would let its code do.
    let book: string;
    let compliance: string;
    const data = (registry: RegistryInstance, method: "credit" | "debit" | "release" | "retire", account: string, amount: number): string => {
      const abi = (registry as unknown as { abi: AbiFunction[] }).abi.find((item) => item.name === method)!;
      return web3.eth.abi.encodeFunctionCall(abi as never, [account, String(amount)]);
    };
    const callAs = (from: string, registry: RegistryInstance, method: "credit" | "debit" | "release" | "retire", account: string): Promise<string> =>
      web3.eth.call({ from, to: registry.address, data: data(registry, method, account, 1) });

    before(async () => {
      book = artifacts.require("OrderBook").address;
      compliance = artifacts.require("Compliance").address;
      await market.carbon.newSeller(seller, digestOf("pw"), { from: seller });
    });

    it("wires the modules into the customer registry only", async () => {
      const customers = await market.customers.modules();
      assert.deepEqual([customers.compliance, customers.exchange], [compliance, book], "the customer registry's modules");
      const sellers = await market.sellers.modules();
      assert.deepEqual([sellers.compliance, sellers.exchange], [ZERO_ADDRESS, ZERO_ADDRESS], "the seller registry has none");
    });

    it("lets the book credit, debit and release a customer's quota, and refuses it retire", async () => {
      for (const method of ["credit", "debit", "release"] as const) {
        assert.equal(Number(await callAs(book, market.customers, method, customer)), 0, `the book may ${method} (Done)`);
      }
      await expectCustomError(callAs(book, market.customers, "retire", customer), "RegistryUnauthorizedModule(address)", [book]);
    });

    it("lets the compliance module retire a customer's quota, and refuses it credit, debit and release", async () => {
      assert.equal(Number(await callAs(compliance, market.customers, "retire", customer)), 0, "compliance may retire (Done)");
      await expectCustomError(callAs(compliance, market.customers, "credit", customer), UNAUTHORIZED_MARKET, [compliance]);
      await expectCustomError(callAs(compliance, market.customers, "debit", customer), UNAUTHORIZED_MARKET, [compliance]);
      await expectCustomError(callAs(compliance, market.customers, "release", customer), "RegistryUnauthorizedModule(address)", [compliance]);
    });

    it("refuses both modules every write to the seller registry", async () => {
      for (const module of [book, compliance]) {
        await expectCustomError(callAs(module, market.sellers, "credit", seller), UNAUTHORIZED_MARKET, [module]);
        await expectCustomError(callAs(module, market.sellers, "debit", seller), UNAUTHORIZED_MARKET, [module]);
        await expectCustomError(callAs(module, market.sellers, "release", seller), "RegistryUnauthorizedModule(address)", [module]);
        await expectCustomError(callAs(module, market.sellers, "retire", seller), "RegistryUnauthorizedModule(address)", [module]);
      }
    });

    it("refuses release and retire to anyone but their module, Carbon included", async () => {
      for (const caller of [market.carbon.address, deployer, stranger]) {
        for (const method of ["release", "retire"] as const) {
          await expectCustomError(callAs(caller, market.customers, method, customer), "RegistryUnauthorizedModule(address)", [caller]);
        }
      }
    });
  });

  describe("a fresh registry", () => {
    it("is wired once, by its deployer, to a non-zero market", async () => {
      const fresh = await artifacts.require("Customer").new({ from: deployer });
      assert.equal(await fresh.market(), ZERO_ADDRESS, "no market yet");

      await expectCustomError(fresh.setMarket(stranger, { from: stranger }), "RegistryUnauthorizedDeployer(address)", [
        stranger,
      ]);
      await expectCustomError(fresh.setMarket(ZERO_ADDRESS, { from: deployer }), "RegistryInvalidMarket(address)", [
        ZERO_ADDRESS,
      ]);
      const tx = await fresh.setMarket(customer, { from: deployer });
      assert.equal(await fresh.market(), customer, "the market is set");
      assert.lengthOf(tx.logs.filter((log) => log.event === "MarketSet"), 1, "one MarketSet event");
      // The market, whatever it is, may now write: the guard is the market's address, not a role.
      await expectCustomError(
        fresh.register(seller, "0x" + "00".repeat(11), { from: customer }),
        "RegistryInvalidPasswordHash()",
      );
      await fresh.register(seller, "0x" + "ab".repeat(11), { from: customer });
      assert.isTrue(await fresh.isRegistered(seller), "the market registered an account");
      assert.equal(await fresh.passwordHash(seller), "0x" + "ab".repeat(11) + "00".repeat(21), "its hash, left-aligned");
      assert.equal(await fresh.accountAt(0), seller, "account number 0");
    });
  });

  describe("Carbon's constructor", () => {
    it("reverts when both registries are the same contract", async () => {
      const Carbon = artifacts.require("Carbon");
      const data =
        Carbon.bytecode +
        web3.eth.abi.encodeParameters(["address", "address"], [market.customers.address, market.customers.address]).slice(2);
      await expectCustomError(web3.eth.call({ from: deployer, data }), "CarbonRegistriesNotDistinct(address)", [
        market.customers.address,
      ]);
    });
  });
});
