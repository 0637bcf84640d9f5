// Registration (newCustomer, newSeller), by the account itself only, and the login lookup
// (getCustomerPassword, getSellerPassword).
// The two registrations differ only in names and messages, so one table drives both.
import { passwordDigest } from "../../cli/chain/password";
import {
  deployedMarket,
  digestOf,
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
const FROZEN_REGISTRANT = "This account is frozen and cannot register";

contract("Carbon", ([regulator, account, other, stranger]) => {
  let market: Market;
  let carbon: CarbonInstance;

  before(async () => {
    market = await deployedMarket();
    carbon = market.carbon;
  });

  for (const r of REGISTRATIONS) {
    const register = (who: string, password: string, from: string): Send => carbon[r.method](who, digestOf(password), { from });

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

      it("lists accounts in registration order", async () => {
        await register(other, "pw-other", other);
        await register(account, "pw-account", account);

        assert.equal((await carbon[r.count]()).toString(), "2", "two accounts are registered");
        assert.deepEqual(await carbon[r.list](0, 10), [other, account], "registration order");
      });

      it(`emits ${r.event} "${ALREADY_REGISTERED}" when a registered account registers again`, async () => {
        await register(account, "pw-first", account);
        const before = await marketState(market, [account, regulator]);

        const tx = await register(account, "pw-second", account);

        expectOutcome(tx, r.event, { sender: account, isSuccess: false, message: ALREADY_REGISTERED });
        expectActivity(tx, { account, counterparty: ZERO_ADDRESS, operation: r.operation, isSuccess: false });
        await expectStateUnchanged(market, before, "registering twice");
        assert.equal(
          (await carbon[r.password](account))[1],
          await carbon.passwordHashOf(account, digestOf("pw-first")),
          "the first password still holds",
        );
      });

      it(`emits ${r.event} "${FROZEN_REGISTRANT}" when a frozen account registers, and changes nothing`, async () => {
        await carbon.freezeAccount(account, { from: regulator });
        const before = await marketState(market, [account, regulator]);

        const tx = await register(account, "pw-account", account);

        expectOutcome(tx, r.event, { sender: account, isSuccess: false, message: FROZEN_REGISTRANT });
        expectActivity(tx, { account, counterparty: ZERO_ADDRESS, operation: r.operation, isSuccess: false });
        await expectStateUnchanged(market, before, "a frozen account's registration");
        assert.isFalse((await carbon[r.password](account))[0], "the account is not registered");
      });

      it("registers an account once its freeze is lifted", async () => {
        await carbon.freezeAccount(account, { from: regulator });
        await carbon.unfreezeAccount(account, { from: regulator });

        const tx = await register(account, "pw-account", account);

        expectOutcome(tx, r.event, { sender: account, isSuccess: true, message: r.succeeded });
      });

      for (const [who, by] of [
        ["the regulator", () => regulator],
        ["a stranger", () => stranger],
      ] as const) {
        it(`reverts when ${who} registers someone else (nobody else may know an account's password)`, async () => {
          const before = await marketState(market, [account, by()]);
          await expectCustomError(register(account, "pw", by()), "CarbonUnauthorizedAccount(address,address)", [
            by(),
            account,
          ]);
          await expectStateUnchanged(market, before, "someone else's registration");
        });
      }

      it("reverts when the password digest is zero", async () => {
        await expectCustomError(carbon[r.method](account, ZERO_BYTES32, { from: account }), "CarbonEmptyPassword()");
        assert.equal((await carbon[r.count]()).toString(), "0", "no account is registered");
      });
    });

    describe(r.password, () => {
      isolate();

      it("returns true and the salted hash of the client's digest, never the digest or the password", async () => {
        const digest = passwordDigest(account, "correct horse");
        await carbon[r.method](account, digest, { from: account });

        const { 0: registered, 1: stored } = await carbon[r.password](account);

        assert.isTrue(registered, "registered");
        assert.equal(stored, await carbon.passwordHashOf(account, digest), "the stored value is passwordHashOf");
        const hash = web3.utils.keccak256(
          web3.eth.abi.encodeParameters(["address", "address", "bytes32"], [carbon.address, account, digest]),
        );
        assert.equal(stored, hash.slice(0, 24) + "0".repeat(42), "the first 11 bytes of keccak256(abi.encode(market, account, digest))");
        assert.notInclude(stored.toLowerCase(), digest.slice(2, 26), "no bytes of the digest");
        assert.notEqual(
          await carbon.passwordHashOf(account, passwordDigest(account, "correct horse!")),
          stored,
          "another password gives another hash",
        );
      });

      it("salts the hash with the account: one digest, two accounts, two hashes", async () => {
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
