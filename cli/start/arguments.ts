// The command lines of the start-up commands, declared with commander like the carbon CLI's. A
// wrong flag is a usage error (exit 2) with commander's own one-line message.
import { Command, CommanderError } from "commander";
import { EXIT } from "../support/errors";

export function command(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .option("--debug", "show the stack of an unexpected error")
    .helpOption("-h, --help", "show this help")
    .showHelpAfterError("(add --help for usage)")
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .exitOverride((error: CommanderError) => {
      const done = error.code === "commander.helpDisplayed" || error.code === "commander.help" || error.code === "commander.version";
      process.exit(done ? EXIT.ok : EXIT.usage);
    });
}

export interface MarketChoice {
  market?: string;
  newMarket?: boolean;
}

/** `--market` and `--new-market`, shared by npm start, migrate and demo. */
export function withMarketOptions(program: Command): Command {
  return program
    .option("--market <address>", "use this Carbon market (default: $CARBON_MARKET, else the one found on the chain)")
    .option("--new-market", "deploy another market even if the chain holds one (on purpose: others keep finding the oldest)");
}

/**
 * Passes the choice on the way every part of the product reads it: the environment, which Truffle's
 * migration and the session (child processes) inherit.
 */
export function applyMarketChoice({ market, newMarket }: MarketChoice): void {
  if (market) process.env.CARBON_MARKET = market;
  if (newMarket) process.env.CARBON_NEW_MARKET = "1";
  else delete process.env.CARBON_NEW_MARKET;
}
