// Every class of bad input the issue names is refused before anything is sent: exit 2, one line on
// stderr that says what is wrong, nothing on stdout (or one JSON object with --json), and the chain
// exactly as it was. Table-driven, against a market with a customer (1), a seller (2) and a lot; for
// the business refusals foreseen before sending, also a lot sold, one dearer than the customer's
// quota, an account both customer and seller with a lot of its own (3), a frozen account (4), a
// frozen customer (5) and a frozen seller with a lot (6).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { carbon, fingerprint, startMarket, type CliChain } from "./support/cli";

let cli: CliChain;

before(async () => {
  cli = await startMarket();
  const [, customer, seller] = cli.accounts;
  await cli.market.newCustomer(customer, "pw");
  await cli.market.newSeller(seller, "pw");
  await cli.market.sendCarbonToCustomer(customer, 100n);
  await cli.market.addCarbon(seller, "LOT-1", 10n);
  await cli.market.addCarbon(seller, "LOT-SOLD", 5n);
  await cli.market.buyCarbon(customer, "LOT-SOLD");
  await cli.market.addCarbon(seller, "LOT-DEAR", 1000n);
  const [both, frozen, frozenCustomer, frozenSeller] = cli.accounts.slice(3, 7);
  await cli.market.newCustomer(both, "pw");
  await cli.market.newSeller(both, "pw");
  await cli.market.addCarbon(both, "LOT-OWN", 5n);
  await cli.market.freezeAccount(frozen);
  await cli.market.newCustomer(frozenCustomer, "pw");
  await cli.market.freezeAccount(frozenCustomer);
  await cli.market.newSeller(frozenSeller, "pw");
  await cli.market.addCarbon(frozenSeller, "LOT-FROZEN", 5n);
  await cli.market.freezeAccount(frozenSeller);
});

after(async () => {
  await cli.stop();
});

interface Case {
  name: string;
  args: string[] | (() => string[]);
  /** The whole line on stderr after "error: ". */
  message: string | RegExp | (() => string);
}

const MAX = (2n ** 256n).toString();
const checksumTypo = "0x70997970C51812dc3a010C7d01b50e0d17dc79C8"; // account 1 with two letters' case flipped

