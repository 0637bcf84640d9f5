// What the compliance tests share: the deployed module, the chain's clock (moved with evm_mine and a
// timestamp, so a deadline can be met to the second), a period opened relative to that clock, a
// transaction mined at an exact timestamp, and a snapshot of the module's observable state for "a
// failure changes nothing".
import type BN from "bn.js";
import { type Market, marketState, type MarketState, rpc } from "./helpers";

/** A document's hash, as a report carries it. */
export const EVIDENCE = web3.utils.keccak256("the verified emissions report, 2026");
export const OTHER_EVIDENCE = web3.utils.keccak256("the corrected report, 2026");

/** Compliance.Status and Compliance.ReportState, in the contract's order. */
export enum Status {
  Unreported,
  Pending,
  A,
  B,
  C,
  NotCovered,
}

export enum ReportState {
  None,
  Submitted,
  Rejected,
  Verified,
  Corrected,
}

export const DAY = 86_400;

export function deployedCompliance(): Promise<ComplianceInstance> {
  return artifacts.require("Compliance").deployed();
}

/** The latest block's timestamp: the clock every deadline is compared with. */
export async function chainTime(): Promise<number> {
  return Number((await rpc<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false])).timestamp);
}

/** Mines an empty block at `timestamp`; the chain's clock goes on from there. */
export async function mineAt(timestamp: number): Promise<void> {
  await rpc("evm_mine", [{ timestamp }]);
}

export interface OpenedPeriod {
  periodId: number;
  reportingDeadline: number;
  surrenderDeadline: number;
  tx: TruffleTransaction;
}

export interface PeriodTerms {
  label?: string;
  cap?: number | string;
  /** Seconds from now to the reporting deadline, and from it to the surrender deadline. */
  reporting?: number;
  surrender?: number;
  rate?: number | string;
}

/** Opens the next period with deadlines relative to the chain's clock. */
export async function openPeriod(compliance: ComplianceInstance, regulator: string, terms: PeriodTerms = {}): Promise<OpenedPeriod> {
  const now = await chainTime();
  const reportingDeadline = now + (terms.reporting ?? 30 * DAY);
  const surrenderDeadline = reportingDeadline + (terms.surrender ?? 30 * DAY);
  const periodId = Number(await compliance.periodCount());
  const tx = await compliance.openPeriod(terms.label ?? "2026", terms.cap ?? 1_000, reportingDeadline, surrenderDeadline, terms.rate ?? 100, { from: regulator });
  const opened = tx.logs.find((log) => log.event === "OpenPeriod");
  assert.isTrue(opened?.args.isSuccess, `the period opens (${opened?.args.message})`);
  return { periodId, reportingDeadline, surrenderDeadline, tx };
}

interface EventAbi {
  type: string;
  name?: string;
  anonymous?: boolean;
  inputs?: { name: string; type: string; indexed?: boolean }[];
}

/** The events of the transaction's logs that `contracts` declare, decoded as @truffle/contract does. */
function decodeLogs(logs: { address: string; topics: string[]; data: string }[], contracts: { address: string; abi: readonly EventAbi[] }[]): TruffleLog[] {
  const decoded: TruffleLog[] = [];
  for (const log of logs) {
    const contract = contracts.find((c) => c.address.toLowerCase() === log.address.toLowerCase());
    const event = contract?.abi.find(
      (item) => item.type === "event" && web3.eth.abi.encodeEventSignature(item as never) === log.topics[0],
    );
    if (!contract || !event?.name) continue;
    const args = web3.eth.abi.decodeLog(event.inputs as never, log.data, log.topics.slice(1)) as unknown as Record<string, string | boolean | BN>;
    decoded.push({ event: event.name, address: log.address, args });
  }
  return decoded;
}

/**
 * Sends `method` of a market contract and mines it alone in a block at exactly `timestamp` (mining is
 * paused while it waits in the pool): how a test acts at a deadline, or a second after it, to the second.
 */
