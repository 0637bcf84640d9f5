// The scripted commands end to end: the real binary against a migrated chain, one market story in
// order (register, log in, issue, publish, buy, settle, freeze), checking the text, the --json
// objects, the exit codes, and the chain's state after each write.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { carbon, startMarket, type CliChain } from "./support/cli";

const TX_LINES = /^tx 0x[0-9a-f]{64}\nblock \d+ {2}gas used \d+$/;

let cli: CliChain;
let customer: string;
let seller: string;

before(async () => {
  cli = await startMarket();
  [, customer, seller] = cli.accounts;
});

after(async () => {
  await cli.stop();
});

async function run(args: string[], input?: string) {
  return carbon(args, cli.env, input === undefined ? {} : { input });
}

function json(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, `--json prints exactly one line, got:\n${stdout}`);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

function assertWrite(object: Record<string, unknown>, ok: boolean, message: string): void {
  const keys = ["message", "event", "txHash", "block", "gasUsed"];
  assert.deepEqual(Object.keys(object), ok ? ["ok", ...keys] : ["ok", "error", "exitCode", ...keys], "a write's JSON has exactly the envelope's keys");
  assert.equal(object.ok, ok, "ok");
  if (!ok) assert.deepEqual([object.error, object.exitCode], [message, 1], "a refusal's error is the thesis message, with exit code 1");
  assert.equal(object.message, message, "the thesis message");
  assert.match(String(object.txHash), /^0x[0-9a-f]{64}$/, "txHash");
  assert.ok(Number.isInteger(object.block) && (object.block as number) > 0, "block is a number");
  assert.ok(Number.isInteger(object.gasUsed) && (object.gasUsed as number) > 21000, "gasUsed is a number");
}