const classes: Record<string, Case[]> = {
  "a malformed address": [
    { name: "too short", args: ["issue", "0x1234", "5"], message: 'customer "0x1234" is not an address (0x and 40 hex digits) or an account index' },
    { name: "a name that nobody has", args: ["buy", "alice", "LOT-1"], message: 'no account is named "alice": no name in the market and no wallet of yours (see `carbon registered` and `carbon wallet list`)' },
    { name: "text that could not be a name", args: ["balance", "al\u200bice"], message: 'account "al\\u{200B}ice" is not an address (0x and 40 hex digits), an account index or a name: name holds U+200B, an invisible or bidirectional-control character: names hold only characters that show' },
    { name: "not hex", args: ["balance", "0x" + "z".repeat(40)], message: `account "0x${"z".repeat(40)}" is not an address (0x and 40 hex digits) or an account index` },
    { name: "a wrong EIP-55 checksum", args: ["issue", checksumTypo, "5"], message: `customer ${checksumTypo} has a wrong checksum (check its letter case)` },
    { name: "the zero address", args: ["freeze", "0x" + "0".repeat(40)], message: "account is the zero address, which is nobody's account" },
    { name: "a malformed --from", args: ["issue", "1", "5", "--from", "0xabc"], message: '--from "0xabc" is not an address (0x and 40 hex digits) or an account index' },
  ],
  "an amount or price that is not a whole number from 1 to 2^256-1": [
    { name: "zero", args: ["issue", "1", "0"], message: "amount 0 is outside 1 to 2^256-1" },
    { name: "2^256", args: ["settle", "2", MAX], message: `amount ${MAX} is outside 1 to 2^256-1` },
    { name: "a fraction", args: ["issue", "1", "1.5"], message: 'amount "1.5" is not a whole number from 1 to 2^256-1' },
    { name: "negative", args: ["issue", "1", "-3"], message: 'amount "-3" is not a whole number from 1 to 2^256-1' },
    { name: "hex", args: ["issue", "1", "0x10"], message: 'amount "0x10" is not a whole number from 1 to 2^256-1' },
    { name: "a zero price", args: ["add-carbon", "2", "LOT-2", "0"], message: "price 0 is outside 1 to 2^256-1" },
    { name: "a word for a price", args: ["add-carbon", "2", "LOT-2", "ten"], message: 'price "ten" is not a whole number from 1 to 2^256-1' },
    { name: "a price above 2^64-1, which a lot cannot carry", args: ["add-carbon", "2", "LOT-2", (2n ** 64n).toString()], message: `price ${2n ** 64n} is above the highest price a lot can carry, 2^64-1 (${2n ** 64n - 1n})` },
  ],
  "a carbon ID that does not show as itself": [
    { name: "an escape sequence that redraws the line", args: ["add-carbon", "2", "ZZ\x1b[2K\rCEA-003  ", "5"], message: "carbon ID holds U+001B, a control character: IDs hold only characters that show" },
    { name: "a zero-width space", args: ["buy", "1", "CEA-002\u200b"], message: "carbon ID holds U+200B, an invisible or bidirectional-control character: IDs hold only characters that show" },
    { name: "a right-to-left override", args: ["carbon", "\u202eCEA"], message: "carbon ID holds U+202E, an invisible or bidirectional-control character: IDs hold only characters that show" },
    { name: "U+FFFD, what invalid UTF-8 becomes", args: ["carbon", "CEA\ufffd"], message: "carbon ID holds U+FFFD, a special (U+FFFD marks bytes that were not UTF-8): IDs hold only characters that show" },
  ],
  "a carbon ID outside 1..32 bytes": [
    { name: "empty", args: ["buy", "1", ""], message: "carbon ID is empty; it must be 1 to 32 bytes" },
    { name: "33 ASCII bytes", args: ["add-carbon", "2", "X".repeat(33), "5"], message: `carbon ID "${"X".repeat(33)}" is 33 bytes; it must be 1 to 32 bytes` },
    { name: "11 characters, 33 bytes of UTF-8", args: ["add-carbon", "2", "碳".repeat(11), "5"], message: `carbon ID "${"碳".repeat(11)}" is 33 bytes; it must be 1 to 32 bytes` },
    { name: "a view of an empty ID", args: ["carbon", ""], message: "carbon ID is empty; it must be 1 to 32 bytes" },
  ],
  "an unknown account index": [
    { name: "past the list", args: ["balance", "10"], message: "account index 10 is unknown: the node's accounts are 0 to 9" },
    { name: "as the customer", args: ["issue", "99", "5"], message: "customer index 99 is unknown: the node's accounts are 0 to 9" },
    { name: "as --from", args: ["issue", "1", "5", "--from", "12"], message: "--from index 12 is unknown: the node's accounts are 0 to 9" },
  ],
  "a wrong role": [
    { name: "a seller buying", args: ["buy", "2", "LOT-1"], message: () => `${cli.accounts[2]} is not a registered customer; register it with \`carbon register customer ${cli.accounts[2]}\`` },
    { name: "a customer publishing", args: ["add-carbon", "1", "LOT-2", "5"], message: () => `${cli.accounts[1]} is not a registered seller; register it with \`carbon register seller ${cli.accounts[1]}\`` },
    { name: "a customer settling", args: ["settle", "1", "5"], message: () => `${cli.accounts[1]} is not a registered seller; register it with \`carbon register seller ${cli.accounts[1]}\`` },
    { name: "a customer issuing", args: ["issue", "1", "5", "--from", "1"], message: () => `${cli.accounts[1]} is not the regulator (${cli.accounts[0]}); only the regulator can do this` },
    { name: "a seller freezing", args: ["freeze", "1", "--from", "2"], message: () => `${cli.accounts[2]} is not the regulator (${cli.accounts[0]}); only the regulator can do this` },
    { name: "freezing the regulator", args: ["freeze", "0"], message: "the regulator cannot be frozen" },
    { name: "buying for someone else", args: ["buy", "1", "LOT-1", "--from", "3"], message: () => `${cli.accounts[3]} cannot act for ${cli.accounts[1]}: only the account itself can` },
    { name: "sending from an account the node has no key for", args: ["register", "customer", "0x1111111111111111111111111111111111111111", "--password", "pw"], message: /^cannot send from 0x1{40}: no key for it here \(http:\/\/127\.0\.0\.1:\d+ holds no key for it; import yours with `carbon wallet import`, see `carbon accounts`, or set CARBON_MNEMONIC\)$/ },
    { name: "an unknown role", args: ["register", "admin", "3", "--password", "pw"], message: 'cannot register a "admin": the roles are customer and seller' },
  ],
  "a business refusal the contract would mine, foreseen from the chain's state": [
    { name: "buying a lot that does not exist", args: ["buy", "1", "LOT-9"], message: "there is no lot LOT-9: `carbon carbons` lists the lots for sale" },
    { name: "buying a lot already sold", args: ["buy", "1", "LOT-SOLD"], message: () => `lot LOT-SOLD is sold already, to ${cli.accounts[1]}` },
    { name: "buying one's own lot", args: ["buy", "3", "LOT-OWN"], message: () => `lot LOT-OWN is ${cli.accounts[3]}'s own: an account cannot buy its own lot` },
    { name: "buying a frozen seller's lot", args: ["buy", "1", "LOT-FROZEN"], message: () => `lot LOT-FROZEN's seller ${cli.accounts[6]} is frozen: its lots cannot be bought until the regulator lifts the freeze` },
    { name: "buying a lot dearer than one's quota", args: ["buy", "1", "LOT-DEAR"], message: () => `${cli.accounts[1]} holds 95 quota: lot LOT-DEAR costs 1000 (905 short)` },
    { name: "buying while frozen", args: ["buy", "5", "LOT-1"], message: () => `${cli.accounts[5]} is frozen: a frozen account cannot buy (the regulator lifts it with \`carbon unfreeze\`)` },
    { name: "publishing under an ID taken", args: ["add-carbon", "2", "LOT-1", "5"], message: () => `lot LOT-1 exists already: ${cli.accounts[2]} published it at 10; choose another ID` },
    { name: "settling more than the seller's proceeds", args: ["settle", "2", "50"], message: () => `${cli.accounts[2]} holds 5 quota from its sales: a settlement of 50 needs 50 (45 short)` },
    { name: "freezing a frozen account", args: ["freeze", "4"], message: () => `${cli.accounts[4]} is frozen already` },
    { name: "unfreezing an account that is not frozen", args: ["unfreeze", "1"], message: () => `${cli.accounts[1]} is not frozen` },
    { name: "surrendering with no period open", args: ["surrender", "1", "10"], message: "there is no open period to surrender for" },
  ],
  "bad usage": [
    { name: "a missing argument", args: ["issue", "1"], message: "missing required argument 'amount'" },
    { name: "an extra argument", args: ["balance", "1", "2"], message: "too many arguments for 'balance'. Expected 1 argument but got 2." },
    { name: "an unknown option", args: ["balance", "1", "--bogus"], message: "unknown option '--bogus'" },
    { name: "registering someone else (no --from: only the account itself registers)", args: ["register", "seller", "4", "--from", "3", "--password", "pw"], message: "unknown option '--from'" },
    { name: "an unknown command", args: ["sell", "1"], message: "unknown command 'sell'; see `carbon --help`" },
    { name: "an empty password", args: ["register", "customer", "3", "--password", ""], message: "password is empty" },
    { name: "two password sources", args: ["login", "1", "--password", "x", "--password-stdin"], message: "give the password with --password or --password-stdin, not both" },
    { name: "no password and no terminal", args: ["login", "1"], message: "no password: pass --password-stdin (or --password <pw>, or set CARBON_PASSWORD), or run in a terminal to be asked" },
    { name: "an empty password on stdin", args: ["register", "customer", "3", "--password-stdin"], message: "password is empty" },
    { name: "a node URL that is not http", args: ["--rpc", "ws://127.0.0.1:8545", "balance", "1"], message: "the node URL must be http:// or https://, not ws://127.0.0.1:8545" },
    { name: "an unknown truffle network", args: ["--network", "mainnet", "balance", "1"], message: 'truffle-config.js has no network "mainnet" (it has: development, custom)' },
  ],
};

