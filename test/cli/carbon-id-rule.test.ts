// The lot-ID rule of the CLI (cli/input/values.ts) on its own: NFC normalisation, and the refusals the
// contract makes (test/contracts/carbon-id.test.ts holds the two rules to one table on a chain).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../cli/support/errors";
import { carbonIdProblem, parseCarbonId, parsePrice } from "../../cli/input/values";

describe("parseCarbonId", () => {
  it("normalises to NFC, so the decomposed and composed café are one lot", () => {
    assert.equal(parseCarbonId("cafe\u0301"), "caf\u00e9");
    assert.equal(parseCarbonId("caf\u00e9"), "caf\u00e9");
    assert.equal(parseCarbonId("\u1100\u1161"), "\uac00", "Hangul jamo compose too");
  });

  it("keeps what shows as itself", () => {
    for (const id of ["CEA-002", "碳配额-2026", "🌱", "A".repeat(32), "CEA 002", "\u0410"]) assert.equal(parseCarbonId(id), id);
  });

  for (const [what, id, codePoint] of [
    ["an escape", "ZZ\x1b[2K\rCEA-003", "U+001B"],
    ["DEL", "A\x7f", "U+007F"],
    ["a C1 control", "A\u0085", "U+0085"],
    ["a soft hyphen", "CE\u00adA", "U+00AD"],
    ["a zero-width joiner", "A\u200dB", "U+200D"],
    ["a left-to-right isolate", "\u2066A", "U+2066"],
    ["a byte order mark", "\ufeffA", "U+FEFF"],
    ["a variation selector", "A\ufe0f", "U+FE0F"],
    ["the Hangul filler", "\u3164", "U+3164"],
    ["a tag", "A\u{e0041}", "U+E0041"],
    ["a combining mark that does not compose (q̃)", "q\u0303", "U+0303"],
    ["the replacement character", "A\ufffd", "U+FFFD"],
  ] as const) {
    it(`refuses ${what}, naming ${codePoint}`, () => {
      assert.throws(() => parseCarbonId(id), (error: unknown) => error instanceof UsageError && error.message.includes(codePoint));
    });
  }

  it("refuses a lone surrogate, and raw bytes that are not UTF-8, as not UTF-8", () => {
    assert.throws(() => parseCarbonId("A\ud800"), /not valid UTF-8/);
    assert.match(carbonIdProblem(Buffer.from([0x41, 0xff]))!, /not valid UTF-8/);
    assert.match(carbonIdProblem(Buffer.from([0xc0, 0xaf]))!, /not valid UTF-8/, "an overlong form");
    assert.equal(carbonIdProblem(Buffer.from("碳", "utf8")), undefined);
  });

  it("counts bytes after normalising: 32 bytes pass, 33 do not", () => {
    assert.equal(parseCarbonId("\u00e9".repeat(16)), "\u00e9".repeat(16));
    assert.throws(() => parseCarbonId("e\u0301".repeat(16) + "A"), /is 33 bytes/);
    assert.throws(() => parseCarbonId(""), /is empty/);
  });
});

describe("parsePrice", () => {
  it("takes 1 to 2^64-1, what a lot's packed slot holds", () => {
    assert.equal(parsePrice("1"), 1n);
    assert.equal(parsePrice((2n ** 64n - 1n).toString()), 2n ** 64n - 1n);
    assert.throws(() => parsePrice((2n ** 64n).toString()), /above the highest price a lot can carry/);
    assert.throws(() => parsePrice("0"), /outside 1 to 2\^256-1/);
  });
});
