// Display names (the account opening): chosen at registration (newNamedCustomer, newNamedSeller) or
// later by the account itself (setName), one per account whether customer, seller or both, unique
// whatever the letter case, and read back by account (nameOf, namesOf) and by name (accountNamed).
import {
  deployedMarket,
  digestOf,
  executionGas,
  expectActivity,
  expectCustomError,
  expectOutcome,
  expectRawCustomError,
  expectStateUnchanged,
  isolate,
  type Market,
  marketState,
  Operation,
  rawCallData,
  ZERO_ADDRESS,
} from "./helpers";

const TAKEN = "This name is taken";
const LENGTH = "AccountNameInvalidLength(uint256)";
const ENCODING = "AccountNameInvalidEncoding(uint256)";
const FORBIDDEN = "AccountNameForbiddenCharacter(uint256,uint256)";
const LOOKS_LIKE_ACCOUNT = "AccountNameLooksLikeAccount(string)";

/** Names the contract refuses, with the error and its arguments. */
const MALFORMED: [string, string, string, (string | number)[]][] = [
  ["an empty name", "", LENGTH, [0]],
  ["a name of 33 bytes", "a".repeat(33), LENGTH, [33]],
  ["a control character", "Ana\nBea", FORBIDDEN, [3, 0x0a]],
  ["an invisible character", "An\u200ba", FORBIDDEN, [2, 0x200b]],
  ["a leading space", " Ana", FORBIDDEN, [0, 0x20]],
  ["a trailing space", "Ana ", FORBIDDEN, [3, 0x20]],
  ["only digits (an index)", "42", LOOKS_LIKE_ACCOUNT, ["42"]],
  ["a 0x start (an address)", "0xAna", LOOKS_LIKE_ACCOUNT, ["0xAna"]],
];

