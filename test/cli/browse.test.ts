// The session's read-only tables page like its pick-lists: in a pseudo-terminal of 80×24, the
// regulator's "All lots" shows 10 of 25 lots with where they sit, Next page shows lots 11–20 (and
// not the first ten), Previous goes back, Esc returns to the menu; an account's records page by
// cursor the same way.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startMarket, type CliChain } from "./support/cli";
import { Terminal } from "./support/terminal";

const LOTS = 25;
let cli: CliChain;
let seller: string;

before(async () => {
  cli = await startMarket();
  seller = cli.accounts[2];
  await cli.market.newSeller(seller, "pw-seller");
  for (let i = 0; i < LOTS; i++) await cli.market.addCarbon(seller, `LOT-${String(i).padStart(2, "0")}`, BigInt(10 + i));
});

after(async () => {
  await cli.stop();
});

const DOWN = "\u001b[B";

describe("the session's read-only tables", () => {
  it("All lots and an account's records go a page at a time", async () => {
    const term = new Terminal([], cli.env);
    try {
      await term.waitFor(/Sign in as[\s\S]*1\. Regulator/);
      await term.choose(1);
      await term.waitFor(/4\. All lots[\s\S]*\d+\. Log out/);

      await term.choose(4);
      let screen = await term.waitFor(/lots 1–10 of 25[\s\S]*Next page ›[\s\S]*Back/);
      assert.match(screen, /LOT-00[\s\S]*LOT-09/);
      assert.doesNotMatch(screen, /LOT-10|Previous page/, "one page, and no way back from the first");

      await term.type("\r"); // Next page
      screen = await term.waitFor(/lots 11–20 of 25[\s\S]*Back/);
      assert.match(screen, /LOT-10[\s\S]*LOT-19/);
      assert.doesNotMatch(screen, /LOT-09|LOT-20/, "page 2 alone");
      assert.match(screen, /Next page ›[\s\S]*‹ Previous page/);

      await term.type(DOWN);
      await term.type("\r"); // Previous page
      screen = await term.waitFor(/lots 1–10 of 25/);
      assert.match(screen, /LOT-00/);

      await term.type("\u001b"); // Esc: back to the menu
      await term.waitFor(/What would you like to do\?[\s\S]*\d+\. Log out/, 10_000);

      await term.choose(5);
      await term.waitFor("Whose records?");
      await term.type("2");
      await term.type("\r");
      screen = await term.waitFor(/records 1–9 counted from the latest[\s\S]*Next page ›/);
      assert.match(screen, /LOT-24/, "the latest first");
      await term.type("\r");
      screen = await term.waitFor(/records 10–18 counted from the latest/);
      assert.match(screen, /LOT-15/);
      assert.doesNotMatch(screen, /LOT-24/, "page 2 alone");
      await term.type("\u001b");
      await term.waitFor(/\d+\. Log out/, 10_000);
    } finally {
      term.kill();
    }
  });
});
