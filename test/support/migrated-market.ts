// One migration per build, not one per test chain. `truffle migrate` (the product's own migration,
// 1_deploy_market.js) runs once on a chain of its own; the transactions it sent are recorded, and each
// test chain that needs a deployed market gets them replayed, in order, from the same development
// account: same nonces, so the same five addresses, the same code and the same wiring, in a
// fraction of a second instead of Truffle's 3.
//
// The recording is kept in the system's temporary folder under a key made of the compiled code, the
// migration's source and Ganache's version, so a rebuild with other contracts records afresh and a
// second run (or a quick loop) migrates nothing. `npm test` records it before the first file starts.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CONTRACT_NAMES } from "../../cli/chain/discovery";
import { bookedDeployment, recordDeployment, type Deployment } from "../../cli/chain/deployments";
import { ARTIFACTS_DIR, PROJECT_ROOT } from "../../cli/chain/home";
import { HttpRpc } from "../../cli/chain/rpc";
import { migrate, startTestChain, type TestChain } from "./test-chain";

interface RecordedTransaction {
  from: string;
  to: string | null;
  data: string;
  value: string;
  gas: string;
  /** The address a deployment created, checked on replay. */
  contractAddress: string | null;
}

export interface RecordedMigration {
  key: string;
  transactions: RecordedTransaction[];
  /** What the migration wrote into the deployment book, less what belongs to one chain. */
  deployment: Omit<Deployment, "genesisHash" | "deployedAt">;
}

interface TxObject {
  from: string;
  to: string | null;
  input: string;
  value: string;
  gas: string;
  hash: string;
}

/** What the recording depends on: the compiled contracts, the migration and the node. */
function recordingKey(): string {
  const hash = crypto.createHash("sha256");
  // The lesson's modules are found through Carbon, not by discovery, but the migration deploys them too.
  for (const name of [...CONTRACT_NAMES, "Lesson", "Auction"]) {
    if (!fs.existsSync(path.join(ARTIFACTS_DIR, `${name}.json`))) continue;
    const artifact = JSON.parse(fs.readFileSync(path.join(ARTIFACTS_DIR, `${name}.json`), "utf8")) as { bytecode?: string };
    hash.update(`${name}:${artifact.bytecode ?? ""}\n`);
  }
  hash.update(fs.readFileSync(path.join(PROJECT_ROOT, "migrations", "1_deploy_market.js")));
  const ganache = JSON.parse(fs.readFileSync(require.resolve("ganache/package.json", { paths: [PROJECT_ROOT] }), "utf8")) as { version: string };
  hash.update(ganache.version);
  return hash.digest("hex").slice(0, 16);
}

function recordingPath(key: string): string {
  return path.join(os.tmpdir(), `carbon-test-migration-${key}.json`);
}

/** Runs the real migration on a chain of its own and reads back every transaction it sent. */
async function recordMigration(key: string): Promise<RecordedMigration> {
  const chain = await startTestChain();
  try {
    await migrate(chain);
    const rpc = new HttpRpc(chain.url);
    const head = Number(BigInt(await rpc.request<string>("eth_blockNumber")));
    const transactions: RecordedTransaction[] = [];
    for (let number = 1; number <= head; number++) {
      const block = await rpc.request<{ transactions: TxObject[] }>("eth_getBlockByNumber", ["0x" + number.toString(16), true]);
      for (const tx of block.transactions) {
        const receipt = await rpc.request<{ status: string; contractAddress: string | null }>("eth_getTransactionReceipt", [tx.hash]);
        if (receipt.status !== "0x1") throw new Error(`the migration's transaction ${tx.hash} failed`);
        transactions.push({ from: tx.from, to: tx.to, data: tx.input, value: tx.value, gas: tx.gas, contractAddress: receipt.contractAddress });
      }
    }
    const genesis = await rpc.request<{ hash: string }>("eth_getBlockByNumber", ["0x0", false]);
    const booked = bookedDeployment(genesis.hash, path.join(chain.home, "deployments.json"));
    if (!booked) throw new Error("the migration recorded no deployment");
    const { genesisHash: _genesis, deployedAt: _at, ...deployment } = booked;
    return { key, transactions, deployment };
  } finally {
    await chain.stop();
  }
}

let recorded: Promise<RecordedMigration> | undefined;

/** The recorded migration for this build: read from the temporary folder, or recorded now (once per process). */
export function recordedMigration(): Promise<RecordedMigration> {
  recorded ??= (async () => {
    const key = recordingKey();
    const file = recordingPath(key);
    try {
      const known = JSON.parse(fs.readFileSync(file, "utf8")) as RecordedMigration;
      if (known.key === key && known.transactions.length > 0) return known;
    } catch {
      // Not recorded yet (or unreadable): record it.
    }
    const fresh = await recordMigration(key);
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(fresh));
    fs.renameSync(temporary, file);
    return fresh;
  })();
  return recorded;
}

/**
 * Deploys the market on `chain` as the migration would: its recorded transactions replayed, and the
 * deployment written into the chain's CARBON_HOME, as the migration writes it. Any node that signs for
 * the development accounts will do (anvil has the same ones), so the addresses are the recording's.
 */
export async function deployMarket(chain: Pick<TestChain, "url" | "home">): Promise<Deployment> {
  const migration = await recordedMigration();
  const rpc = new HttpRpc(chain.url);
  const head = await rpc.request<string>("eth_blockNumber");
  if (BigInt(head) !== 0n) throw new Error(`deployMarket needs a fresh chain; this one is at block ${BigInt(head)}`);
  for (const tx of migration.transactions) {
    const hash = await rpc.request<string>("eth_sendTransaction", [{ from: tx.from, ...(tx.to ? { to: tx.to } : {}), data: tx.data, value: tx.value, gas: tx.gas }]);
    const receipt = await receiptOf(rpc, hash);
    if (!receipt || receipt.status !== "0x1") throw new Error(`replaying the migration: transaction ${hash} failed`);
    if ((receipt.contractAddress ?? null)?.toLowerCase() !== (tx.contractAddress ?? null)?.toLowerCase()) {
      throw new Error(`replaying the migration deployed at ${receipt.contractAddress}, not ${tx.contractAddress}`);
    }
  }
  const genesis = await rpc.request<{ hash: string }>("eth_getBlockByNumber", ["0x0", false]);
  const deployment: Deployment = { ...migration.deployment, genesisHash: genesis.hash.toLowerCase(), deployedAt: new Date().toISOString() };
  recordDeployment(deployment, path.join(chain.home, "deployments.json"));
  return deployment;
}

/** Ganache mines before it answers; anvil answers first and mines a moment later. */
async function receiptOf(rpc: HttpRpc, hash: string): Promise<{ status: string; contractAddress: string | null } | null> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const receipt = await rpc.request<{ status: string; contractAddress: string | null } | null>("eth_getTransactionReceipt", [hash]);
    if (receipt) return receipt;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}
