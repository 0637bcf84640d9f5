#!/usr/bin/env node
// The `carbon` command line: declares the commands and their options, and dispatches. Each command's
// module is required only when it runs, so --help and bad input answer at once.
import "./support/startup-cache"; // first: the modules below load from the startup cache (cli/support/startup-cache.ts)
import { Command, CommanderError, Option } from "commander";
import type { Flags } from "./commands/command";
import type { GlobalOptions, RendererName } from "./dispatch";
import { EXIT, UsageError } from "./support/errors";
import { closestName } from "./support/suggest";

// `carbon … | head`: a reader that stops reading early is not an error, and no stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

const COLOR_MODES = ["auto", "always", "never"] as const;

const program = new Command("carbon")
  .description("The carbon emission trading market: scripted commands, or an interactive session when run without one.")
  .version(packageVersion(), "-V, --version", "print the version")
  .option("--rpc <url>", "the node's URL (default: $CARBON_RPC_URL, else http://127.0.0.1:8545)")
  .option("--network <name>", "a network of truffle-config.js instead of a URL")
  .option("--json", "print one JSON object instead of text (errors too, on stdout)")
  .addOption(new Option("--color <when>", "colour: auto (a terminal, unless NO_COLOR is set), always, never").choices(COLOR_MODES).default("auto"))
  .option("--debug", "show stack traces")
  .helpOption("-h, --help", "show help")
  .helpCommand("help [command]", "show a command's help")
  .configureHelp({ showGlobalOptions: true })
  .showSuggestionAfterError(true)
  .exitOverride()
  // With --json a usage error is the one JSON object on stdout (printed in main), nothing on stderr.
  .configureOutput({ outputError: (text, write) => (wantsJson() ? undefined : write(text)) });

function wantsJson(): boolean {
  return process.argv.slice(2).includes("--json");
}

/** The exit codes, as every command's --help lists them (cli/support/errors.ts holds them; scripts branch on them, so they never change meaning). */
const EXIT_CODES_HELP = `
Exit codes:
  0    done
  1    the contract said no (an outcome with isSuccess=false, a failed login)
  2    bad input or usage, refused before anything is sent
  3    no node, a node that answers garbage, or no market on it
  4    sent, outcome unknown (the hash is printed; settle it with \`carbon tx <hash>\`)
  130  cancelled (Ctrl+C)`;

function packageVersion(): string {
  const { PROJECT_ROOT } = require("./chain/home") as typeof import("./chain/home");
  return (require(require("node:path").join(PROJECT_ROOT, "package.json")) as { version: string }).version;
}

let status: Promise<number> = Promise.resolve(EXIT.ok);

/** The action of a scripted command: its positional arguments and flags go to dispatch.ts. */
function dispatch(name: string, renderer: RendererName) {
  return (...parameters: unknown[]) => {
    const command = parameters[parameters.length - 1] as Command;
    // A variadic last argument (auction bid's bids) takes every word left; otherwise extra words are dropped.
    const variadic = command.registeredArguments.at(-1)?.variadic === true;
    const args = variadic ? command.args : command.args.slice(0, command.registeredArguments.length);
    const globals = program.opts<GlobalOptions>();
    status = (require("./dispatch") as typeof import("./dispatch")).runCommand(name, renderer, args, command.opts<Flags>(), globals);
  };
}

function fromOption(what: string): Option {
  return new Option("--from <account>", `the sender (default: ${what})`);
}

const account = "a name (the market's, or one of your wallets'), a 0x address, or an index into the node's accounts";

/** --limit and --offset of the listing commands (cli/commands/paging.ts). */
function paged(command: Command, what: string, defaultLimit: number): Command {
  return command.option("--limit <n>", `${what} per page (default ${defaultLimit})`).option("--offset <n>", `skip this many ${what} (default 0)`);
}

paged(program.command("accounts").description("the node's accounts with role, carbon balance and ether"), "accounts", 100).action(dispatch("accounts", "accounts"));

program
  .command("register")
  .description("register an account as a customer (newCustomer) or a seller (newSeller)")
  .argument("<role>", "customer or seller")
  .argument("<account>", account)
  .option("--name <name>", "the display name others see, unique in the market (1 to 32 bytes; not only digits, not 0x…)")
  .option("--password <pw>", "the password (visible to other users of this machine; prefer --password-stdin)")
  .option("--password-stdin", "read the password from standard input")
  .action(dispatch("register", "outcome"));

program
  .command("rename")
  .description("change a registered account's display name (setName), as the account itself")
  .argument("<account>", account)
  .argument("<name>", "the new name, unique in the market (1 to 32 bytes; not only digits, not 0x…)")
  .action(dispatch("rename", "outcome"));

program
  .command("login")
  .description("check an account's password against the chain, and say its role")
  .argument("<account>", account)
  .option("--password <pw>", "the password")
  .option("--password-stdin", "read the password from standard input")
  .action(dispatch("login", "login"));

