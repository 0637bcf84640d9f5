// Lot IDs (CarbonId): 1 to 32 bytes of well-formed UTF-8 without control, invisible or combining
// characters, stored as bytes32 and returned as the same text; and the CLI's rule (cli/input/values.ts) held
// to the contract's by one table. Invalid bytes are sent as raw call data: web3 only encodes valid text.
import { carbonIdProblem, FORBIDDEN_ID_CHARACTERS, parseCarbonId } from "../../cli/input/values";
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
  revertData,
  selector,
  ZERO_ADDRESS,
  digestOf,
} from "./helpers";

const LENGTH = "CarbonIdInvalidLength(uint256)";
const ENCODING = "CarbonIdInvalidEncoding(uint256)";
const FORBIDDEN = "CarbonIdForbiddenCharacter(uint256,uint256)";

const bytesOf = (id: string): number => Buffer.byteLength(id, "utf8");

contract("Carbon", ([regulator, customer, seller]) => {
  let carbon: CarbonInstance;

  before(async () => {
    carbon = (await deployedMarket()).carbon;
    await carbon.newCustomer(customer, digestOf("pw-customer"), { from: customer });
    await carbon.sendCarbonToCustomer(customer, 1_000, { from: regulator });
    await carbon.newSeller(seller, digestOf("pw-seller"), { from: seller });
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

    // [what, the ID's bytes, the error, its arguments]
    const invalid: [string, string, string, (number | bigint)[]][] = [
      ["a NUL byte", "0x410042", FORBIDDEN, [1, 0]],
      ["a leading NUL byte", "0x0041", FORBIDDEN, [0, 0]],
      ["an escape sequence that rewrites the screen", "0x5a5a1b5b324b0d4345412d303033", FORBIDDEN, [2, 0x1b]],
      ["DEL", "0x417f", FORBIDDEN, [1, 0x7f]],
      ["a C1 control (U+0085)", "0x41c285", FORBIDDEN, [1, 0x85]],
      ["a zero-width space after CEA-002", "0x4345412d303032e2808b", FORBIDDEN, [7, 0x200b]],
      ["a right-to-left override", "0xe280ae41", FORBIDDEN, [0, 0x202e]],
      ["a combining acute accent (café decomposed)", "0x63616665cc81", FORBIDDEN, [4, 0x301]],
      ["a byte order mark", "0xefbbbf41", FORBIDDEN, [0, 0xfeff]],
      ["the replacement character U+FFFD", "0x41efbfbd", FORBIDDEN, [1, 0xfffd]],
      ["a tag character", "0x41f3a08081", FORBIDDEN, [1, 0xe0001]],
      ["a byte that never occurs in UTF-8", "0x41ff", ENCODING, [1]],
      ["a lone continuation byte", "0x80", ENCODING, [0]],
      ["an overlong two-byte form", "0xc0af", ENCODING, [0]],
      ["an overlong three-byte form", "0xe080af", ENCODING, [0]],
      ["an overlong four-byte form", "0xf08080af", ENCODING, [0]],
      ["a UTF-16 surrogate", "0xeda080", ENCODING, [0]],
      ["a code point above U+10FFFF", "0xf4908080", ENCODING, [0]],
      ["a lead byte above F4", "0xf5808080", ENCODING, [0]],
      ["a bad continuation byte", "0x41e7a241", ENCODING, [3]],
      ["a character cut short at the end", "0x41e7a2", ENCODING, [1]],
      ["a four-byte character cut short at the end", "0xf09f8c", ENCODING, [0]],
    ];
    for (const [what, raw, error, args] of invalid) {
      it(`reverts with ${error.slice(0, error.indexOf("("))}(${args.join(", ")}) when the ID holds ${what}`, async () => {
        const add = { from: seller, to: carbon.address, data: rawCallData(carbon, "addCarbon", [seller, raw, 7]) };
        await expectRawCustomError(add, error, args);
        const buy = { from: customer, to: carbon.address, data: rawCallData(carbon, "buyCarbon", [customer, raw]) };
        await expectRawCustomError(buy, error, args);
        const get = { from: customer, to: carbon.address, data: rawCallData(carbon, "getCarbon", [raw]) };
        await expectCustomError(web3.eth.call(get), error, args);
        assert.equal((await carbon.getCarbonCount()).toString(), "0", "no lot was published");
        assert.isString(carbonIdProblem(Buffer.from(raw.slice(2), "hex")), "the CLI refuses it too");
      });
    }

    it("holds the CLI (cli/input/values.ts) and the contract to one rule: a table of IDs both accept or both refuse", async () => {
      const utf8 = (codePoint: number): Buffer => Buffer.from(String.fromCodePoint(codePoint), "utf8");
      const rows: [string, Buffer][] = [
        ["ASCII", Buffer.from("CEA-002")],
        ["a space inside", Buffer.from("CEA 002")],
        ["a no-break space (kept: it shows as a space)", Buffer.from("CEA\u00a0002")],
        ["Chinese", Buffer.from("碳配额-2026")],
        ["café composed", Buffer.from("caf\u00e9")],
        ["café decomposed", Buffer.from("cafe\u0301")],
        ["q with a combining tilde (NFC, yet refused)", Buffer.from("q\u0303")],
        ["a flag emoji with ZWJ and VS16", Buffer.from("🏳️‍🌈")],
        ["a plain emoji", Buffer.from("🌱")],
        ["Hangul jamo, decomposed (not normalised on-chain)", Buffer.from("\u1100\u1161")],
        ["Cyrillic А (a homoglyph: not refused)", Buffer.from("\u0410")],
        ["invalid UTF-8", Buffer.from([0x41, 0xc3])],
      ];
      // Every forbidden range's edges, and the code points just outside them.
      for (const [first, last] of FORBIDDEN_ID_CHARACTERS) {
        for (const codePoint of [first - 1, first, last, last + 1]) {
          if (codePoint < 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) continue;
          rows.push([`U+${codePoint.toString(16).toUpperCase()}`, Buffer.concat([Buffer.from("A"), utf8(codePoint)])]);
        }
      }
      const disagreements: string[] = [];
      let accepted = 0;
      for (const [what, bytes] of rows) {
        const cli = carbonIdProblem(bytes) === undefined;
        let chain = true;
        try {
          await web3.eth.call({ to: carbon.address, data: rawCallData(carbon, "getCarbon", ["0x" + bytes.toString("hex")]) });
        } catch (error) {
          const data = revertData(error);
          assert.include(
            [selector(ENCODING), selector(FORBIDDEN), selector(LENGTH)],
            data?.slice(0, 10),
            `${what}: a CarbonId error, not ${(error as Error).message}`,
          );
          chain = false;
        }
        if (cli !== chain) disagreements.push(`${what} (${bytes.toString("hex")}): CLI ${cli}, chain ${chain}`);
        if (chain) accepted++;
      }
      assert.deepEqual(disagreements, [], "the CLI and the contract agree on every row");
      assert.isAbove(accepted, 20, "the table holds accepted IDs too");
      assert.isBelow(accepted, rows.length - 40, "and refused ones");
    });

    it("lets the CLI turn decomposed text into the ID the contract takes (NFC)", async () => {
      const decomposed = "cafe\u0301";
      assert.isString(carbonIdProblem(decomposed), "as typed, the rule refuses it");
      const id = parseCarbonId(decomposed);
      assert.equal(id, "caf\u00e9", "parseCarbonId normalises it to NFC");
      await carbon.addCarbon(seller, id, 7, { from: seller });
      assert.equal((await carbon.getCarbon("caf\u00e9")).seller, seller, "the composed lot exists");
    });

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
