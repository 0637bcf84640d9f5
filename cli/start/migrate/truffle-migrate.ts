// `truffle migrate` against a node, the one way the product deploys: `npm start` when the market is
// missing, `npm run migrate` and `npm run demo` on demand. The migrations themselves decide what to
// do (1_deploy_market.js deploys once per chain; 2_demo_scenario.js runs only when asked).
import { spawn } from "node:child_process";
import { CarbonError, EXIT } from "../../support/errors";
import { CHAIN_ID } from "../../chain/ganache";
import { PROJECT_ROOT } from "../../chain/home";
import { HttpRpc } from "../../chain/rpc";
import { onShutdown } from "../shutdown";

/** Truffle's command-line entry, run with this Node rather than through the .bin shim. */
export const TRUFFLE_CLI = require.resolve("truffle/build/cli.bundled.js", { paths: [PROJECT_ROOT] });

/** Set for `npm run demo`: the only switch 2_demo_scenario.js listens to. */
export const DEMO_SWITCH = "CARBON_DEMO";
/** DEMO_SWITCH's value for `npm run demo -- --lesson`; any other value seeds the scenario with its compliance period. */
export const DEMO_LESSON = "lesson";

export interface MigrateOptions {
  url: string;
  /** Seed the classroom scenario too. */
  demo?: boolean;
  /** With `demo`: a lesson in progress in place of the scenario's compliance period. */
  lesson?: boolean;
  /**
   * `summary` (npm run migrate): one line per deployed contract and a closing "Market at …" line,
   * with what the migrations themselves print and nothing of Truffle's own report; `inherit`:
   * Truffle's output as it is; `capture`: kept for an error message (npm start).
   */
  output: "summary" | "inherit" | "capture";
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

function migrateCommand({ url, demo, lesson, network }: Pick<MigrateOptions, "url" | "demo" | "lesson"> & { network: string }): { args: string[]; env: NodeJS.ProcessEnv } {
  // --compile-none: `npm run build` compiled the contracts (the migrations need its dist/ too), and
  // Truffle would compile four of them again on every run, since Operation.sol leaves no artifact.
  const args = [TRUFFLE_CLI, "migrate", "--network", network, "--compile-none", ...(demo ? ["--quiet"] : [])];
  // CARBON_MARKET and CARBON_NEW_MARKET (--market, --new-market) pass through to 1_deploy_market.js.
  const env: NodeJS.ProcessEnv = { ...process.env, CARBON_RPC_URL: url };
  if (demo) env[DEMO_SWITCH] = lesson ? DEMO_LESSON : "1";
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
    const summary = options.output === "summary" ? new MigrationSummary((line) => process.stdout.write(line + "\n")) : undefined;
    // A Ctrl+C reaches Truffle through the terminal; a SIGTERM sent to us alone must stop it too.
    const forget = onShutdown(() => {
      child.kill("SIGTERM");
    });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      summary?.write(String(chunk));
    });
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => reject(new MigrationError(`could not run Truffle: ${error.message}`, output)));
    child.on("close", (code, signal) => {
      forget();
      summary?.end(code === 0);
      if (code === 0) return resolve(output);
      // Truffle's whole report, so nothing of the failure is lost to the summary.
      if (summary) process.stderr.write(output);
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

/**
 * Truffle's migration report reduced to what a person needs: "✔ Customer  deployed at 0x…  block 1,
 * gas 610,012" per contract, whatever the migrations print themselves (an "already deployed" note,
 * the demo's table), and "Market at 0x…" at the end. Truffle's banners, rules, per-deployment details,
 * costs and summary are dropped.
 */
export class MigrationSummary {
  private pending = "";
  private contract?: { name: string; address?: string; block?: string; gas?: string };
  private market?: string;

  constructor(private readonly print: (line: string) => void) {}

  write(text: string): void {
    const lines = (this.pending + text).split("\n");
    this.pending = lines.pop() ?? "";
    for (const line of lines) this.line(line.replace(/\r$/, ""));
  }

  /** At the end of Truffle's output; the closing line only after a migration that succeeded. */
  end(succeeded: boolean): void {
    if (this.pending) this.line(this.pending);
    this.pending = "";
    this.finishContract();
    if (succeeded && this.market) this.print(`Market at ${this.market}`);
  }

  private line(line: string): void {
    const deploying = /^\s*(?:Deploying|Replacing) '(\w+)'/.exec(line);
    if (deploying) {
      this.finishContract();
      this.contract = { name: deploying[1] };
      return;
    }
    const detail = /^\s*> (contract address|block number|gas used):\s+(\S+)/.exec(line);
    if (detail && this.contract) {
      if (detail[1] === "contract address") this.contract.address = detail[2];
      else if (detail[1] === "block number") this.contract.block = detail[2];
      else this.contract.gas = Number(detail[2]).toLocaleString("en-US");
      return;
    }
    if (TRUFFLE_NOISE.some((noise) => noise.test(line))) return;
    this.finishContract();
    const found = /Carbon at (0x[0-9a-fA-F]{40})/.exec(line);
    if (found) this.market = found[1];
    this.print(line);
  }

  private finishContract(): void {
    const done = this.contract;
    if (!done?.address) return;
    this.contract = undefined;
    if (done.name === "Carbon") this.market = done.address;
    this.print(`✔ ${done.name.padEnd(10)} deployed at ${done.address}  block ${done.block ?? "?"}, gas ${done.gas ?? "?"}`);
  }
}

/** Lines of Truffle's own report, as `truffle migrate` 5.11 prints them. */
const TRUFFLE_NOISE = [
  /^\s*$/,
  /^\s*[=-]{3,}\s*$/,
  /^\s*> /,
  /^Compiling your contracts\.\.\.$/,
  /^\s*- solc: /,
  /^Starting migrations\.\.\.$/,
  /^\d+_[\w-]+\.js$/,
  /^Summary$/,
  /Blocks: \d+\s+Seconds: \d+/,
];
