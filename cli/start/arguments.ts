// The command lines of the start-up commands, declared with commander like the carbon CLI's. A
// wrong flag is a usage error (exit 2) with commander's own one-line message.
import { Command, CommanderError } from "commander";
import { EXIT } from "../errors";

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
