// Registration (newCustomer, newSeller) and the login lookup (getCustomerPassword, getSellerPassword).
// The two registrations differ only in names and messages, so one table drives both.
import { passwordDigest } from "../../cli/chain/password";
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
  ZERO_BYTES32,
} from "./helpers";

interface Registration {
  method: "newCustomer" | "newSeller";
  event: string;
  succeeded: string;
  operation: Operation;
  password: "getCustomerPassword" | "getSellerPassword";
  count: "getCustomerCount" | "getSellerCount";
  list: "getCustomers" | "getSellers";
  other: "getCustomerPassword" | "getSellerPassword";
}

const REGISTRATIONS: Registration[] = [
  {
    method: "newCustomer",
    event: "NewCustomer",
    succeeded: "Registration succeeded",
    operation: Operation.NewCustomer,
    password: "getCustomerPassword",
    count: "getCustomerCount",
    list: "getCustomers",
    other: "getSellerPassword",
  },
  {
    method: "newSeller",
    event: "NewSeller",
    succeeded: "Successfully registered",
    operation: Operation.NewSeller,
    password: "getSellerPassword",
    count: "getSellerCount",
    list: "getSellers",
    other: "getCustomerPassword",
  },
];

const ALREADY_REGISTERED = "This account is already registered";

contract("Carbon", ([regulator, account, other, stranger]) => {
  let market: Market;
  let carbon: CarbonInstance;

  before(async () => {
    market = await deployedMarket();
    carbon = market.carbon;
  });

  for (const r of REGISTRATIONS) {
    const register = (who: string, password: string, from: string): Send => carbon[r.method](who, password, { from });

    describe(r.method, () => {
      isolate();

      it(`emits ${r.event} "${r.succeeded}" when an account registers itself`, async () => {
        const tx = await register(account, "pw-account", account);

        expectOutcome(tx, r.event, { sender: account, isSuccess: true, message: r.succeeded });
        expectActivity(tx, { account, counterparty: ZERO_ADDRESS, operation: r.operation, isSuccess: true });
        assert.isTrue((await carbon[r.password](account))[0], "the account is registered");
        assert.equal((await carbon[r.count]()).toString(), "1", "one account is registered");
        assert.deepEqual(await carbon[r.list](0, 10), [account], "the list holds the account");
        assert.isFalse((await carbon[r.other](account))[0], "the account is not registered in the other role");
      });

      it(`emits ${r.event} "${r.succeeded}" when the regulator registers an account`, async () => {
        const tx = await register(account, "pw-account", regulator);

        expectOutcome(tx, r.event, { sender: regulator, isSuccess: true, message: r.succeeded });
        expectActivity(tx, { account, counterparty: regulator, operation: r.operation, isSuccess: true });
        assert.isTrue((await carbon[r.password](account))[0], "the account is registered");
        assert.deepEqual(await carbon[r.list](0, 10), [account], "the list holds the account, not the regulator");
      });

      it("lists accounts in registration order", async () => {
        await register(other, "pw-other", other);
        await register(account, "pw-account", regulator);

        assert.equal((await carbon[r.count]()).toString(), "2", "two accounts are registered");
        assert.deepEqual(await carbon[r.list](0, 10), [other, account], "registration order");
      });

      for (const [who, by] of [
        ["the account", () => account],
        ["the regulator", () => regulator],
      ] as const) {
        it(`emits ${r.event} "${ALREADY_REGISTERED}" when ${who} registers a registered account`, async () => {
          await register(account, "pw-first", account);
          const before = await marketState(market, [account, regulator]);

          const tx = await register(account, "pw-second", by());

          expectOutcome(tx, r.event, { sender: by(), isSuccess: false, message: ALREADY_REGISTERED });
          expectActivity(tx, {
            account,
            counterparty: by() === account ? ZERO_ADDRESS : regulator,
            operation: r.operation,
            isSuccess: false,
          });
          await expectStateUnchanged(market, before, "registering twice");
          assert.equal(
            (await carbon[r.password](account))[1],
            await carbon.passwordHashOf(account, "pw-first"),
            "the first password still holds",
          );
        });
      }

      it("reverts when someone else registers an account", async () => {
        await expectCustomError(register(account, "pw", stranger), "CarbonUnauthorizedAccount(address,address)", [
          stranger,
          account,
        ]);
        assert.isFalse((await carbon[r.password](account))[0], "the account is not registered");
      });

      it("reverts when the account is the zero address", async () => {
        await expectCustomError(register(ZERO_ADDRESS, "pw", regulator), "CarbonInvalidAccount(address)", [
          ZERO_ADDRESS,
        ]);
      });

      it("reverts when the password is empty", async () => {
        await expectCustomError(register(account, "", account), "CarbonEmptyPassword()");
        await expectCustomError(register(account, "", regulator), "CarbonEmptyPassword()");
        assert.equal((await carbon[r.count]()).toString(), "0", "no account is registered");
      });
    });

    describe(r.password, () => {
      isolate();

      it("returns true and the salted hash of the password, never the password", async () => {
        const digest = passwordDigest(account, "correct horse");
        await register(account, digest, account);

        const { 0: registered, 1: stored } = await carbon[r.password](account);

        assert.isTrue(registered, "registered");
        assert.equal(stored, await carbon.passwordHashOf(account, digest), "the stored value is passwordHashOf");
        const expected = web3.utils.keccak256(
          web3.eth.abi.encodeParameters(["address", "address", "string"], [carbon.address, account, digest]),
        );
        assert.equal(stored, expected, "keccak256(abi.encode(market, account, password))");
        assert.notEqual(stored, digest, "not the digest itself");
        assert.notInclude(stored.toLowerCase(), web3.utils.utf8ToHex(digest).slice(2, 34), "no bytes of the digest");
      });

      it("salts the hash with the account: one password, two accounts, two hashes", async () => {
        await register(account, "same password", account);
        await register(other, "same password", other);

        assert.notEqual(
          (await carbon[r.password](account))[1],
          (await carbon[r.password](other))[1],
          "the hashes differ",
        );
      });

      it("returns false and zero for an unregistered account", async () => {
        const { 0: registered, 1: stored } = await carbon[r.password](stranger);

        assert.isFalse(registered, "not registered");
        assert.equal(stored, ZERO_BYTES32, "no hash");
      });
    });
  }
});
