// What reaches the terminal from the chain: lot IDs in Chinese (two columns a character) are shown
// whole with the columns after them aligned by display width, and no ID or message can put a raw
// control, bidirectional or zero-width character on the screen: they are shown as escapes.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import stringWidth from "string-width";
import type { Lot } from "../../cli/chain/market-lists";
import { setColourMode } from "../../cli/render/colours";
import { displayId, printable } from "../../cli/render/sanitize";
import * as text from "../../cli/render/text";
import { carbon, startMarket, type CliChain } from "./support/cli";
import { Terminal } from "./support/terminal";

setColourMode("never");

const SELLER = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

describe("escaping what the chain supplies", () => {
  it("shows control, bidirectional and zero-width characters as escapes", () => {
    assert.equal(displayId("ZZ\u001b[2K\rCEA-003  "), "ZZ\\x1B[2K\\x0DCEA-003  ");
    assert.equal(displayId("CEA-002\u200b"), "CEA-002\\u{200B}");
    assert.equal(displayId("abc\u202edcba"), "abc\\u{202E}dcba");
    assert.equal(displayId("\u2066x\u2069\ufeff\u0085\u007f"), "\\u{2066}x\\u{2069}\\u{FEFF}\\x85\\x7F");
    assert.equal(displayId("a\\x1Bb"), "a\\\\x1Bb", "a real backslash is doubled, so it cannot pass for an escape");
    assert.equal(printable("line\nbreak\u2028"), "line\\x0Abreak\\u{2028}");
    assert.equal(displayId("碳-001 café"), "碳-001 café", "ordinary text is untouched");
  });

  it("never passes a raw control byte in a lot table, a lot, a record or an outcome", () => {
    const lot: Lot = { carbonId: "ZZ\u001b[2K\rCEA-003", price: 5n, seller: SELLER };
    const outputs = [
      text.lots([lot]),
      text.lot(lot),
      text.outcome({ ok: false, message: "bad\u001b]0;title\u0007", event: "AddCarbon", txHash: "0x" + "1".repeat(64), block: 1, gasUsed: 1 }),
      text.records({
        account: SELLER,
        records: [{ time: 0, block: 1, txHash: "0x" + "1".repeat(64), operation: "AddCarbon", account: SELLER, carbonId: lot.carbonId, amount: 5n, ok: true, message: "ok\u202e" }],
      }),
    ];
    for (const output of outputs) {
      assert.doesNotMatch(output, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/, JSON.stringify(output));
    }
    assert.match(outputs[0], /ZZ\\x1B\[2K\\x0DCEA-003/);
  });
});

describe("wide characters in tables", () => {
  let cli: CliChain;
  before(async () => {
    cli = await startMarket();
    const seller = cli.accounts[2];
    await cli.market.newSeller(seller, "pw-seller");
    for (const [id, price] of [["LOT-A", 30n], ["碳排放配额-001", 50n], ["碳-B", 7n]] as const) await cli.market.addCarbon(seller, id, price);
  });
  after(async () => {
    await cli.stop();
  });

  function priceColumns(lines: string[]): number[] {
    // Where each row's price ends, in display columns: the price column is right-aligned.
    return lines.map((line) => stringWidth(line.replace(/(\d+)\s+0x.*$/, "$1")));
  }

  it("shows a Chinese ID whole and aligns the columns after it by display width, piped", async () => {
    const { code, stdout } = await carbon(["carbons"], cli.env);
    assert.equal(code, 0);
    const lines = stdout.trim().split("\n");
    assert.ok(lines[2].startsWith("碳排放配额-001  "), lines[2]);
    const ends = priceColumns(lines.slice(1));
    assert.ok(ends.every((end) => end === ends[0]), `prices end in the same column: ${ends} in\n${stdout}`);
    const sellers = lines.map((line) => stringWidth(line.slice(0, line.search(/0x|seller/))));
    assert.ok(sellers.every((start) => start === sellers[0]), `sellers start in the same column: ${sellers}`);
  });

  it("does the same in an 80-column terminal, where addresses shrink", async () => {
    const term = new Terminal(["carbons"], cli.env);
    try {
      assert.equal(await term.exited, 0);
      const lines = term.transcript.trim().split("\n");
      assert.ok(lines.every((line) => stringWidth(line) <= 80), term.transcript);
      const row = lines.find((line) => line.startsWith("碳排放配额-001"));
      assert.ok(row, `the whole ID is shown:\n${term.transcript}`);
      const ends = priceColumns(lines.slice(1));
      assert.ok(ends.every((end) => end === ends[0]), `prices end in the same column: ${ends}\n${term.transcript}`);
    } finally {
      term.kill();
    }
  });
});