program
  .command("issue")
  .description("issue quota to a customer (sendCarbonToCustomer), as the regulator; or to every customer, or to each line of a CSV")
  .argument("[customer]", account)
  .argument("[amount]", "a whole number from 1 to 2^256-1")
  .option("--all <amount>", "issue this amount to every registered customer (frozen ones are skipped), one transaction each")
  .option("--file <csv>", "issue to each line's account its amount: `account,amount` lines")
  .addOption(fromOption("the regulator"))
  .addHelpText("after", "\nExamples:\n  $ carbon issue 0x70997970c51812dc3a010c7d01b50e0d17dc79c8 100\n  $ carbon issue --all 100\n  $ carbon issue --file amounts.csv")
  .action((...parameters: unknown[]) => {
    const flags = (parameters[parameters.length - 1] as Command).opts<Flags>();
    return (flags.all !== undefined || flags.file !== undefined ? dispatch("issue-bulk", "bulk") : dispatch("issue", "outcome"))(...parameters);
  });

program
  .command("add-carbon")
  .description("publish a lot for sale (addCarbon), as the seller")
  .argument("<seller>", account)
  .argument("<carbonId>", "the lot's ID: 1 to 32 bytes")
  .argument("<price>", "a whole number from 1 to 2^256-1")
  .addOption(fromOption("the seller"))
  .action(dispatch("add-carbon", "outcome"));

program
  .command("buy")
  .description("buy a lot (buyCarbon), as the customer")
  .argument("<customer>", account)
  .argument("<carbonId>", "the lot's ID")
  .addOption(fromOption("the customer"))
  .action(dispatch("buy", "outcome"));

program
  .command("settle")
  .description("settle proceeds with the authority (settleCarbon), as the seller")
  .argument("<seller>", account)
  .argument("<amount>", "a whole number from 1 to 2^256-1")
  .addOption(fromOption("the seller"))
  .action(dispatch("settle", "outcome"));

program.command("balance").description("an account's carbon as a customer and as a seller").argument("<account>", account).action(dispatch("balance", "balance"));

program
  .command("carbons")
  .description("lots, in publication order")
  .option("--seller <account>", "only the lots this seller published")
  .option("--customer <account>", "only the lots this customer bought")
  .option("--unsold", "only the lots still for sale")
  .option("--limit <n>", "lots per page (default 20)")
  .option("--offset <n>", "skip this many lots (default 0)")
  .action(dispatch("carbons", "lots"));

program.command("carbon").description("one lot").argument("<carbonId>", "the lot's ID").action(dispatch("carbon", "lot"));

paged(program.command("records").description("an account's latest history, from the chain's events").argument("<account>", account), "records", 50)
  .option("--before <cursor>", "only records older than this cursor (printed as the next page's)")
  .action(dispatch("records", "records"));

program
  .command("tx")
  .description("a transaction's receipt: status, block, from/to, method, decoded events, gas used and cost")
  .argument("<hash>", "the transaction hash (0x and 64 hex digits)")
  .option("--wait [seconds]", "wait for a pending transaction to be mined (default 60 s)")
  .action(dispatch("tx", "transaction"));

paged(program.command("market").description("supervision: totals, counts, frozen accounts, the latest trades"), "trades", 5)
  .option("--before <cursor>", "only trades older than this cursor")
  .action(dispatch("market", "market"));

program.command("freeze").description("freeze an account, as the regulator").argument("<account>", account).addOption(fromOption("the regulator")).action(dispatch("freeze", "outcome"));

program.command("unfreeze").description("lift a freeze, as the regulator").argument("<account>", account).addOption(fromOption("the regulator")).action(dispatch("unfreeze", "outcome"));

program
  .command("batch")
  .description("run many commands in one process: one per line from stdin (or --file), one JSON line each")
  .option("--file <path>", "read the commands from this file instead of standard input")
  .option("--keep-going", "run every line even after a failure (default: stop at the first), overlapping writes")
  .action((...parameters: unknown[]) => {
    const command = parameters[parameters.length - 1] as Command;
    const batch = require("./commands/batch") as typeof import("./commands/batch");
    status = batch.runBatch(batch.parseBatch(command.opts<Flags>()), { ...program.opts<GlobalOptions>(), json: true });
  });

// ---------------------------------------------------------------- wallets (the wallet helper's block)
// Keys of one's own (cli/wallet/): the wallet commands, and the password that unlocks a wallet-held
// sender for every command that sends.
const walletAction = (sub: import("./commands/wallet").WalletSubcommand) => (...parameters: unknown[]) => {
  const command = parameters[parameters.length - 1] as Command;
  const args = command.args.slice(0, command.registeredArguments.length);
  status = (require("./commands/wallet") as typeof import("./commands/wallet")).runWallet(sub, args, command.opts<Flags>(), program.opts<GlobalOptions>());
};
const walletPassword = (command: Command) =>
  command.option("--password <pw>", "the wallet's password (visible to other users of this machine; prefer --password-stdin or CARBON_PASSWORD)").option("--password-stdin", "read the password from standard input");