describe("accounts before anyone registers", () => {
  it("lists the node's accounts with the regulator first and everyone else unregistered", async () => {
    const { code, stdout, stderr } = await run(["accounts"]);
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split("\n");
    assert.match(lines[0], /^#\s+address\s+role\s+carbon\s+ether$/, "header");
    assert.equal(lines.length, 11, "a header and ten accounts");
    assert.match(lines[1], new RegExp(`^0\\s+${cli.accounts[0]}\\s+regulator\\s+-\\s+\\d+(\\.\\d+)?$`), "account 0 is the regulator");
    assert.match(lines[2], new RegExp(`^1\\s+${customer}\\s+unregistered\\s+-\\s+1000$`), "account 1 is unregistered");
  });
});

describe("register", () => {
  it("registers a customer with --password and prints the message, hash, block and gas", async () => {
    const { code, stdout, stderr } = await run(["register", "customer", "1", "--password", "pw-customer"]);
    assert.equal(code, 0, stderr);
    const [message, ...details] = stdout.trim().split("\n");
    assert.equal(message, "✔ Registration succeeded");
    assert.match(details.join("\n"), TX_LINES);
    assert.equal((await cli.market.roles(customer)).customer, true, "the account is a customer on chain");
  });

  it("registers a seller with --password-stdin and --json", async () => {
    const { code, stdout, stderr } = await run(["register", "seller", seller, "--password-stdin", "--json"], "s3cret word\n");
    assert.equal(code, 0, stderr);
    assertWrite(json(stdout), true, "Successfully registered");
    assert.equal((await cli.market.checkPassword(seller, "s3cret word")).seller, true, "the stdin password, without its newline, is the seller's");
  });

  it("exits 1 with the contract's message when the account is already registered", async () => {
    const { code, stdout } = await run(["register", "customer", "1", "--password", "other"]);
    assert.equal(code, 1);
    assert.equal(stdout.split("\n")[0], "✘ This account is already registered");
    assert.equal((await cli.market.checkPassword(customer, "pw-customer")).customer, true, "the first password still holds");
  });
});

describe("login", () => {
  it("says the role for the right password", async () => {
    const { code, stdout } = await run(["login", "1", "--password", "pw-customer"]);
    assert.equal(code, 0);
    assert.equal(stdout.trim(), `✔ Logged in: ${customer} is a customer`);
  });

  it("exits 1 for a wrong password", async () => {
    const { code, stdout } = await run(["login", "1", "--password", "wrong"]);
    assert.equal(code, 1);
    assert.equal(stdout.trim(), `✘ Wrong password for ${customer}`);
  });

  it("gives the roles as JSON", async () => {
    const { code, stdout } = await run(["login", "2", "--password-stdin", "--json"], "s3cret word");
    assert.equal(code, 0);
    assert.deepEqual(json(stdout), { ok: true, address: seller, name: null, roles: ["seller"], registered: { customer: false, seller: true }, regulator: false, key: "node" });
  });
});

describe("issue, add-carbon, buy, settle", () => {
  it("issues quota as the regulator", async () => {
    const { code, stdout, stderr } = await run(["issue", "1", "100"]);
    assert.equal(code, 0, stderr);
    assert.equal(stdout.split("\n")[0], "✔ Successfully issued quota");
    assert.equal(await cli.market.customerCarbonAmount(customer), 100n, "the customer holds 100");
  });

  it("exits 1 when the customer is not registered, and issues nothing", async () => {
    const { code, stdout } = await run(["issue", "5", "10", "--json"]);
    assert.equal(code, 1);
    assertWrite(json(stdout), false, "This account has not been registered, and the distribution failed");
    assert.equal((await cli.market.totals()).issued, 100n, "still 100 issued");
  });

  it("publishes lots as the seller", async () => {
    const first = await run(["add-carbon", "2", "LOT-A", "30"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.split("\n")[0], "✔ Successfully created quota");
    const second = await run(["add-carbon", seller, "碳-B", "50", "--json"]);
    assert.equal(second.code, 0, second.stderr);
    assertWrite(json(second.stdout), true, "Successfully created quota");
    assert.deepEqual(
      (await cli.market.lots()).map((lot) => [lot.carbonId, lot.price, lot.seller, lot.buyer]),
      [
        ["LOT-A", 30n, seller, undefined],
        ["碳-B", 50n, seller, undefined],
      ],
    );
  });

  it("buys a lot as the customer, moving its price to the seller", async () => {
    const { code, stdout, stderr } = await run(["buy", "1", "LOT-A", "--json"]);
    assert.equal(code, 0, stderr);
    assertWrite(json(stdout), true, "Buy successfully");
    assert.equal((await cli.market.lot("LOT-A"))?.buyer, customer, "the customer owns the lot");
    assert.equal(await cli.market.customerCarbonAmount(customer), 70n);
    assert.equal(await cli.market.sellerCarbonAmount(seller), 30n);
  });

  it("exits 2 when the lot is already sold, sending nothing", async () => {
    const block = await cli.market.blockNumber();
    const { code, stdout, stderr } = await run(["buy", "1", "LOT-A"]);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.equal(stderr, `error: lot LOT-A is sold already, to ${customer}\n`);
    assert.equal(await cli.market.blockNumber(), block, "nothing was sent");
    assert.equal(await cli.market.customerCarbonAmount(customer), 70n, "nothing paid");
  });

  it("settles proceeds as the seller", async () => {
    const { code, stdout, stderr } = await run(["settle", "2", "10"]);
    assert.equal(code, 0, stderr);
    assert.equal(stdout.split("\n")[0], "✔ Settlement succeeded");
    assert.equal(await cli.market.sellerCarbonAmount(seller), 20n);
    assert.equal((await cli.market.totals()).settled, 10n);
  });

  it("exits 2 when settling more than the seller holds, sending nothing", async () => {
    const block = await cli.market.blockNumber();
    const { code, stdout, stderr } = await run(["settle", "2", "21"]);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.equal(stderr, `error: ${seller} holds 20 quota from its sales: a settlement of 21 needs 21 (1 short)\n`);
    assert.equal(await cli.market.blockNumber(), block, "nothing was sent");
  });
});

describe("reads", () => {
  it("balance shows both roles' amounts", async () => {
    const text = await run(["balance", "2"]);
    assert.equal(text.code, 0);
    assert.equal(text.stdout, `${seller}\nas customer  0\nas seller    20\n`);
    const asJson = await run(["balance", customer, "--json"]);
    assert.deepEqual(json(asJson.stdout), { ok: true, address: customer, name: null, customerCarbon: "70", sellerCarbon: "0" });
  });

  it("carbons lists lots as a table, filtered by seller, customer and --unsold", async () => {
    const all = await run(["carbons"]);
    assert.equal(all.code, 0);
    const lines = all.stdout.trim().split("\n");
    assert.match(lines[0], /^carbon ID\s+price\s+seller\s+buyer$/);
    assert.match(lines[1], new RegExp(`^LOT-A\\s+30\\s+${seller}\\s+${customer}$`));
    assert.match(lines[2], new RegExp(`^碳-B\\s+50\\s+${seller}\\s+for sale$`));

    const unsold = await run(["carbons", "--unsold", "--json"]);
    assert.deepEqual(json(unsold.stdout), { ok: true, lots: [{ carbonId: "碳-B", price: "50", seller, sellerName: null, buyer: null, buyerName: null }] });
    const bought = await run(["carbons", "--customer", "1", "--json"]);
    assert.deepEqual((json(bought.stdout).lots as Array<{ carbonId: string }>).map((l) => l.carbonId), ["LOT-A"]);
    const published = await run(["carbons", "--seller", "2", "--json"]);
    assert.deepEqual((json(published.stdout).lots as Array<{ carbonId: string }>).map((l) => l.carbonId), ["LOT-A", "碳-B"]);
    const none = await run(["carbons", "--seller", "1"]);
    assert.equal(none.stdout, "No lots.\n");
  });

  it("carbon shows one lot, and exits 1 for an unknown ID", async () => {
    const found = await run(["carbon", "LOT-A", "--json"]);
    assert.deepEqual(json(found.stdout), { ok: true, carbonId: "LOT-A", price: "30", seller, sellerName: null, buyer: customer, buyerName: null });
    const missing = await run(["carbon", "LOT-Z"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'error: no lot has the carbon ID "LOT-Z"\n');
  });

  it("records give the account's history with counterparties and messages, oldest first", async () => {
    const { code, stdout } = await run(["records", "1", "--json"]);
    assert.equal(code, 0);
    const { address, records } = json(stdout) as { address: string; records: Array<Record<string, unknown>> };
    assert.equal(address, customer);
    assert.deepEqual(
      records.map((r) => [r.operation, r.counterparty, r.amount, r.isSuccess, r.message]),
      [
        ["NewCustomer", null, "0", true, "Registration succeeded"],
        ["NewCustomer", null, "0", false, "This account is already registered"],
        ["SendCarbonToCustomer", cli.accounts[0], "100", true, "Successfully issued quota"],
        ["BuyCarbon", seller, "30", true, "Buy successfully"],
      ],
    );
    assert.ok(records.every((r) => typeof r.time === "string" && !Number.isNaN(Date.parse(String(r.time)))), "ISO times");
    const blocks = records.map((r) => r.block as number);
    assert.deepEqual(blocks, [...blocks].sort((a, b) => a - b), "oldest first");

    // The seller sees the purchase too, with the buyer as the counterparty.
    const sellerView = json((await run(["records", "2", "--json"])).stdout) as { records: Array<Record<string, unknown>> };
    assert.ok(sellerView.records.some((r) => r.operation === "BuyCarbon" && r.counterparty === customer && r.isSuccess === true));
  });

  it("records as text is a table with time, block, operation, counterparty, amount and message", async () => {
    const { stdout } = await run(["records", "1"]);
    const lines = stdout.trim().split("\n");
    assert.equal(lines[0], `History of ${customer}`);
    assert.match(lines[1], /^time\s+block\s+operation\s+counterparty\s+amount\s+message$/);
    assert.match(lines[5], new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+\\d+\\s+buy\\s+${seller}\\s+30\\s+LOT-A: Buy successfully$`));
  });
});

describe("risk control and supervision", () => {
  it("freezes an account, whose purchases then fail, and unfreezes it", async () => {
    const frozen = await run(["freeze", "1"]);
    assert.equal(frozen.code, 0, frozen.stderr);
    assert.equal(frozen.stdout.split("\n")[0], "✔ Account frozen");
    assert.equal(await cli.market.isFrozen(customer), true);

    const block = await cli.market.blockNumber();
    const again = await run(["freeze", "1", "--json"]);
    assert.equal(again.code, 2);
    assert.deepEqual(json(again.stdout), { ok: false, error: `${customer} is frozen already`, exitCode: 2 });

    const buy = await run(["buy", "1", "碳-B"]);
    assert.equal(buy.code, 2);
    assert.equal(buy.stderr, `error: ${customer} is frozen: a frozen account cannot buy (the regulator lifts it with \`carbon unfreeze\`)\n`);
    assert.equal(await cli.market.blockNumber(), block, "neither refusal was sent");

    const market = json((await run(["market", "--json"])).stdout);
    assert.deepEqual(market.frozen, [customer], "supervision lists the frozen account");

    const unfrozen = await run(["unfreeze", customer]);
    assert.equal(unfrozen.code, 0);
    assert.equal(unfrozen.stdout.split("\n")[0], "✔ Account unfrozen");
    assert.equal(await cli.market.isFrozen(customer), false);

    const notFrozen = await run(["unfreeze", customer]);
    assert.deepEqual([notFrozen.code, notFrozen.stderr], [2, `error: ${customer} is not frozen\n`]);
  });

  it("market gives totals, counts, frozen accounts and the latest trades", async () => {
    const { code, stdout } = await run(["market", "--json"]);
    assert.equal(code, 0);
    const market = json(stdout) as Record<string, unknown> & { trades: Array<Record<string, unknown>> };
    assert.equal(market.regulator, cli.accounts[0]);
    assert.equal(market.issued, "100");
    assert.equal(market.settled, "10");
    assert.deepEqual([market.surrendered, market.circulating], ["0", "90"]);
    assert.deepEqual([market.customers, market.sellers, market.lots, market.frozenCount, market.frozen], [1, 1, 2, 0, []]);
    assert.deepEqual(market.trades.map((t) => [t.carbonId, t.amount, t.address, t.counterparty]), [["LOT-A", "30", customer, seller]]);

    const text = await run(["market"]);
    assert.match(text.stdout, /^regulator\s+0x[0-9a-f]{40}\nissued\s+100\nsettled\s+10\nsurrendered\s+0\ncirculating\s+90\n/);
    assert.match(text.stdout, /Latest trades on the book\nNo trades yet\./, "the book's fills, none here");
    assert.match(text.stdout, /Latest lot purchases\ntime\s+block\s+carbon ID\s+price\s+buyer\s+seller\n.*LOT-A\s+30/);
  });

  it("accounts --json gives roles and balances", async () => {
    const { stdout } = await run(["accounts", "--json"]);
    const rows = (json(stdout).accounts as Array<Record<string, unknown>>).slice(0, 3);
    assert.deepEqual(
      rows.map((r) => [r.index, r.address, r.regulator, r.customer, r.seller, r.frozen, r.customerCarbon, r.sellerCarbon]),
      [
        [0, cli.accounts[0], true, false, false, false, "0", "0"],
        [1, customer, false, true, false, false, "70", "0"],
        [2, seller, false, false, true, false, "0", "20"],
      ],
    );
    assert.match(String(rows[0].wei), /^\d+$/, "ether in wei, as a decimal string");
  });
});

describe("colour", () => {
  it("prints success in green and failure in red when colour is on, and never in --json", async () => {
    const env: NodeJS.ProcessEnv = { ...cli.env, FORCE_COLOR: "1" };
    delete env.NO_COLOR;
    const ok = await carbon(["login", "1", "--password", "pw-customer"], env);
    assert.ok(ok.stdout.startsWith("\u001b[32m✔"), `green: ${JSON.stringify(ok.stdout)}`);
    const no = await carbon(["login", "1", "--password", "nope"], env);
    assert.ok(no.stdout.startsWith("\u001b[31m✘"), `red: ${JSON.stringify(no.stdout)}`);
    const asJson = await carbon(["balance", "1", "--json"], env);
    assert.doesNotMatch(asJson.stdout, /\u001b\[/, "no escape codes in JSON");
  });
});

describe("fund", () => {
  it("sends ether from the regulator off a class chain, or from --from, and says what the account holds", async () => {
    const target = cli.accounts[7];
    const balance = async (address: string) => BigInt(await cli.rpc.request<string>("eth_getBalance", [address, "latest"]));
    const before = await balance(target);
    const sent = await run(["fund", "7", "2.5"]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout.trimEnd(), new RegExp(`^✔ Sent 2\\.5 ETH to ${target} from ${cli.accounts[0]}: it holds 1002\\.5 ETH\\ntx 0x[0-9a-f]{64}$`), "the amount, the sender (the regulator) and the balance now");
    assert.equal((await balance(target)) - before, 25n * 10n ** 17n, "exactly 2.5 ETH arrived");

    const fromEight = await run(["fund", target, "0.5", "--from", "8", "--json"]);
    assert.equal(fromEight.code, 0, fromEight.stderr);
    const object = json(fromEight.stdout);
    assert.deepEqual([object.ok, object.source, object.wei, object.balanceWei], [true, cli.accounts[8], "500000000000000000", String(before + 3n * 10n ** 18n)], "--from names the sender");
  });

  it("refuses a bad amount with exit 2, and an amount the sender does not hold with what it needs, sending nothing", async () => {
    const before = await cli.rpc.request<string>("eth_getBalance", [cli.accounts[7], "latest"]);
    for (const [amount, message] of [["abc", /amount "abc" is not an amount of ether such as 0\.01/], ["0", /amount must be more than 0/], ["1.0000000000000000001", /has 19 decimals/]] as const) {
      const refused = await run(["fund", "7", amount]);
      assert.equal(refused.code, 2, `${amount}: exit 2`);
      assert.match(refused.stderr, message, amount);
    }
    const tooMuch = await run(["fund", "7", "99999"]);
    assert.equal(tooMuch.code, 2, "more than the regulator holds: exit 2");
    assert.match(tooMuch.stderr, /needs 99999\.[0-9]+ ETH: 99999 ETH to send and up to [0-9.]+ ETH for gas/, "it says what is sent and what is gas");
    assert.equal(await cli.rpc.request<string>("eth_getBalance", [cli.accounts[7], "latest"]), before, "nothing moved");
  });
});
