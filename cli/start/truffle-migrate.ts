// `truffle migrate` against a node, the one way the product deploys: `npm start` when the market is
// missing, `npm run migrate` and `npm run demo` on demand. The migrations themselves decide what to
// do (1_deploy_market.js deploys once per chain; 2_demo_scenario.js runs only when asked).
import { spawn } from "node:child_process";
import { CarbonError, EXIT } from "../errors";
import { CHAIN_ID } from "../chain/ganache";
import { PROJECT_ROOT } from "../chain/home";
import { HttpRpc } from "../chain/rpc";
import { onShutdown } from "./shutdown";

/** Truffle's command-line entry, run with this Node rather than through the .bin shim. */
export const TRUFFLE_CLI = require.resolve("truffle/build/cli.bundled.js", { paths: [PROJECT_ROOT] });

/** Set for `npm run demo`: the only switch 2_demo_scenario.js listens to. */
export const DEMO_SWITCH = "CARBON_DEMO";

export interface MigrateOptions {
  url: string;
  /** Seed the classroom scenario too. */
  demo?: boolean;
  /** Show Truffle's output as it comes (npm run migrate), or keep it for an error message (npm start). */
  output: "inherit" | "capture";
}

export class MigrationError extends CarbonError {
  constructor(
    message: string,
    readonly output: string,
    /** Truffle's exit code, when it ran. */
    readonly truffleExitCode?: number,
  ) {
    super(message, EXIT.unavailable);
  }
}

/**
 * Which truffle-config network to use: `development` is pinned to network id 1337 (the embedded
 * chain's); `custom` accepts any id and signs locally when CARBON_MNEMONIC is set. So a mnemonic,
 * or a node with another id (anvil's 31337, a private chain's), means `custom`.
 */
async function truffleNetwork(url: string): Promise<"development" | "custom"> {
  if (process.env.CARBON_MNEMONIC) return "custom";
  const networkId = Number(await new HttpRpc(url).request<string>("net_version"));
  return networkId === CHAIN_ID ? "development" : "custom";
}

function migrateCommand({ url, demo, network }: Pick<MigrateOptions, "url" | "demo"> & { network: string }): { args: string[]; env: NodeJS.ProcessEnv } {
  const args = [TRUFFLE_CLI, "migrate", "--network", network, ...(demo ? ["--quiet"] : [])];
  // CARBON_MARKET and CARBON_NEW_MARKET (--market, --new-market) pass through to 1_deploy_market.js.
  const env: NodeJS.ProcessEnv = { ...process.env, CARBON_RPC_URL: url };
  if (demo) env[DEMO_SWITCH] = "1";
  else delete env[DEMO_SWITCH];
  return { args, env };
}

export async function truffleMigrate(options: MigrateOptions): Promise<string> {
  const { args, env } = migrateCommand({ ...options, network: await truffleNetwork(options.url) });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: PROJECT_ROOT,
      env,
      stdio: options.output === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"],
    });
    // A Ctrl+C reaches Truffle through the terminal; a SIGTERM sent to us alone must stop it too.
    const forget = onShutdown(() => {
      child.kill("SIGTERM");
    });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => reject(new MigrationError(`could not run Truffle: ${error.message}`, output)));
    child.on("close", (code, signal) => {
      forget();
      if (code === 0) return resolve(output);
      const why = signal ? `stopped by ${signal}` : `exit code ${code}`;
      const advice = options.output === "capture" ? "; run `npm run migrate` to see Truffle's output" : "";
      reject(new MigrationError(`the migration failed (${why})${truffleReason(output)}${advice}`, output, code ?? undefined));
    });
  });
}

/** Truffle's own explanation, when it gave one, in a line. */
function truffleReason(output: string): string {
  const line = output
    .split("\n")
    .map((l) => l.trim())
    .find((l) => /^(Error|\*\*\*|>?\s*Something went wrong)/i.test(l) || /Error:/.test(l));
  return line ? `: ${line.replace(/^Error:\s*/, "").slice(0, 160)}` : "";
}