for (const [name, cases] of Object.entries(classes)) {
  describe(`refuses ${name}`, () => {
    for (const testCase of cases) {
      it(`${testCase.name}: exit 2, one line, chain unchanged`, async () => {
        const args = typeof testCase.args === "function" ? testCase.args() : testCase.args;
        const before = await fingerprint(cli);
        const { code, stdout, stderr } = await carbon(args, cli.env);
        assert.equal(code, 2, `exit code of carbon ${args.join(" ")}\n${stderr}`);
        assert.equal(stdout, "", "nothing on stdout");
        assert.ok(stderr.endsWith("\n") && !stderr.slice(0, -1).includes("\n"), `one line on stderr, got:\n${stderr}`);
        const line = stderr.slice(0, -1);
        const expected = typeof testCase.message === "function" ? testCase.message() : testCase.message;
        if (expected instanceof RegExp) assert.match(line.replace(/^error: /, ""), expected);
        else assert.equal(line, `error: ${expected}`);
        assert.equal(await fingerprint(cli), before, "the chain did not change");
      });
    }
  });
}

describe("--json on bad input", () => {
  it("prints one JSON error object on stdout and nothing on stderr", async () => {
    const { code, stdout, stderr } = await carbon(["issue", "1", "0", "--json"], cli.env);
    assert.equal(code, 2);
    assert.deepEqual(JSON.parse(stdout), { ok: false, error: "amount 0 is outside 1 to 2^256-1", exitCode: 2 });
    assert.equal(stderr, "", "with --json an error goes to stdout only");
  });

  it("does the same for commander's usage errors", async () => {
    const { code, stdout, stderr } = await carbon(["issue", "1", "--json"], cli.env);
    assert.equal(code, 2);
    assert.deepEqual(JSON.parse(stdout), { ok: false, error: "missing required argument 'amount'", exitCode: 2 });
    assert.equal(stderr, "", "with --json an error goes to stdout only");
  });
});
