#!/usr/bin/env node
// The `carbon` command line: declares the commands and their options, and dispatches. Each command's
// module is required only when it runs, so --help and bad input answer at once.
import { Command, CommanderError, Option } from "commander";
import type { Flags } from "./commands/command";
import type { GlobalOptions, RendererName } from "./dispatch";
import { EXIT, UsageError } from "./errors";

const program = new Command("carbon")
  .description("The carbon emission trading market: scripted commands, or an interactive session when run without one.")
  .option("--rpc <url>", "the node's URL (default: $CARBON_RPC_URL, else http://127.0.0.1:8545)")
  .option("--network <name>", "a network of truffle-config.js instead of a URL")
  .option("--json", "print one JSON object instead of text")
  .option("--debug", "show stack traces")
  .helpOption("-h, --help", "show help")
  .showSuggestionAfterError(true)
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

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
  .addOption(fromOption("the account itself; the regulator may register others"))
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

const interactive = () => {
  const { runInteractive } = require("./interactive") as typeof import("./interactive");
  const { rpc, network } = program.opts<GlobalOptions>();
  status = runInteractive({ rpc, network }).then(() => EXIT.ok);
};
program.command("interactive").description("the interactive session (also what `carbon` alone runs)").action(interactive);

// `carbon` alone opens the session; `carbon <something unknown>` is a usage error, not a session.
program.allowExcessArguments(true).action(() => {
  if (program.args.length === 0) return interactive();
  status = Promise.reject(new UsageError(`unknown command '${program.args[0]}'; see \`carbon --help\``));
});

async function main(): Promise<void> {
  try {
    program.parse();
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version are not failures; every other complaint of commander's is bad usage.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      if (process.exitCode && process.argv.includes("--json")) {
        process.stdout.write(JSON.stringify({ ok: false, error: error.message.replace(/^error: /, ""), exitCode: EXIT.usage }) + "\n");
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
