// Truffle's configuration: where the market is deployed and how its contracts are compiled.
//
// CARBON_RPC_URL (an http URL) moves the `development` network, for `truffle migrate` and
// `truffle test` alike; the `custom` network is for nodes that hold no unlocked accounts (a private
// chain, a testnet) and signs locally with CARBON_MNEMONIC.
const DEFAULT_RPC_URL = "http://127.0.0.1:8545";
const CHAIN_ID = 1337;

function rpcUrl() {
  const raw = process.env.CARBON_RPC_URL || DEFAULT_RPC_URL;
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`CARBON_RPC_URL is not a URL: ${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`CARBON_RPC_URL must be an http(s) URL, not ${raw}`);
  }
  return url;
}

function customProvider() {
  const url = rpcUrl().href;
  const phrase = process.env.CARBON_MNEMONIC;
  if (!phrase) {
    const Web3 = require("web3");
    return new Web3.providers.HttpProvider(url, { keepAlive: false });
  }
  // Required here, not at the top: it is slow to load and only this network signs locally.
  const HDWalletProvider = require("@truffle/hdwallet-provider");
  return new HDWalletProvider({ mnemonic: { phrase }, providerOrUrl: url, numberOfAddresses: 10, pollingInterval: 1000 });
}

/**
 * `truffle exec` and `truffle console` answer `Carbon.deployed()` from the artifacts, whose entry
 * for network id 1337 may come from another chain: rewrite it from what the node holds first
 * (cli/start/migrate/truffle-artifacts.ts), synchronously, since Truffle reads this file synchronously.
 * Migrations do the same themselves (1_deploy_market.js).
 */
function syncArtifactsWithChain() {
  const command = process.argv.slice(2).find((arg) => !arg.startsWith("-"));
  if (!["exec", "console"].includes(command) || process.env.CARBON_ARTIFACTS_SYNCED) return;
  process.env.CARBON_ARTIFACTS_SYNCED = "1";
  const script = require("node:path").join(__dirname, "dist", "cli", "start", "migrate", "truffle-artifacts.js");
  try {
    require("node:child_process").execFileSync(process.execPath, [script, rpcUrl().href], { stdio: "ignore", timeout: 30000 });
  } catch {
    // Not built, or no node: Truffle reports what it finds.
  }
}

/**
 * `truffle migrate` writes every artifact it touches back in place, megabytes each and not
 * atomically, so two migrations at once (two chains, two terminals, a test beside the product) can
 * read each other's half-written files. Each migration therefore works on a private copy of the
 * artifacts, dropped when it exits; nothing reads the network entries it would have written (the
 * market is found from the chain, and `exec`/`console` rewrite them from the chain first).
 */
function privateBuildDirectory() {
  const command = process.argv.slice(2).find((arg) => !arg.startsWith("-"));
  if (!/truffle/.test(process.argv[1] || "") || !["migrate", "deploy"].includes(command)) return {};
  const fs = require("node:fs");
  const os = require("node:os");
  const path = require("node:path");
  const shared = path.join(__dirname, "build", "contracts");
  if (!fs.existsSync(shared)) return {};
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "carbon-migrate-"));
  fs.cpSync(shared, copy, { recursive: true, preserveTimestamps: true });
  process.on("exit", () => fs.rmSync(copy, { recursive: true, force: true }));
  return { contracts_build_directory: copy };
}

const development = rpcUrl();
syncArtifactsWithChain();

module.exports = {
  ...privateBuildDirectory(),
  networks: {
    development: {
      host: development.hostname,
      port: Number(development.port || (development.protocol === "https:" ? 443 : 80)),
      network_id: CHAIN_ID,
    },
    custom: {
      provider: customProvider,
      network_id: "*",
    },
  },
  mocha: {
    timeout: 120000,
  },
  compilers: {
    solc: {
      // A path to the npm solc package: Truffle compiles offline with it instead of downloading one.
      version: require.resolve("solc"),
      settings: {
        optimizer: { enabled: true, runs: 200 },
        // Ganache 7.9 runs up to Shanghai; the embedded chain is started with the same hardfork.
        evmVersion: "shanghai",
      },
    },
  },
};