const wallet = program.command("wallet").description("keys of one's own: encrypted keystores under $CARBON_HOME/wallets");
walletPassword(wallet.command("create").description("a new key, encrypted with a password (asked twice at a terminal)").option("--name <name>", "a name to use instead of the address")).action(walletAction("create"));
walletPassword(
  wallet
    .command("import")
    .description("an existing private key, from standard input or a hidden prompt")
    .option("--name <name>", "a name to use instead of the address")
    .option("--mnemonic-index <i>", "the i-th account of CARBON_MNEMONIC instead (e.g. 0, the regulator of a chain started with it)")
    .option("--class-account <i>", "the i-th key of the class chain served from this CARBON_HOME instead (0: the regulator)"),
).action(walletAction("import"));
wallet.command("list").description("the wallets: address, name, file").action(walletAction("list"));
wallet.command("address").description("the address of a wallet").argument("<name>", "a wallet's name").action(walletAction("address"));
for (const sub of wallet.commands) sub.addHelpText("after", EXIT_CODES_HELP);
for (const name of ["issue", "add-carbon", "buy", "settle", "freeze", "unfreeze"]) {
  walletPassword(program.commands.find((command) => command.name() === name)!);
}
program.hook("preAction", (_program, command) => {
  (require("./wallet/password-flags") as typeof import("./wallet/password-flags")).recordPasswordFlags(command.opts());
});
// ---------------------------------------------------------------- end of the wallets block

