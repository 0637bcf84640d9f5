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

export interface FaucetFlags {
  faucet?: string;
  grant?: string;
  grantsPerIp?: string;
}

/** A class chain's faucet, sized when it starts: `npm run chain` and `npm start` with --host. */
export function withFaucetOptions(program: Command): Command {
  return program
    .option("--faucet <ether>", "with --host on a new chain: the ether the faucet may give out in all (default 1000)")
    .option("--grant <ether>", "with --host: the ether each new key gets, for its bids' escrow and its gas (default 10)")
    .option("--grants-per-ip <n>", "with --host: how many keys asked for from one address get a grant (default 3)");
}

/** The faucet flags as the chain process takes them; a bad one is a usage error (exit 2). */
export function faucetChoice({ faucet, grant, grantsPerIp }: FaucetFlags): { grantWei: string; totalWei: string; grantsPerIp: number } {
  const { DEFAULT_FAUCET } = require("../gate/faucet") as typeof import("../gate/faucet");
  const { UsageError } = require("../support/errors") as typeof import("../support/errors");
  const wei = (text: string | undefined, flag: string, fallback: bigint): bigint => {
    if (text === undefined) return fallback;
    const match = /^(\d+)(?:\.(\d{1,18}))?$/.exec(text.trim());
    if (!match) throw new UsageError(`${flag} takes an amount of ether such as 10 or 2.5, not "${text}"`);
    const value = BigInt(match[1]) * 10n ** 18n + BigInt((match[2] ?? "").padEnd(18, "0") || "0");
    if (value <= 0n) throw new UsageError(`${flag} must be more than 0 ether`);
    return value;
  };
  const grantWei = wei(grant, "--grant", DEFAULT_FAUCET.grantWei);
  const totalWei = wei(faucet, "--faucet", DEFAULT_FAUCET.totalWei);
  if (grantWei > totalWei) throw new UsageError(`--grant (${grant}) is more than the whole faucet (--faucet)`);
  let perIp = DEFAULT_FAUCET.grantsPerIp;
  if (grantsPerIp !== undefined) {
    perIp = Number(grantsPerIp);
    if (!Number.isSafeInteger(perIp) || perIp < 1) throw new UsageError(`--grants-per-ip takes a whole number from 1, not "${grantsPerIp}"`);
  }
  return { grantWei: grantWei.toString(), totalWei: totalWei.toString(), grantsPerIp: perIp };
}
