// Lot IDs (CarbonId): 1 to 32 bytes of well-formed UTF-8 without NUL, stored as bytes32 and returned
// as the same text. Invalid bytes are sent as raw call data: web3 only encodes valid text.
import {
  deployedMarket,
  expectActivity,
  expectCustomError,
  expectOutcome,
  expectRawCustomError,
  isolate,
  lotView,
  Operation,
  rawCallData,
  ZERO_ADDRESS,
} from "./helpers";

const LENGTH = "CarbonIdInvalidLength(uint256)";
const ENCODING = "CarbonIdInvalidEncoding(uint256)";

const bytesOf = (id: string): number => Buffer.byteLength(id, "utf8");

contract("Carbon", ([regulator, customer, seller]) => {
  let carbon: CarbonInstance;

  before(async () => {
    carbon = (await deployedMarket()).carbon;
    await carbon.newCustomer(customer, "pw-customer", { from: customer });
    await carbon.sendCarbonToCustomer(customer, 1_000, { from: regulator });
    await carbon.newSeller(seller, "pw-seller", { from: seller });
  });

  describe("lot IDs", () => {
    isolate();

    const valid: [string, string][] = [
      ["one byte", "A"],
      ["32 ASCII bytes", "A".repeat(32)],
      ["a Chinese ID", "碳配额-2026"],
      ["32 bytes of mixed widths", "碳".repeat(10) + "ab"],
      ["four-byte characters", "🌍🌱"],
      ["the last code point before the surrogates and the last code point", "\uD7FF\u{10FFFF}"],
    ];
    for (const [what, id] of valid) {
      it(`round-trips ${what} (${bytesOf(id)} bytes) through addCarbon, buyCarbon and every lot view`, async () => {
        const added = await carbon.addCarbon(seller, id, 7, { from: seller });
        expectOutcome(added, "AddCarbon", { sender: seller, isSuccess: true, message: "Successfully created quota" });
        expectActivity(added, {
          account: seller,
          counterparty: ZERO_ADDRESS,
          operation: Operation.AddCarbon,
          carbonId: id,
          amount: 7,
          isSuccess: true,
        });
        const bought = await carbon.buyCarbon(customer, id, { from: customer });
        expectOutcome(bought, "BuyCarbon", { sender: customer, isSuccess: true, message: "Buy successfully" });

        const lot = { carbonId: id, price: "7", seller, buyer: customer };
        assert.deepEqual(lotView(await carbon.getCarbon(id)), lot, "getCarbon");
        assert.deepEqual((await carbon.getCarbons(0, 10)).map(lotView), [lot], "getCarbons");
        assert.deepEqual((await carbon.getSellerCarbons(seller, 0, 10)).map(lotView), [lot], "getSellerCarbons");
        assert.deepEqual((await carbon.getCustomerCarbons(customer, 0, 10)).map(lotView), [lot], "getCustomerCarbons");
      });
    }

    it("tells IDs apart that share a prefix", async () => {
      await carbon.addCarbon(seller, "LOT", 1, { from: seller });
      const tx = await carbon.addCarbon(seller, "LOT-1", 2, { from: seller });

      expectOutcome(tx, "AddCarbon", { sender: seller, isSuccess: true, message: "Successfully created quota" });
      assert.equal((await carbon.getCarbon("LOT")).price, "1", "LOT keeps its price");
      assert.equal((await carbon.getCarbon("LOT-1")).price, "2", "LOT-1 has its own");
    });

    it("returns an empty lot for a well-formed ID nobody published", async () => {
      assert.deepEqual(
        lotView(await carbon.getCarbon("碳配额-2026")),
        { carbonId: "", price: "0", seller: ZERO_ADDRESS, buyer: ZERO_ADDRESS },
        "no such lot",
      );
    });

    for (const [what, id] of [
      ["empty", ""],
      ["33 ASCII bytes", "A".repeat(33)],
      ["33 bytes of Chinese characters", "碳".repeat(11)],
    ] as const) {
      it(`reverts with CarbonIdInvalidLength when the ID is ${what}`, async () => {
        const length = bytesOf(id);
        await expectCustomError(carbon.addCarbon(seller, id, 7, { from: seller }), LENGTH, [length]);
        await expectCustomError(carbon.buyCarbon(customer, id, { from: customer }), LENGTH, [length]);
        await expectCustomError(carbon.getCarbon(id), LENGTH, [length]);
        assert.equal((await carbon.getCarbonCount()).toString(), "0", "no lot was published");
      });
    }

    // [what, the ID's bytes, the position CarbonIdInvalidEncoding reports]
    const invalid: [string, string, number][] = [
      ["a NUL byte", "0x410042", 1],
      ["a leading NUL byte", "0x0041", 0],
      ["a byte that never occurs in UTF-8", "0x41ff", 1],
      ["a lone continuation byte", "0x80", 0],
      ["an overlong two-byte form", "0xc0af", 0],
      ["an overlong three-byte form", "0xe080af", 1],
      ["an overlong four-byte form", "0xf08080af", 1],
      ["a UTF-16 surrogate", "0xeda080", 1],
      ["a code point above U+10FFFF", "0xf4908080", 1],
      ["a lead byte above F4", "0xf5808080", 0],
      ["a bad continuation byte", "0x41e7a241", 3],
      ["a character cut short at the end", "0x41e7a2", 1],
      ["a four-byte character cut short at the end", "0xf09f8c", 0],
    ];
    for (const [what, raw, position] of invalid) {
      it(`reverts with CarbonIdInvalidEncoding(${position}) when the ID holds ${what}`, async () => {
        const add = { from: seller, to: carbon.address, data: rawCallData(carbon, "addCarbon", [seller, raw, 7]) };
        await expectRawCustomError(add, ENCODING, [position]);
        const buy = { from: customer, to: carbon.address, data: rawCallData(carbon, "buyCarbon", [customer, raw]) };
        await expectRawCustomError(buy, ENCODING, [position]);
        const get = { from: customer, to: carbon.address, data: rawCallData(carbon, "getCarbon", [raw]) };
        await expectCustomError(web3.eth.call(get), ENCODING, [position]);
        assert.equal((await carbon.getCarbonCount()).toString(), "0", "no lot was published");
      });
    }

    it("accepts through raw call data what it accepts as text (the raw path is sound)", async () => {
      const raw = "0x" + Buffer.from("碳配额-2026", "utf8").toString("hex");
      await web3.eth.sendTransaction({
        from: seller,
        to: carbon.address,
        data: rawCallData(carbon, "addCarbon", [seller, raw, 7]),
        gas: 1_000_000,
      });
      assert.equal((await carbon.getCarbon("碳配额-2026")).seller, seller, "the lot was published");
    });
  });
});