// ---------------------------------------------------------------- the order book
const examples = (...lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ ${line}`).join("\n")}`;

paged(program.command("registered").description("the market's accounts, by name: every registered one, or its customers, sellers, verifiers or frozen accounts"), "accounts", 100)
  .argument("[list]", "customers, sellers, verifiers or frozen (default: every registered account)")
  .addHelpText("after", examples("carbon registered", "carbon registered customers --json", "carbon registered frozen"))
  .action(dispatch("registered", "registered"));
const placeOrder = (side: "bid" | "ask", what: string) =>
  walletPassword(
    program
      .command(side)
      .description(what)
      .argument("<customer>", account)
      .argument("<quantity>", "whole units of quota, at least 10")
      .argument("<price>", "ether a unit, e.g. 0.01: whole ticks of 0.0001, up to 6.5535")
      .option("--expires <duration>", "how long it rests, e.g. 30m, 12h, 1d, 2w (default: until cancelled)")
      .option("--max-matches <n>", "the most resting orders it may meet in this call, 0 to 100 (default 10)")
      .addOption(fromOption("the customer")),
  );
placeOrder("bid", "bid for quota at up to a price: quantity × price in ether is escrowed; it trades at once with the cheapest asks")
  .addHelpText("after", examples("carbon bid 1 20 0.01", "carbon bid 1 50 0.0125 --expires 1d --max-matches 5"))
  .action(dispatch("bid", "placement"));
placeOrder("ask", "offer quota at no less than a price: the quantity is escrowed; it trades at once with the highest bids")
  .addHelpText("after", examples("carbon ask 2 20 0.012", "carbon ask 2 100 0.015 --expires 12h"))
  .action(dispatch("ask", "placement"));
walletPassword(program.command("cancel").description("cancel an open order of one's own; its escrow comes back").argument("<customer>", account).argument("<orderId>", "the order's ID (as bid/ask/orders print it)"))
  .addHelpText("after", examples("carbon cancel 1 7"))
  .action(dispatch("cancel", "outcome"));
walletPassword(program.command("withdraw").description("take the ether the book credited to a customer: its filled asks' proceeds, its bids' escrow returned by others' calls").argument("<customer>", account))
  .addHelpText("after", examples("carbon withdraw 1", "carbon withdraw 1 --json"))
  .action(dispatch("withdraw", "withdrawal"));
walletPassword(
  program
    .command("prune")
    .description("remove the orders at one price that can no longer trade (expired, or a frozen owner's), returning their escrow; anybody may")
    .argument("<account>", `who sends it and pays its gas: ${account}`)
    .argument("<side>", "bid or ask")
    .argument("<price>", "the level's price, ether a unit")
    .option("--max <n>", "the most orders to look at, 1 to 20 (default 20)"),
)
  .addHelpText("after", examples("carbon prune 1 ask 0.012", "carbon prune 1 bid 0.0105 --max 5"))
  .action(dispatch("prune", "sweep"));
paged(program.command("orders").description("the open orders in the order they would trade, or one account's orders (--mine)"), "orders", 50)
  .option("--mine <account>", "every order of this account, open or not, oldest first")
  .addHelpText("after", examples("carbon orders", "carbon orders --mine 1 --json"))
  .action(dispatch("orders", "orders"));
program
  .command("book")
  .description("the book's depth by price level (asks above, bids below), the band and whether trading is halted")
  .option("--levels <n>", "price levels of each side (default 10)")
  .addHelpText("after", examples("carbon book", "carbon book --json   # { bids: [...], asks: [...] }"))
  .action(dispatch("book", "book"));
paged(program.command("trades").description("the book's trades from the chain's Trade events, newest first"), "trades", 50)
  .option("--csv", "CSV with a header row instead of a table")
  .addHelpText("after", examples("carbon trades", "carbon trades --csv --limit 1000 > trades.csv"))
  .action(dispatch("trades", "trades"));
program
  .command("chart")
  .description("price and volume of the latest trades over time, drawn in the terminal")
  .option("--limit <n>", "the latest trades to draw (default 500)")
  .option("--height <rows>", "rows of the price chart (default 10)")
  .addHelpText("after", examples("carbon chart", "carbon chart --limit 100 --height 15"))
  .action(dispatch("chart", "chart"));
program
  .command("watch")
  .description("a live feed of new orders, trades and cancels as blocks arrive, until Ctrl+C")
  .option("--count <n>", "stop after this many events (exit 0)")
  .addHelpText("after", examples("carbon watch", "carbon watch --json | jq .   # one JSON object a line", "carbon watch --count 1   # wait for the next event"))
  .action((...parameters: unknown[]) => {
    const command = parameters[parameters.length - 1] as Command;
    const watch = require("./commands/watch") as typeof import("./commands/watch");
    status = watch.runWatch(watch.parse([], command.opts<Flags>()), program.opts<GlobalOptions>());
  });
walletPassword(
  program
    .command("band")
    .description("show the daily price band and its reference; with <bps>, set it, as the regulator: ± basis points of the reference price")
    .argument("[bps]", "basis points, 0 to 10000 (1000 is ±10%; 0 lifts the band)")
    .option("--reference <ether>", "the price the band is centred on, ether a unit (default: keep the current one; a first band needs one)")
    .addOption(fromOption("the regulator")),
)
  .addHelpText("after", examples("carbon band                            # the band, its reference, today's volume", "carbon band 1000 --reference 0.012     # ±10% of 0.012 ETH", "carbon band 500                        # ±5% of the current reference", "carbon band 0                          # no band"))
  .action((bps: string | undefined, ...rest: unknown[]) => (bps === undefined ? dispatch("band-show", "band") : dispatch("band", "tradingStatus"))(bps, ...rest));
walletPassword(program.command("halt").description("halt trading, as the regulator: no order can be placed; cancelling still works").addOption(fromOption("the regulator")))
  .addHelpText("after", examples("carbon halt"))
  .action(dispatch("halt", "tradingStatus"));
walletPassword(program.command("resume").description("resume trading after a halt, as the regulator").addOption(fromOption("the regulator")))
  .addHelpText("after", examples("carbon resume"))
  .action(dispatch("resume", "tradingStatus"));
// ---------------------------------------------------------------- end of the order book's block
// ---------------------------------------------------------------- the compliance cycle
// Periods under a cap, verifiers, reports, surrender, enforcement, the compliance table, and a
// development chain's clock. Each command is one module of commands/, as above.
const whole = "a whole number from 1 to 2^256-1";
const when = "a date (2026-12-31: the end of that day, UTC), a moment (2026-12-31T12:00:00Z) or a time after the chain's clock (+30d)";
const complianceGroups: Command[] = [];

const period = program.command("period").description("compliance periods: open one under a cap, show it, close it (the regulator)");
complianceGroups.push(period);
period
  .command("open")
  .description("open a period: its cap, reporting and surrender deadlines and penalty rate (one open at a time)")
  .argument("<label>", 'the period\'s name, e.g. "2026"')
  .requiredOption("--cap <n>", `the most quota issued in the period: ${whole}`)
  .requiredOption("--report-by <when>", `the reporting deadline: ${when}`)
  .requiredOption("--surrender-by <when>", "the surrender deadline, after the reporting one: same forms")
  .requiredOption("--penalty-rate <n>", "the penalty per tonne short (for status C, per tonne allocated): a whole number from 0")
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples("carbon period open 2026 --cap 10000 --report-by +30d --surrender-by +60d --penalty-rate 100", "carbon period open 2027 --cap 9000 --report-by 2027-03-31 --surrender-by 2027-04-30 --penalty-rate 100 --json"))
  .action(dispatch("period-open", "outcome"));
period
  .command("show")
  .description("a period: cap and allocation, deadlines on the chain's clock, where it stands")
  .argument("[period]", "its label (default: the latest period)")
  .addHelpText("after", examples("carbon period show", "carbon period show 2026 --json"))
  .action(dispatch("period-show", "period"));
