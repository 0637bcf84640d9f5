#!/usr/bin/env node
// The `carbon` command line: declares the commands and their options, and dispatches. Each command's
// module is required only when it runs, so --help and bad input answer at once.
import "./startup-cache"; // first: the modules below load from the startup cache (cli/startup-cache.ts)
import { Command, CommanderError, Option } from "commander";
import type { Flags } from "./commands/command";
import type { GlobalOptions, RendererName } from "./dispatch";
import { EXIT, UsageError } from "./errors";
import { closestName } from "./suggest";

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

/** The exit codes, as every command's --help lists them (PLAN.md; cli/errors.ts holds them). */
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
    const args = command.args.slice(0, command.registeredArguments.length);
    const globals = program.opts<GlobalOptions>();
    status = (require("./dispatch") as typeof import("./dispatch")).runCommand(name, renderer, args, command.opts<Flags>(), globals);
  };
}

function fromOption(what: string): Option {
  return new Option("--from <account>", `the sender (default: ${what})`);
}

const account = "a 0x address, or an index into the node's accounts";

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
  .option("--password <pw>", "the password (visible to other users of this machine; prefer --password-stdin)")
  .option("--password-stdin", "read the password from standard input")
  .action(dispatch("register", "outcome"));

program
  .command("login")
  .description("check an account's password against the chain, and say its role")
  .argument("<account>", account)
  .option("--password <pw>", "the password")
  .option("--password-stdin", "read the password from standard input")
  .action(dispatch("login", "login"));

program
  .command("issue")
  .description("issue quota to a customer (sendCarbonToCustomer), as the regulator")
  .argument("<customer>", account)
  .argument("<amount>", "a whole number from 1 to 2^256-1")
  .addOption(fromOption("the regulator"))
  .action(dispatch("issue", "outcome"));

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

const interactive = () => {
  const { runInteractive, requireTerminal } = require("./interactive") as typeof import("./interactive");
  const { rpc, network } = program.opts<GlobalOptions>();
  status = (async () => {
    requireTerminal();
    await runInteractive({ rpc, network });
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