export async function sendAt(
  timestamp: number,
  instance: { address: string; abi: readonly unknown[] },
  method: string,
  args: readonly unknown[],
  from: string,
  decodeWith: { address: string; abi: readonly unknown[] }[] = [],
): Promise<TruffleTransaction> {
  const item = (instance.abi as EventAbi[]).find((entry) => entry.type === "function" && entry.name === method);
  if (!item) throw new Error(`no function ${method}`);
  const data = web3.eth.abi.encodeFunctionCall(item as never, args as never);
  await rpc("miner_stop");
  let hash: string;
  try {
    hash = await rpc<string>("eth_sendTransaction", [{ from, to: instance.address, data, gas: "0x" + (2_000_000).toString(16) }]);
    await rpc("evm_mine", [{ timestamp }]);
  } finally {
    await rpc("miner_start");
  }
  const receipt = await rpc<{ status: string; gasUsed: string; blockNumber: string; logs: { address: string; topics: string[]; data: string }[] }>(
    "eth_getTransactionReceipt",
    [hash],
  );
  const block = await rpc<{ timestamp: string }>("eth_getBlockByNumber", [receipt.blockNumber, false]);
  assert.equal(Number(block.timestamp), timestamp, "the transaction is mined at the timestamp asked for");
  const contracts = [instance, ...decodeWith] as { address: string; abi: readonly EventAbi[] }[];
  return {
    tx: hash,
    receipt: { status: receipt.status === "0x1", gasUsed: Number(receipt.gasUsed), blockNumber: Number(receipt.blockNumber) },
    logs: decodeLogs(receipt.logs, contracts),
  };
}

// ---------------------------------------------------------------- state

export interface ComplianceState {
  market: MarketState;
  storageRoot: string;
  surrendered: string;
  penalties: string;
  periodCount: string;
  periods: PeriodResult[];
  records: Record<string, Omit<RecordResult, "status">>;
  standings: Record<string, StandingResult>;
  verifiers: string[];
}

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A record without its status: the status is derived from the record and the clock, which a mined block moves. */
function stored(record: RecordResult): Omit<RecordResult, "status"> {
  const named = Object.entries(plain(record)).filter(([key]) => Number.isNaN(Number(key)) && key !== "status");
  return Object.fromEntries(named) as Omit<RecordResult, "status">;
}

/** What a client can observe of the market and the module for these accounts, and the module's storage root. */
export async function complianceState(market: Market, compliance: ComplianceInstance, accounts: readonly string[]): Promise<ComplianceState> {
  const count = Number(await compliance.periodCount());
  const ids = Array.from({ length: count }, (_, i) => i);
  const [marketNow, root, surrendered, penalties, periods, records, standings, verifiers] = await Promise.all([
    marketState(market, accounts),
    rpc<{ storageHash: string }>("eth_getProof", [compliance.address, [], "latest"]).then((proof) => proof.storageHash),
    compliance.surrenderedCarbonAmount().then(String),
    compliance.penaltyTotal().then(String),
    Promise.all(ids.map((id) => compliance.getPeriod(id).then(plain))),
    Promise.all(ids.flatMap((id) => accounts.map((account) => compliance.getRecord(account, id).then(stored)))),
    Promise.all(accounts.map((account) => compliance.standingOf(account).then(plain))),
    compliance.getVerifiers(0, 100),
  ]);
  return {
    market: marketNow,
    storageRoot: root,
    surrendered,
    penalties,
    periodCount: String(count),
    periods,
    records: Object.fromEntries(ids.flatMap((id) => accounts.map((account, i) => [`${id}:${account}`, records[id * accounts.length + i]]))),
    standings: Object.fromEntries(accounts.map((account, i) => [account, standings[i]])),
    verifiers,
  };
}

/** Asserts that nothing `before` watched has changed, in the market or the module. */
export async function expectComplianceUnchanged(market: Market, compliance: ComplianceInstance, before: ComplianceState, after: string): Promise<void> {
  const now = await complianceState(market, compliance, before.market.watched.accounts);
  assert.deepEqual(now, before, `the market's and the compliance module's state is unchanged after ${after}`);
}