period
  .command("close")
  .description("close a period after its surrender deadline: statuses become final")
  .argument("[period]", "its label (default: the latest period)")
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples("carbon period close", "carbon enforce   (then: freeze and fine every B or C account)"))
  .action(dispatch("period-close", "outcome"));

const verifier = program.command("verifier").description("verifiers: accredited by the regulator, appointed by a customer, accepted by the verifier");
complianceGroups.push(verifier);
verifier
  .command("accredit")
  .description("accredit a verifier, as the regulator")
  .argument("<account>", account)
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples("carbon verifier accredit 6"))
  .action(dispatch("verifier-accredit", "outcome"));
verifier
  .command("revoke")
  .description("revoke a verifier's accreditation, as the regulator")
  .argument("<account>", account)
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples("carbon verifier revoke 6"))
  .action(dispatch("verifier-revoke", "outcome"));
verifier.command("list").description("the accredited verifiers").addHelpText("after", examples("carbon verifier list --json")).action(dispatch("verifier-list", "verifiers"));
verifier
  .command("appoint")
  .description("appoint an accredited verifier for the open period, as the customer (the first key)")
  .argument("<customer>", account)
  .argument("<verifier>", account)
  .addOption(fromOption("the customer"))
  .addHelpText("after", examples("carbon verifier appoint 1 6", "carbon verifier accept 6 1   (the second key)"))
  .action(dispatch("verifier-appoint", "outcome"));
verifier
  .command("accept")
  .description("accept a customer's appointment, as the verifier (the second key)")
  .argument("<verifier>", account)
  .argument("<customer>", account)
  .addOption(fromOption("the verifier"))
  .addHelpText("after", examples("carbon verifier accept 6 1"))
  .action(dispatch("verifier-accept", "outcome"));

program
  .command("report")
  .description("report the open period's emissions, as the customer, with the hash of the evidence document")
  .argument("<customer>", account)
  .argument("<tonnes>", whole)
  .option("--evidence <file|hash>", "the emissions report: a file (its keccak256 is sent) or the hash itself (0x and 64 hex digits)")
  .addOption(fromOption("the customer"))
  .addHelpText("after", examples("carbon report 1 800 --evidence emissions-2026.pdf", "carbon report 1 800 --evidence 0x5f16f4c7f149ac4f9510d9cf8cf384038ad348b3bcdc01915f95de12df9d1b02 --json"))
  .action(dispatch("report", "outcome"));

program
  .command("verify")
  .description("approve a customer's report, or reject it with a reason, as its verifier")
  .argument("<verifier>", account)
  .argument("<customer>", account)
  .option("--approve", "confirm the reported emissions")
  .option("--reject <reason>", "send the report back, saying why (the customer corrects it and reports again)")
  .addOption(fromOption("the verifier"))
  .addHelpText("after", examples("carbon verify 6 1 --approve", 'carbon verify 6 1 --reject "the evidence covers only one plant"'))
  .action(dispatch("verify", "outcome"));

program
  .command("correct")
  .description("correct a customer's verified emissions, as the regulator, with a reason kept in the history")
  .argument("<customer>", account)
  .argument("<tonnes>", "a whole number from 0 to 2^256-1")
  .option("--reason <text>", "why (it stays on the chain)")
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples('carbon correct 1 850 --reason "audit found a missing boiler"'))
  .action(dispatch("correct", "outcome"));

program
  .command("estimate")
  .description("estimate a silent customer's emissions, as the regulator, after the reporting deadline: a C account is enforced on it + 10 %")
  .argument("<customer>", account)
  .argument("<tonnes>", "a whole number from 1 to 2^96-1: a conservative estimate")
  .option("--reason <text>", "how it was estimated (it stays on the chain)")
  .option("--period <label>", "the period (default: the latest period)")
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples('carbon estimate 3 500 --reason "kiln capacity x the sector intensity"', "carbon estimate 3 500 --reason inspection --period 2026 && carbon enforce 2026"))
  .action(dispatch("estimate", "outcome"));

program
  .command("surrender")
  .description("surrender quota, as the customer: it leaves the balance for good, paying a shortfall owed first, then the open period's obligation")
  .argument("<customer>", account)
  .argument("<amount>", whole)
  .addOption(fromOption("the customer"))
  .addHelpText("after", examples("carbon surrender 1 800", "carbon surrender 2 250   (after enforcement: pays the shortfall first)"))
  .action(dispatch("surrender", "outcome"));

program
  .command("enforce")
  .description("after closing: freeze and fine every B or C account of a period, one transaction each, as the regulator")
  .argument("[period]", "its label (default: the latest period)")
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples("carbon period close && carbon enforce", "carbon enforce 2026 --json"))
  .action(dispatch("enforce", "enforcement"));

program
  .command("compliance")
  .description("the compliance table: account, allocated, verified, surrendered, status (A, B, C, pending), penalty")
  .argument("[period]", "its label (default: the latest period)")
  .option("--csv", "comma-separated values with a header row, for a spreadsheet")
  .addHelpText("after", examples("carbon compliance", "carbon compliance 2026 --csv > compliance-2026.csv", "carbon compliance --json"))
  .action(dispatch("compliance", "compliance"));