contract("Carbon", ([regulator, ana, bea, stranger, carl]) => {
  let market: Market;
  let carbon: CarbonInstance;

  before(async () => {
    market = await deployedMarket();
    carbon = market.carbon;
  });

  const expectNameChanged = (tx: TruffleTransaction, account: string, name: string): void => {
    const logs = tx.logs.filter((log) => log.event === "NameChanged");
    assert.lengthOf(logs, 1, "one NameChanged event");
    assert.equal(logs[0].args.account, account, "NameChanged.account");
    assert.equal(logs[0].args.name, name, "NameChanged.name");
  };
  const expectNoNameChanged = (tx: TruffleTransaction): void => {
    assert.isFalse(tx.logs.some((log) => log.event === "NameChanged"), "no NameChanged event");
  };

  describe("newNamedCustomer", () => {
    isolate();

    it('emits NewCustomer "Registration succeeded" and NameChanged when an account registers with a free name', async () => {
      const tx = await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "Ana", { from: ana });

      expectOutcome(tx, "NewCustomer", { sender: ana, isSuccess: true, message: "Registration succeeded" });
      expectActivity(tx, { account: ana, counterparty: ZERO_ADDRESS, operation: Operation.NewCustomer, isSuccess: true });
      expectNameChanged(tx, ana, "Ana");
      assert.isTrue((await carbon.getCustomerPassword(ana))[0], "the account is a customer");
      assert.equal(await carbon.nameOf(ana), "Ana", "the name is kept as typed");
      assert.equal(await carbon.accountNamed("Ana"), ana, "the name finds the account");
      assert.equal(await carbon.accountNamed("aNA"), ana, "in any letter case");
    });

    it(`emits NewCustomer "${TAKEN}" and registers nothing when another account holds the name in another case`, async () => {
      await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "Ana", { from: ana });
      const before = await marketState(market, [ana, bea]);

      const tx = await carbon.newNamedCustomer(bea, digestOf("pw-bea"), "ANA", { from: bea });

      expectOutcome(tx, "NewCustomer", { sender: bea, isSuccess: false, message: TAKEN });
      expectActivity(tx, { account: bea, counterparty: ZERO_ADDRESS, operation: Operation.NewCustomer, isSuccess: false });
      expectNoNameChanged(tx);
      await expectStateUnchanged(market, before, "a registration under a taken name");
      assert.equal(await carbon.nameOf(bea), "", "the refused account has no name");
    });

    it('emits "This account is already registered" and keeps the old name when a customer registers again', async () => {
      await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "Ana", { from: ana });

      const tx = await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "Anita", { from: ana });

      expectOutcome(tx, "NewCustomer", { sender: ana, isSuccess: false, message: "This account is already registered" });
      expectNoNameChanged(tx);
      assert.equal(await carbon.nameOf(ana), "Ana", "the name is unchanged");
      assert.equal(await carbon.accountNamed("Anita"), ZERO_ADDRESS, "the other name stays free");
    });

    it('emits "This account is frozen and cannot register" and names nobody when the account is frozen', async () => {
      await carbon.freezeAccount(ana, { from: regulator });

      const tx = await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "Ana", { from: ana });

      expectOutcome(tx, "NewCustomer", { sender: ana, isSuccess: false, message: "This account is frozen and cannot register" });
      expectNoNameChanged(tx);
      assert.equal(await carbon.accountNamed("Ana"), ZERO_ADDRESS, "the name stays free");
    });

    it("reverts with CarbonUnauthorizedAccount when the sender registers another account", async () => {
      await expectCustomError(carbon.newNamedCustomer(ana, digestOf("pw"), "Ana", { from: stranger }), "CarbonUnauthorizedAccount(address,address)", [stranger, ana]);
    });

    for (const [what, name, error, args] of MALFORMED) {
      it(`reverts with ${error.split("(")[0]} for ${what}`, async () => {
        await expectCustomError(carbon.newNamedCustomer(ana, digestOf("pw-ana"), name, { from: ana }), error, args);
      });
    }

    it("reverts with AccountNameInvalidEncoding for bytes that are not UTF-8", async () => {
      const data = rawCallData(carbon, "newNamedCustomer", [ana, digestOf("pw-ana"), "0x41c3"]);
      await expectRawCustomError({ from: ana, to: carbon.address, data }, ENCODING, [1]);
    });

    it("accepts names that only start with digits, and letters beyond ASCII", async () => {
      const tx = await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "3M Ängel", { from: ana });

      expectOutcome(tx, "NewCustomer", { sender: ana, isSuccess: true, message: "Registration succeeded" });
      assert.equal(await carbon.accountNamed("3m Ängel"), ana, "ASCII letters match in any case");
      assert.equal(await carbon.accountNamed("3M äNGEL"), ZERO_ADDRESS, "letters beyond ASCII are not folded");
    });

    it("costs the same gas for a later account as for an earlier one", async () => {
      // The market's first registration also makes the account list non-empty (a fresh slot): compare after it.
      await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "Student01", { from: ana });
      const earlier = await carbon.newNamedCustomer(bea, digestOf("pw-bea"), "Student02", { from: bea });
      const later = await carbon.newNamedCustomer(carl, digestOf("pw-carl"), "Student03", { from: carl });

      assert.equal(await executionGas(later.tx), await executionGas(earlier.tx), "the third named registration costs what the second did");
    });
  });

  describe("newNamedSeller", () => {
    isolate();

    it('emits NewSeller "Successfully registered" and NameChanged when an account registers with a free name', async () => {
      const tx = await carbon.newNamedSeller(bea, digestOf("pw-bea"), "Bea", { from: bea });

      expectOutcome(tx, "NewSeller", { sender: bea, isSuccess: true, message: "Successfully registered" });
      expectActivity(tx, { account: bea, counterparty: ZERO_ADDRESS, operation: Operation.NewSeller, isSuccess: true });
      expectNameChanged(tx, bea, "Bea");
      assert.isTrue((await carbon.getSellerPassword(bea))[0], "the account is a seller");
      assert.equal(await carbon.accountNamed("bea"), bea, "the name finds the account");
    });

    it("keeps one name for an account that is a customer too, under the same name", async () => {
      await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "Ana", { from: ana });

      const tx = await carbon.newNamedSeller(ana, digestOf("pw-ana"), "Ana", { from: ana });

      expectOutcome(tx, "NewSeller", { sender: ana, isSuccess: true, message: "Successfully registered" });
      assert.equal(await carbon.nameOf(ana), "Ana", "the one name stays");
      assert.equal(await carbon.accountNamed("ana"), ana, "and finds the account");
    });

    it("renames an account that is a customer under another name, and frees the old one", async () => {
      await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "Ana", { from: ana });

      const tx = await carbon.newNamedSeller(ana, digestOf("pw-ana"), "Ana Trading", { from: ana });

      expectNameChanged(tx, ana, "Ana Trading");
      assert.equal(await carbon.nameOf(ana), "Ana Trading", "the new name is the account's");
      assert.equal(await carbon.accountNamed("Ana"), ZERO_ADDRESS, "the old name is free");
    });

    it(`emits NewSeller "${TAKEN}" when another account holds the name`, async () => {
      await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "Ana", { from: ana });

      const tx = await carbon.newNamedSeller(bea, digestOf("pw-bea"), "ana", { from: bea });

      expectOutcome(tx, "NewSeller", { sender: bea, isSuccess: false, message: TAKEN });
      assert.isFalse((await carbon.getSellerPassword(bea))[0], "the account is not registered");
    });
  });

  describe("newCustomer and newSeller without a name", () => {
    isolate();

    it("leave an account without a name, and keep the name of one that has one", async () => {
      await carbon.newCustomer(bea, digestOf("pw-bea"), { from: bea });
      await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "Ana", { from: ana });

      const tx = await carbon.newSeller(ana, digestOf("pw-ana"), { from: ana });

      expectOutcome(tx, "NewSeller", { sender: ana, isSuccess: true, message: "Successfully registered" });
      expectNoNameChanged(tx);
      assert.equal(await carbon.nameOf(bea), "", "an account registered without a name has none");
      assert.equal(await carbon.nameOf(ana), "Ana", "the customer's name is the seller's");
    });
  });

  describe("setName", () => {
    isolate();

    before(async () => {
      await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "Ana", { from: ana });
      await carbon.newSeller(bea, digestOf("pw-bea"), { from: bea });
    });

    it('emits SetName "Name changed" and NameChanged, and frees the old name for others', async () => {
      const tx = await carbon.setName("Anabel", { from: ana });

      expectOutcome(tx, "SetName", { sender: ana, isSuccess: true, message: "Name changed" });
      expectNameChanged(tx, ana, "Anabel");
      // The history's record carries the new name.
      expectActivity(tx, { account: ana, counterparty: ZERO_ADDRESS, operation: Operation.SetName, carbonId: "Anabel", isSuccess: true });
      assert.equal(await carbon.nameOf(ana), "Anabel", "the new name is the account's");
      assert.equal(await carbon.accountNamed("Ana"), ZERO_ADDRESS, "the old name finds nobody");
      const taken = await carbon.setName("Ana", { from: bea });
      expectOutcome(taken, "SetName", { sender: bea, isSuccess: true, message: "Name changed" });
      assert.equal(await carbon.accountNamed("ana"), bea, "another account can take the old name");
    });

    it("lets an account change only the letter case of its own name", async () => {
      const tx = await carbon.setName("ANA", { from: ana });

      expectOutcome(tx, "SetName", { sender: ana, isSuccess: true, message: "Name changed" });
      assert.equal(await carbon.nameOf(ana), "ANA", "the name is shown as now typed");
      assert.equal(await carbon.accountNamed("Ana"), ana, "and still finds the account");
    });

    it("names a seller registered without a name", async () => {
      const tx = await carbon.setName("Bea", { from: bea });

      expectOutcome(tx, "SetName", { sender: bea, isSuccess: true, message: "Name changed" });
      assert.equal(await carbon.nameOf(bea), "Bea", "the seller has a name now");
    });

    it(`emits SetName "${TAKEN}" and changes nothing when another account holds the name`, async () => {
      const before = await marketState(market, [ana, bea]);

      const tx = await carbon.setName("aNa", { from: bea });

      expectOutcome(tx, "SetName", { sender: bea, isSuccess: false, message: TAKEN });
      expectNoNameChanged(tx);
      expectActivity(tx, { account: bea, counterparty: ZERO_ADDRESS, operation: Operation.SetName, isSuccess: false });
      await expectStateUnchanged(market, before, "a rename to a taken name");
    });

    it('emits SetName "This account is frozen" and keeps the name when the account is frozen', async () => {
      await carbon.freezeAccount(ana, { from: regulator });

      const tx = await carbon.setName("Someone Else", { from: ana });

      expectOutcome(tx, "SetName", { sender: ana, isSuccess: false, message: "This account is frozen" });
      assert.equal(await carbon.nameOf(ana), "Ana", "the name is unchanged");
    });

    it("reverts with CarbonNotRegistered when the sender is neither customer nor seller", async () => {
      await expectCustomError(carbon.setName("Stranger", { from: stranger }), "CarbonNotRegistered(address)", [stranger]);
    });

    for (const [what, name, error, args] of MALFORMED) {
      it(`reverts with ${error.split("(")[0]} for ${what}`, async () => {
        await expectCustomError(carbon.setName(name, { from: ana }), error, args);
      });
    }
  });

  describe("nameOf, namesOf and accountNamed", () => {
    isolate();

    before(async () => {
      await carbon.newNamedCustomer(ana, digestOf("pw-ana"), "Ana", { from: ana });
      await carbon.newNamedSeller(carl, digestOf("pw-carl"), "Carl", { from: carl });
    });

    it("answer a page of accounts in one call, in order, with an empty name for one without", async () => {
      assert.deepEqual(await carbon.namesOf([carl, stranger, ana]), ["Carl", "", "Ana"], "the names in the accounts' order");
      assert.deepEqual(await carbon.namesOf([]), [], "no accounts, no names");
    });

    it("answer nobody, without reverting, for text that could not be a name", async () => {
      for (const text of ["", "a".repeat(33), "Ana\u0000", "An\u200ba"]) {
        assert.equal(await carbon.accountNamed(text), ZERO_ADDRESS, `${JSON.stringify(text)} names nobody`);
      }
      assert.equal(await carbon.nameOf(stranger), "", "an unregistered account has no name");
    });
  });
});
