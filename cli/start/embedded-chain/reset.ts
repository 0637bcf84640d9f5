// `npm start -- --reset`: deletes the embedded chain's state (every registration, balance, order, lot
// and record) after a confirmation saying what it does to the class, and forgets the market that
// lived on it. Refused while the chain runs: its process holds the database open.
//
// A class chain's keys are kept: the new chain is created from them, so the regulator is the same
// account (the teacher's imported wallet key still signs for it), the market is deployed at the same
// addresses (the join command the students have still names it), and only the registrations go.
import fs from "node:fs";
import path from "node:path";
import { CarbonError, EXIT, UsageError } from "../../support/errors";
import { readBook } from "../../chain/deployments";
import { carbonHome, chainDataDir, deploymentBookPath } from "../../chain/home";
import { faucetLedgerPath } from "../../gate/faucet";
import { backupDir, chainHeadPath } from "./guard";
import { classKeys } from "../class/keys";
import { readChainRecord, removeChainRecord, runningChain } from "./record";
import { shortPath } from "./server";
import { note } from "../progress";

export async function resetChainState({ yes }: { yes: boolean }): Promise<void> {
  const dir = chainDataDir();
  const record = readChainRecord();
  const running = runningChain(record);
  if (running) {
    throw new UsageError(`the chain is running (process ${running.pid}, at ${running.url}); stop it, then reset`);
  }
  if (!fs.existsSync(dir) && !fs.existsSync(chainHeadPath())) {
    note(`Nothing to reset: there is no chain state in ${shortPath(dir)}`);
    return;
  }
  const question = classKeys()
    ? `Delete the class chain in ${shortPath(dir)}: every registration, balance, order, lot and record? Students keep their keys and register again; the chain's keys, yours included, are kept, and the market comes back at the same address`
    : `Delete the chain in ${shortPath(dir)}: every registration, balance, order, lot and record? Keys in wallets stay; accounts register again`;
  if (!yes && !(await confirmed(question))) {
    throw new CarbonError("reset cancelled: nothing was deleted", EXIT.refused);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  // What belonged to that chain: its last seen head, the backup of its last start, a class chain's
  // faucet ledger. A new chain starts with none of them (its keys are kept: see above).
  for (const file of [chainHeadPath(), backupDir(), path.join(carbonHome(), "chain-opening"), faucetLedgerPath()]) {
    fs.rmSync(file, { recursive: true, force: true });
  }
  forgetNonces();
  if (record.genesisHash) forgetDeployment(record.genesisHash);
  removeChainRecord();
  note(`Deleted the chain state in ${shortPath(dir)}; a new chain starts empty`);
}

async function confirmed(message: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UsageError("--reset asks for a confirmation, and there is no terminal to ask in; add --yes");
  const { confirm } = require("../../interactive/prompt") as typeof import("../../interactive/prompt");
  return confirm(message, false);
}

/**
 * The next nonces remembered per account (cli/chain/nonces.ts) were the deleted chain's, and the new
 * chain has the same chain id: a process that wrote one last would trust it and sign a nonce the new
 * chain is far from, which Ganache queues and never mines. Without them, the next write asks the node.
 */
function forgetNonces(): void {
  const dir = path.join(carbonHome(), "locks");
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) if (name.endsWith(".json")) fs.rmSync(path.join(dir, name), { force: true });
}

/** Drops the book's entry for a chain that no longer exists, so the book only names live markets. */
function forgetDeployment(genesisHash: string): void {
  const file = deploymentBookPath();
  const book = readBook(file);
  if (!book[genesisHash]) return;
  delete book[genesisHash];
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(book, null, 2) + "\n");
  fs.renameSync(temporary, file);
}