program
  .command("obligation")
  .description("one customer's record in a period: report, verifier, verified emissions, surrenders, status, penalty, what it still owes")
  .argument("<customer>", account)
  .argument("[period]", "its label (default: the latest period)")
  .addHelpText("after", examples("carbon obligation 1", "carbon obligation 2 2026 --json"))
  .action(dispatch("obligation", "obligation"));

const regulatorGroup = program.command("regulator").description("the regulator, handed over in two steps: the regulator proposes, the proposed account accepts");
complianceGroups.push(regulatorGroup);
regulatorGroup
  .command("propose")
  .description("propose a successor, as the regulator: nothing changes until it accepts")
  .argument("[address]", account)
  .option("--withdraw", "take a proposal back")
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples("carbon regulator propose 0x1234...abcd", "carbon regulator propose --withdraw"))
  .action(dispatch("regulator-propose", "outcome"));
regulatorGroup
  .command("accept")
  .description("accept the handover, as the proposed account: it is the regulator of the market, its compliance cycle and its order book from then on")
  .addOption(fromOption("the proposed account"))
  .addHelpText("after", examples("carbon regulator accept --from 9"))
  .action(dispatch("regulator-accept", "outcome"));
regulatorGroup.command("show").description("the regulator now, and the account proposed to succeed it").addHelpText("after", examples("carbon regulator show --json")).action(dispatch("regulator-show", "regulator"));

program
  .command("fund")
  .description("send an account ether for bids' escrow and gas: from the class chain's faucet (the teacher's machine only), else from the regulator or --from")
  .argument("<account>", account)
  .argument("<ether>", "an amount of ether such as 5 or 0.5")
  .addOption(new Option("--from <account>", "send it from this account instead of the faucet (default off a class chain: the regulator)"))
  .addHelpText("after", examples("carbon fund 0x1234...abcd 5", "carbon fund 3 0.5 --from 0 --json"))
  .action(dispatch("fund", "funded"));

const time = program.command("time").description("the chain's clock (development chains only)");
complianceGroups.push(time);
time
  .command("advance")
  .description("move a development chain's clock forward (Ganache, anvil: evm_increaseTime and evm_mine); refused on any other node")
  .argument("<duration>", "a whole number and a unit, s m h d or w: 30d, 12h, 1d12h")
  .addHelpText("after", examples("carbon time advance 31d", "carbon time advance 1d12h --json"))
  .action(dispatch("time-advance", "clock"));

for (const group of complianceGroups) for (const sub of group.commands) sub.addHelpText("after", EXIT_CODES_HELP);
for (const sub of [...period.commands, ...verifier.commands, ...regulatorGroup.commands].filter((c) => !["show", "list"].includes(c.name()))) walletPassword(sub);
for (const name of ["report", "verify", "correct", "estimate", "surrender", "enforce"]) walletPassword(program.commands.find((command) => command.name() === name)!);
// ---------------------------------------------------------------- end of the compliance block

// ---------------------------------------------------------------- the lesson
// Firms with abatement costs, rounds under a cut, the class's results against theory (docs/lesson.md).
const lessonGroup = program.command("lesson").description("the cap-and-trade lesson: firms with abatement costs, rounds, results against theory");
lessonGroup
  .command("setup")
  .description("give every customer without a firm a firm drawn from a seed, as the regulator (and accredit the lesson as the firms' verifier)")
  .option("--seed <n>", "the draw's seed: the same seed gives the same firms (default 1)")
  .option("--baseline <t>", "emissions per round, tonnes, or a range (default 80-120)")
  .option("--blocks <n>", "blocks in each schedule, 1 to 8 (default 3)")
  .option("--tonnes <t>", "tonnes per block, or a range (default 10-30)")
  .option("--cost <ether>", "cost per tonne, ether, or a range (default 0.001-0.03)")
  .option("--automatic <n>", "first add n automatic firms: customers this machine plays with `carbon lesson play` (keys in CARBON_HOME)")
  .option("--ether <ether>", "ether given to each automatic firm for abatement, bids and gas (default 10)")
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples("carbon lesson setup", "carbon lesson setup --seed 7 --cost 0.002-0.05 --json", "carbon lesson setup --automatic 25"))
  .action(dispatch("lesson-setup", "bulk"));
