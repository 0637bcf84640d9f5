// The interactive session in a real pseudo-terminal of 80×24: register a customer and a seller,
// log in as each role, issue, publish, buy, log out and quit, reading the screen after each key;
// then the chain must hold what the session did. Ctrl+C leaves cleanly.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startMarket, type CliChain } from "./support/cli";
import { Terminal } from "./support/terminal";

let cli: CliChain;

before(async () => {
  cli = await startMarket();
});

after(async () => {
  await cli.stop();
});

describe("the interactive session", () => {
  it("registers, logs in, issues, publishes, buys and logs out", async () => {
    const [, customer, seller] = cli.accounts;
    const term = new Terminal([], cli.env);
    try {
      await term.waitFor(/Sign in as[\s\S]*1\. Regulator[\s\S]*8\. Quit/);

      // Register account 1 as a customer: the list starts at account 0, one down is account 1.
      await term.choose(5);
      await term.waitFor("Register as");
      await term.choose(1);
      await term.waitFor("Which account becomes a customer?");
      await term.type("\u001b[B");
      await term.type("\r");
      await term.waitFor("Your name in the market");
      await term.line("Ana");
      await term.waitFor("Choose a password");
      await term.line("pw-customer");
      await term.waitFor("Repeat the password");
      await term.line("pw-customer");
      await term.waitFor(/✔ Registration succeeded\ntx 0x[0-9a-f]{64}\nblock \d+ {2}gas used \d+/);
      await term.waitFor("Sign in as");

      // Register account 2 as a seller.
      await term.choose(5);
      await term.waitFor("Register as");
      await term.choose(2);
      await term.waitFor("Which account becomes a seller?");
      await term.type("\u001b[B\u001b[B");
      await term.type("\r");
      await term.waitFor("Your name in the market");
      await term.line("Bea");
      await term.waitFor("Choose a password");
      await term.line("pw-seller");
      await term.waitFor("Repeat the password");
      await term.line("pw-seller");
      await term.waitFor("✔ Successfully registered");

      // The regulator issues quota; the amount prompt refuses a non-number as it is typed.
      await term.waitFor("Sign in as");
      await term.choose(1);
      await term.waitFor(/Regulator 0x[0-9a-f]{40}[\s\S]*1\. Issue quota to a customer/);
      await term.choose(1);
      await term.waitFor("Issue to which customer?");
      await term.type("\r");
      await term.waitFor("Amount");
      await term.line("ten");
      await term.waitFor('amount "ten" is not a whole number from 1 to 2^256-1');
      await term.type("\u007f\u007f\u007f");
      await term.line("100");
      await term.waitFor("✔ Successfully issued quota");
      // Ether for a student not registered yet: the list of the registered, an address pasted, a bad
      // amount refused as typed, then sent.
      await term.waitFor("11. Send ether to an account");
      await term.choose(11);
      await term.waitFor("Send ether to which account?");
      for (let i = 0; i < 8 && !/❯ Paste an address…/.test(term.recent); i++) await term.type("\u001b[A");
      await term.type("\r");
      await term.waitFor("The account's address");
      await term.line("0x14dc79964da2c08b23698b3d3cc7ca32193d9955");
      await term.waitFor(/Ether for 0x14dc\w+ \(for bids' escrow and\s+gas; it holds\s+1000\s+ETH\)/);
      await term.line("lots");
      await term.waitFor('amount "lots" is not an amount of ether such as 0.01');
      await term.type("\u007f\u007f\u007f\u007f");
      await term.line("1.5");
      await term.waitFor(/✔ Sent 1\.5 ETH to 0x14dc79964da2c08b23698b3d3cc7ca32193d9955 from 0x[0-9a-f]{40}: it holds 1001\.5 ETH/);
      await term.waitFor("13. Log out");
      await term.choose(13);

      // The seller logs in (a wrong password first) and publishes a lot.
      await term.waitFor("Sign in as");
      await term.choose(3);
      await term.waitFor("Which seller?");
      await term.type("\r");
      await term.waitFor("Password");
      await term.line("nope");
      await term.waitFor(`> Wrong password for ${seller}; try again`);
      await term.type("\u007f\u007f\u007f\u007f");
      await term.line("pw-seller");
      await term.waitFor(`✔ Logged in: Bea ${seller} is a seller`);
      await term.waitFor("2. Publish a lot");
      // Settling more than the sales brought is refused in the field; Esc leaves with nothing sent.
      await term.choose(4);
      await term.waitFor("Amount to settle (you hold 0 quota from your sales)");
      await term.line("5");
      await term.waitFor("> you hold 0 quota from your sales");
      await term.type("\u001b");
      await term.waitFor("2. Publish a lot");
      await term.choose(2);
      await term.waitFor(/The lot shop is the thesis's: a lot is priced in quota, the buyer pays it from its\s+own quota/);
      await term.waitFor("Carbon ID");
      await term.line("LOT-PTY");
      await term.waitFor("Price, in quota (what the buyer's quota pays)");
      await term.line("40");
      await term.waitFor("✔ Successfully created quota");
      await term.waitFor("6. Log out");
      await term.choose(6);

      // The customer logs in, buys the lot from the list, and sees the balance.
      await term.waitFor("Sign in as");
      await term.choose(2);
      await term.waitFor("Which customer?");
      await term.type("\r");
      await term.waitFor("Password");
      await term.line("pw-customer");
      await term.waitFor(`✔ Logged in: Ana ${customer} is a customer`);
      await term.waitFor("3. Buy a lot");
      await term.choose(3);
      await term.waitFor(/Which lot\?[\s\S]*you hold 100 carbon[\s\S]*❯ LOT-PTY +40 {2}Bea 0x[0-9a-f]{4}…[0-9a-f]{4}/);
      await term.type("\r");
      await term.waitFor("Buy LOT-PTY? Its price comes off your quota");
      await term.line("y");
      await term.waitFor("✔ Buy successfully");
      await term.waitFor("1. My balance");
      await term.choose(1);
      await term.waitFor(/as customer {2}60\nas seller {4}0/);
      await term.waitFor("8. Log out");
      await term.choose(8);

      await term.waitFor("Sign in as");
      await term.choose(8);
      assert.equal(await term.exited, 0, "Quit exits 0");
    } finally {
      term.kill();
    }

    assert.equal((await cli.market.lot("LOT-PTY"))?.buyer, customer, "the customer owns the lot on chain");
    assert.equal(await cli.market.customerCarbonAmount(customer), 60n);
    assert.equal(await cli.market.sellerCarbonAmount(seller), 40n);
  });

  it("goes back one level on Ctrl+C at a prompt, and leaves cleanly on Ctrl+C at the top menu", async () => {
    const term = new Terminal(["interactive"], cli.env);
    try {
      await term.waitFor("Sign in as");
      await term.choose(2);
      await term.waitFor("Which customer?");
      await term.type("\u0003");
      await term.waitFor("Sign in as");
      await term.type("\u0003");
      assert.equal(await term.exited, 130, "128 + SIGINT");
      assert.doesNotMatch(term.transcript, /Error|\n\s+at /, "no error or stack trace on the screen");
    } finally {
      term.kill();
    }
  });
});
