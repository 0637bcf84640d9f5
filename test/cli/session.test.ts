// The session forgives, shown in a pseudo-terminal of 80×24: a typed number picks the account with
// that printed index; Back says nothing false; a wrong password is asked again in place; Esc or an
// empty answer goes back one step; Ctrl+C goes back one level and leaves only from the top menu; the
// buy list pages under a header kept in view, with the balance, the sellers and the lots one cannot
// afford marked; a frozen account is told so when it signs in.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import stringWidth from "string-width";
import { startMarket, type CliChain } from "./support/cli";
import { Terminal } from "./support/terminal";

let cli: CliChain;
let accounts: string[];
const LOTS = 25;

before(async () => {
  cli = await startMarket();
  accounts = cli.accounts;
  // Customers 1, 3 and 5 (so a list position and a printed index differ), seller 2; 5 is frozen.
  for (const index of [1, 3, 5]) await cli.market.newCustomer(accounts[index], `pw-${index}`);
  await cli.market.newSeller(accounts[2], "pw-2");
  await cli.market.sendCarbonToCustomer(accounts[3], 50n);
  for (let i = 1; i <= LOTS; i++) await cli.market.addCarbon(accounts[2], `LOT-${String(i).padStart(2, "0")}`, BigInt(i * 6));
  await cli.market.freezeAccount(accounts[5]);
});

after(async () => {
  await cli.stop();
});

async function session(test: (term: Terminal) => Promise<void>): Promise<void> {
  const term = new Terminal([], cli.env);
  try {
    await term.waitFor(/Sign in as[\s\S]*8\. Quit/);
    await test(term);
  } finally {
    term.kill();
  }
}

async function signIn(term: Terminal, role: 2 | 3, index: number, password: string): Promise<void> {
  await term.choose(role);
  await term.waitFor(role === 2 ? "Which customer?" : "Which seller?");
  await term.choose(index);
  await term.waitFor("Password");
  await term.line(password);
  await term.waitFor("✔ Logged in");
}

const UP = "\u001b[A";
const DOWN = "\u001b[B";
const ESC = "\u001b";
const CTRL_C = "\u0003";