const lessonRound = lessonGroup.command("round").description("the lesson's rounds: each a compliance period under the class's baseline less a cut");
lessonRound
  .command("open")
  .description("open the next round, as the regulator: the period, its cut, and the free allocation (shared in proportion to the firms' baselines)")
  .requiredOption("--cut <percent>", "the share of the class's baseline to cut, e.g. 30%")
  .option("--free <percent>", "the share of the cap issued free (default 100%); the rest is sold at auction")
  .option("--reserve <ether>", "with --free under 100%: the auction's reserve, ether a unit (default: the cheapest tonne of any schedule)")
  .option("--max-share <percent>", "with --free under 100%: the most one firm may bid for, as a share of the auction (default 25%)")
  .option("--bids-by <when>", "with --free under 100%: sealed bids end (default +1d)")
  .option("--reveal-by <when>", "with --free under 100%: reveals end, before --report-by (default +2d)")
  .option("--report-by <when>", `abatement and reports end: ${when} (default +7d)`)
  .option("--surrender-by <when>", "surrenders end: same forms (default +14d)")
  .option("--penalty <ether>", "ether per tonne short (default: twice the dearest tonne of any schedule)")
  .option("--label <label>", 'the period\'s name (default "Round N")')
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples("carbon lesson round open --cut 30%", "carbon lesson round open --cut 40% --free 50% --reserve 0.0020 --report-by +3d --surrender-by +4d"))
  .action(dispatch("lesson-round-open", "lessonRound"));
lessonRound
  .command("close")
  .description("close the open round after its surrender deadline, as the regulator, and enforce it on every firm (silent firms at the lesson's figure)")
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples("carbon time advance 15d && carbon lesson round close"))
  .action(dispatch("lesson-round-close", "lessonClose"));
lessonGroup
  .command("firm")
  .description("a firm: its baseline, its schedule and what each block costs, this round's abatement, emissions and what is left to cover")
  .argument("<firm>", account)
  .addHelpText("after", examples("carbon lesson firm ana", "carbon lesson firm 3 --json"))
  .action(dispatch("lesson-firm", "firm"));
lessonGroup
  .command("abate")
  .description("abate tonnes in the open round, as the firm, paying its schedule's cost in ether (cheapest blocks first)")
  .argument("<firm>", account)
  .argument("<tonnes>", whole)
  .addHelpText("after", examples("carbon lesson abate ana 10", "carbon lesson abate 3 25 --json"))
  .action(dispatch("lesson-abate", "abated"));
lessonGroup
  .command("report")
  .description("report the round's emissions as the chain recorded them, appoint the lesson as verifier and have it verify, as the firm")
  .argument("<firm>", account)
  .addHelpText("after", examples("carbon lesson report ana", "carbon surrender ana 70   (then: cover the emissions)"))
  .action(dispatch("lesson-report", "lessonReport"));
lessonGroup
  .command("play")
  .description("the automatic firms play the open round: abate at the price they expect, offer and bid on the book, abate what they could not buy, report, surrender")
  .option("--seed <n>", "varies the firms' prices a little around the expected one (default 1)")
  .addHelpText("after", examples("carbon lesson play", "carbon lesson play --json"))
  .action(dispatch("lesson-play", "lessonPlay"));
lessonGroup
  .command("results")
  .description("the rounds against theory (equilibrium price, least, actual and uniform-standard cost, efficiency), charts, and the leaderboard")
  .option("--csv", "one row per firm and round, as CSV")
  .addHelpText("after", examples("carbon lesson results", "carbon lesson results --csv > lesson.csv", "carbon lesson results --json"))
  .action(dispatch("lesson-results", "lessonResults"));
for (const sub of [...lessonGroup.commands, ...lessonRound.commands]) sub.addHelpText("after", EXIT_CODES_HELP);
for (const sub of [...lessonGroup.commands.filter((c) => !["firm", "results", "round", "play"].includes(c.name())), ...lessonRound.commands]) walletPassword(sub);
// ---------------------------------------------------------------- end of the lesson block

// ---------------------------------------------------------------- the auction
// Quota sold by a sealed-bid uniform-price auction with a reserve (docs/lesson.md).
const auctionGroup = program.command("auction").description("the allowance auction: sealed bids, one clearing price, escrow returned exactly");
auctionGroup
  .command("open")
  .description("open an auction of quota, as the regulator: bids sealed until --bids-by, revealed until --reveal-by")
  .option("--supply <units>", "the units of quota sold (required)")
  .option("--reserve <ether>", "the lowest price sold at, ether a unit, whole ticks of 0.0001 (required)")
  .option("--max-share <percent>", "the most one bidder may bid for, as a share of the supply (default 100%)")
  .option("--bids-by <when>", `sealed bids end: ${when} (default +1d)`)
  .option("--reveal-by <when>", "reveals end: same forms (default +2d)")
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples("carbon auction open --supply 300 --reserve 0.0010 --max-share 25%", "carbon auction open --supply 300 --reserve 0.0010 --bids-by +1h --reveal-by +2h --json"))
  .action(dispatch("auction-open", "auction"));
auctionGroup
  .command("show")
  .description("the current auction (or --id N): terms, phase, the revealed bids by price, and once cleared the price and each bidder's part")
  .option("--id <n>", "an earlier auction")
  .addHelpText("after", examples("carbon auction show", "carbon auction show --id 0 --json"))
  .action(dispatch("auction-show", "auction"));
