// `npm run chain`: the embedded chain alone, in the foreground, for a classroom with several
// terminals: `npm start` (the CLI), `npm run migrate` and `truffle` in the others share it. It logs
// each transaction as it is mined, and Ctrl+C stops it cleanly; its state stays in .carbon/chain.
import { DEFAULT_RPC_URL } from "../../chain/endpoint";
import { UnavailableError, UsageError } from "../../support/errors";
import { ACCOUNT_COUNT, CHAIN_ID, DEV_MNEMONIC } from "../../chain/ganache";
import { chainDataDir } from "../../chain/home";
import { HttpRpc, isEthereumNode } from "../../chain/rpc";
import { palette } from "../../render/colours";
import { command, faucetChoice, withFaucetOptions, type FaucetFlags } from "../arguments";
import { serveChain, shortPath, type ServedChain } from "./server";
import { classBanner } from "../class/banner";
import { classKeysPath } from "../class/keys";
import { truffleMigrate } from "../migrate/truffle-migrate";
import { findLiveMarket } from "../migrate/market-check";
import { nodeAddress } from "../node-url";
import { note, step } from "../progress";
import { runMain } from "../run-main";
import { exitNormallyOnSignal, onShutdown } from "../shutdown";
import { watchTransactions } from "./transaction-log";

async function main(): Promise<void> {
  const options = withFaucetOptions(command("npm run chain", "Run the embedded chain in the foreground until Ctrl+C."))
    .option("--host <address>", "serve a class chain on this address (0.0.0.0: every address of this machine), behind the JSON-RPC gate")
    .option("--accept-rollback", "open a chain that has lost blocks anyway (after its start refused, naming them)")
    .addHelpText("after", "\nIt listens on CARBON_RPC_URL (default http://127.0.0.1:8545) and keeps its\nstate in CARBON_HOME/chain (default .carbon/chain). With --host it listens on\nthat address at CARBON_RPC_URL's port, with keys of its own, and deploys the market.")
    .parse(process.argv)
    .opts<{ host?: string; acceptRollback?: boolean } & FaucetFlags>();
  const faucet = faucetChoice(options);

  const address = nodeAddress(undefined, options.host);
  if (!address.local) {
    throw new UsageError(`the embedded chain runs on this machine, and CARBON_RPC_URL (${address.url}) is not a local http://127.0.0.1:<port> URL`);
  }
  if (await isEthereumNode(address.url)) {
    throw new UnavailableError(`an Ethereum node already answers at ${address.url}; use it, or pick another port: CARBON_RPC_URL=http://127.0.0.1:8546 npm run chain`);
  }
  const dbPath = chainDataDir();
  const local = address.local;
  const chain = await step(
    `Starting the embedded chain (state in ${shortPath(dbPath)})`,
    () => serveChain({ ...local, dbPath, acceptRollback: Boolean(options.acceptRollback), faucet }),
    (served) => `Embedded chain ready at ${served.url}`,
  );
  const rpc = new HttpRpc(chain.url);
  const stopLog = watchTransactions(rpc, (line) => console.log(line));
  exitNormallyOnSignal();
  onShutdown(async () => {
    stopLog();
    await chain.close();
    note(`Chain stopped; its state is kept in ${shortPath(dbPath)}`);
  });

  const [accounts, found] = await Promise.all([rpc.request<string[]>("eth_accounts"), findLiveMarket(rpc, chain.genesisHash)]);
  let market = found;
  if (!market && chain.served) {
    // Students cannot deploy on a class chain (the gate refuses them the node's keys): the teacher's chain does.
    market = await step(
      "Deploying the market contracts on the class chain",
      async () => {
        await truffleMigrate({ url: chain.url, output: "capture" });
        return findLiveMarket(rpc, chain.genesisHash);
      },
      (deployed) => (deployed ? `Market deployed: Carbon at ${deployed.Carbon}` : "The migration ran, but no market is live"),
    );
  }
  if (chain.served) console.log(classChainBanner(chain, local.host, local.port, dbPath, accounts, market?.Carbon));
  else console.log(banner(chain.url, dbPath, accounts, market?.Carbon));
  // Runs until a signal: onShutdown closes the chain and exits.
  await new Promise<never>(() => {});
}

function classChainBanner(chain: ServedChain, host: string, port: number, dbPath: string, accounts: string[], carbon: string | undefined): string {
  const c = palette();
  return [
    "",
    ...classBanner({ studentUrls: chain.studentUrls, host, port, carbon, faucet: chain.faucet }),
    `  On this machine  ${c.name(chain.url)} (the teacher keeps every method, the clock included)  chain id ${CHAIN_ID}`,
    `  State   ${shortPath(dbPath)}`,
    `  Keys    generated for this chain, in ${shortPath(classKeysPath())} (owner only); never the development mnemonic`,
    `          regulator ${accounts[0] ?? "?"}; new students' keys get ether from the gate's faucet`,
    "",
    `  Transactions are logged below. Ctrl+C stops the chain.`,
    "",
  ].join("\n");
}

function banner(url: string, dbPath: string, accounts: string[], carbon: string | undefined): string {
  const c = palette();
  const command = c.name;
  const lines = [
    "",
    `  ${c.heading("Carbon embedded chain")}  ${command(url)}  chain id ${CHAIN_ID}`,
    `  State   ${shortPath(dbPath)}`,
    `          kept between runs; \`npm start -- --reset\` wipes it`,
    `  Market  ${carbon ? `Carbon at ${carbon}` : `not deployed yet: run ${command("npm run migrate")} in another terminal`}`,
    `  Projector  ${command(`${url}/`)}  the market live, in a browser (read-only)`,
    "",
    `  ${ACCOUNT_COUNT} funded accounts, from the development mnemonic (never for real funds):`,
    `  "${DEV_MNEMONIC}"`,
    ...accounts.map((account, i) => `  ${String(i).padStart(2)}  ${account}${i === 0 ? `  ${carbon ? "regulator" : "regulator: deploys the market"}` : ""}`),
    "",
    // Off the default URL, the other terminals must be told where it is, or `npm start` starts a
    // second chain on the default port.
    ...(url === DEFAULT_RPC_URL
      ? [`  In other terminals: ${command("npm start")} (the CLI), ${command("npm run migrate")}, ${command("npm run demo")},`]
      : [`  In other terminals, set ${command(`CARBON_RPC_URL=${url}`)} and run`, `  ${command("npm start")} (the CLI), ${command("npm run migrate")}, ${command("npm run demo")},`]),
    `  ${command("npx truffle console")}. Transactions are logged below. Ctrl+C stops the chain.`,
    "",
  ];
  return lines.join("\n");
}

runMain(main);