describe("a session that forgives", () => {
  it("selects the account with the printed index when its number is typed", async () => {
    await session(async (term) => {
      await term.choose(2);
      const list = await term.waitFor(/Which customer\?[\s\S]* 5 {2}0x/);
      assert.match(list, new RegExp(`\\n❯ {2}1 {2}${accounts[1]}.*\\n {3}3 {2}${accounts[3]}.*\\n {3}5 {2}${accounts[5]}`), "printed indices 1, 3, 5");
      await term.choose(3);
      await term.waitFor(`Which customer? 3  ${accounts[3]}`);
      await term.waitFor("Password");
      await term.line("pw-3");
      await term.waitFor(`✔ Logged in: ${accounts[3]} is a customer`);
    });
  });

  it("says nothing false when Back is chosen", async () => {
    await session(async (term) => {
      await term.choose(2);
      await term.waitFor("Which customer?");
      await term.type(UP); // the cursor wraps from the first entry to the last: Back
      await term.waitFor("❯ Back");
      await term.type("\r");
      const after = await term.waitFor("Sign in as");
      assert.doesNotMatch(after, /No customers|✘/, "no message after Back");
    });
  });

  it("asks for a wrong password again in place, in an empty field, and Esc there goes back", async () => {
    await session(async (term) => {
      await term.choose(2);
      await term.waitFor("Which customer?");
      await term.choose(1);
      await term.waitFor("Password");
      await term.line("wrong");
      const refused = await term.waitFor(`> Wrong password for ${accounts[1]}; try again`);
      assert.doesNotMatch(refused, /Sign in as|What would you like/, "still at the password prompt");
      await term.type(ESC);
      const back = await term.waitFor("Sign in as");
      assert.doesNotMatch(back, /Logged in/);

      await term.choose(2);
      await term.waitFor("Which customer?");
      await term.choose(1);
      await term.waitFor("Password");
      await term.line("nope");
      await term.waitFor("> Wrong password");
      // The refused characters are gone from the field: the right password alone signs in.
      await term.line("pw-1");
      await term.waitFor(`✔ Logged in: ${accounts[1]} is a customer`);
    });
  });

  it("leaves a list on Esc without a ✔, and asks before Esc at a role's menu logs out", async () => {
    await session(async (term) => {
      await term.choose(2);
      await term.waitFor("Which customer?");
      await term.type(ESC);
      const left = await term.waitFor("Sign in as");
      assert.match(left, /← Which customer\? back/, "the list says it was left");
      assert.doesNotMatch(left, /✔ Which customer\?/, "no ✔ for an account nobody chose");

      await signIn(term, 2, 1, "pw-1");
      await term.waitFor("What would you like to do?");
      await term.type(ESC);
      await term.waitFor("Log out?");
      await term.line("n");
      const stayed = await term.waitFor("What would you like to do?");
      assert.doesNotMatch(stayed, /Sign in as/, "still signed in after saying no");
      await term.type(ESC);
      await term.waitFor("Log out?");
      await term.line("y");
      await term.waitFor("Sign in as");
    });
  });

  it("goes back one step on Esc or an empty answer at a text prompt, and sends nothing", async () => {
    const before = (await cli.market.lots()).length;
    await session(async (term) => {
      await signIn(term, 3, 2, "pw-2");
      await term.waitFor("2. Publish a lot");
      await term.choose(2);
      await term.waitFor("Carbon ID");
      await term.line("LOT-NEW");
      await term.waitFor("Price");
      await term.line(""); // empty: back to the ID
      await term.waitFor("Carbon ID");
      await term.type(ESC); // Esc: back to the menu
      await term.waitFor("What would you like to do?");
      await term.choose(2);
      await term.waitFor("Carbon ID");
      await term.line(""); // empty at the first step: back to the menu too
      await term.waitFor("What would you like to do?");
    });
    assert.equal((await cli.market.lots()).length, before, "no lot was published");
  });

  it("goes back one level on Ctrl+C, asks at a role's menu, and leaves only on Ctrl+C at the top menu", async () => {
    await session(async (term) => {
      await signIn(term, 3, 2, "pw-2");
      await term.waitFor("6. Log out");
      await term.choose(2);
      await term.waitFor("Carbon ID");
      await term.type(CTRL_C);
      await term.waitFor("What would you like to do?");
      await term.type(CTRL_C); // at a role's menu: it asks before logging out
      await term.waitFor("Log out?");
      await term.line("y");
      await term.waitFor("Sign in as");
      await term.type(CTRL_C);
      assert.equal(await term.exited, 130);
    });
  });

  it("pages the buy list under a header kept in view, with the balance, sellers and unaffordable lots marked", async () => {
    await session(async (term) => {
      await signIn(term, 2, 3, "pw-3");
      await term.waitFor("3. Buy a lot");
      await term.choose(3);
      const first = await term.waitFor(/Which lot\?\nyou hold 50 carbon\nlots 1–(\d+) of 25\n {2}carbon ID {2}price {2}seller\n❯ LOT-01 +6 {2}0x3c44…93bc/);
      const shown = Number(/lots 1–(\d+) of 25/.exec(first)![1]);
      assert.ok(shown >= 5 && shown < LOTS, `a page of ${shown} lots`);
      assert.match(first, /LOT-09 +54 {2}0x3c44…93bc {2}✘ more than you hold/, "a lot dearer than the balance is marked");
      assert.match(first, /Next page ›/);
      const frame = first.slice(first.lastIndexOf("? Which lot?"));
      assert.ok(frame.trimEnd().split("\n").length <= 24 && frame.split("\n").every((line) => stringWidth(line) <= 80), `the list fits 80×24:\n${frame}`);

      // Down to the last lot of the page and past it: the header stays above the cursor.
      for (let i = 0; i < shown + 1; i++) await term.type(DOWN);
      const moved = term.recent;
      assert.match(moved.slice(moved.lastIndexOf("? Which lot?")), /you hold 50 carbon\nlots 1–\d+ of 25\n {2}carbon ID {2}price {2}seller/);

      // Up, past the disabled lots, until the cursor is on "Next page".
      for (let i = 0; i < 2 * shown && !/❯ Next page ›/.test(term.recent); i++) await term.type(UP);
      await term.waitFor("❯ Next page ›");
      await term.type("\r");
      await term.waitFor(new RegExp(`you hold 50 carbon\\nlots ${shown + 1}–\\d+ of 25\\n {2}carbon ID {2}price {2}seller`));
      await term.waitFor("‹ Previous page");

      await term.type(ESC);
      await term.waitFor("What would you like to do?");
    });
  });

  it("tells a frozen account it is frozen when it signs in", async () => {
    await session(async (term) => {
      await signIn(term, 2, 5, "pw-5");
      await term.waitFor("⚠ This account is frozen by the regulator");
    });
  });
});