auctionGroup
  .command("bid")
  .description("seal bids in the current auction, as the customer: up to 4, at falling prices, with their ether in escrow (kept here until revealed)")
  .argument("<customer>", "an address, an account's index, or a wallet's name")
  .argument("<bids...>", "units@price in ether a unit, e.g. 50@0.0040 20@0.0030")
  .option("--escrow <ether>", "ether to add to the escrow (default: what the bids need, less what you put up already)")
  .addHelpText("after", examples("carbon auction bid ana 50@0.0040 20@0.0030", "carbon auction bid 3 40@0.0050 --escrow 0.5 --json"))
  .action(dispatch("auction-bid", "auctionBids"));
auctionGroup
  .command("reveal")
  .description("reveal the bids sealed from this machine, as the customer, after the bids' deadline")
  .argument("<customer>", "an address, an account's index, or a wallet's name")
  .addHelpText("after", examples("carbon auction reveal ana"))
  .action(dispatch("auction-reveal", "auctionBids"));
auctionGroup
  .command("clear")
  .description("clear the current auction after its reveal deadline (anyone may): the price where the bids meet the supply")
  .addOption(fromOption("the regulator"))
  .addHelpText("after", examples("carbon time advance 2d && carbon auction clear", "carbon auction clear --from 3 --json"))
  .action(dispatch("auction-clear", "auction"));
auctionGroup
  .command("settle")
  .description("settle a bidder of the cleared auction (anyone may): its quota issued, the clearing price paid, the rest of its escrow returned")
  .argument("[customer]", "an address, an account's index, or a wallet's name")
  .option("--all", "every bidder not yet settled")
  .addOption(fromOption("the customer itself, or the regulator with --all"))
  .addHelpText("after", examples("carbon auction settle ana", "carbon auction settle --all --json"))
  .action(dispatch("auction-settle", "bulk"));
auctionGroup
  .command("withdraw")
  .description("take the ether the auction credited to an account: a refund settled by another, or the regulator's revenue")
  .argument("<account>", "an address, an account's index, or a wallet's name")
  .addHelpText("after", examples("carbon auction withdraw ana", "carbon auction withdraw 0"))
  .action(dispatch("auction-withdraw", "withdrawal"));
for (const sub of auctionGroup.commands) sub.addHelpText("after", EXIT_CODES_HELP);
for (const sub of auctionGroup.commands.filter((c) => c.name() !== "show")) walletPassword(sub);
// ---------------------------------------------------------------- end of the auction block

const interactive = () => {
  const { runInteractive, requireTerminal } = require("./interactive") as typeof import("./interactive");
  const { rpc, network } = program.opts<GlobalOptions>();
  status = (async () => {
    requireTerminal();
    // A node that goes away (the teacher's chain restarted) is waited for; the user stays signed in.
    const { awaitNodeBack } = require("./start/node-gone") as typeof import("./start/node-gone");
    await runInteractive({ rpc, network, onNodeGone: (market) => awaitNodeBack(market.rpc.url, market.label) });
    return EXIT.ok;
  })();
};
program.command("interactive").description("the interactive session (also what `carbon` alone runs)").action(interactive);

// `carbon` alone opens the session; `carbon <something unknown>` is a usage error, not a session.
program.allowExcessArguments(true).action(() => {
  if (program.args.length === 0) return interactive();
  const unknown = program.args[0];
  const near = closestName(unknown, program.commands.map((c) => c.name()));
  const hint = near ? `did you mean \`carbon ${near}\`?` : "see `carbon --help`";
  status = Promise.reject(new UsageError(`unknown command '${unknown}'; ${hint}`));
});

for (const command of program.commands) command.addHelpText("after", EXIT_CODES_HELP);
program.addHelpText("after", EXIT_CODES_HELP);

// Colour is decided before anything prints: --color never (or NO_COLOR) also reaches the prompts,
// which read NO_COLOR themselves.
program.hook("preAction", () => {
  const { setColourMode } = require("./render/colours") as typeof import("./render/colours");
  setColourMode(program.opts<GlobalOptions>().json ? "never" : program.opts<GlobalOptions>().color ?? "auto");
});

async function main(): Promise<void> {
  try {
    program.parse();
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version are not failures; every other complaint of commander's is bad usage.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      if (process.exitCode && wantsJson()) {
        const { error: envelope } = require("./render/json") as typeof import("./render/json");
        process.stdout.write(JSON.stringify(envelope(error.message.replace(/^error: /, "").split("\n")[0], EXIT.usage)) + "\n");
      }
      return;
    }
    throw error;
  }
  try {
    process.exitCode = await status;
  } catch (error) {
    const { reportError } = require("./dispatch") as typeof import("./dispatch");
    process.exitCode = reportError(error, program.opts<GlobalOptions>());
  }
}

void main();
