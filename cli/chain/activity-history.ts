// An account's history and the market's trades, from the Activity event every contract of the
// market emits: read newest first, a page at a time, walking back from the head to the deployment
// block in bounded eth_getLogs ranges, each row with its outcome's message and its block's time.
import { UsageError } from "../support/errors";
import type { MarketCodec, RawLog } from "./abi";
import type { ContractName } from "./artifacts";
import { checkPaging } from "./market-lists";
import { contractAt, ZERO_ADDRESS, type ContractView, type MarketContracts } from "./market-contracts";
import { NodeUnreachableError, RpcError, type Rpc } from "./rpc";

/** Blocks in the first eth_getLogs query: a busy account fills a page from the latest blocks alone. */
const LOG_SPAN = 1_000;
/** The widest query: what public providers commonly accept (10,000 blocks). */
const MAX_LOG_SPAN = 10_000;

/** The Activity event's operations, in the enum's order (contracts/Operation.sol). */
export const OPERATIONS = [
  "NewCustomer",
  "NewSeller",
  "SendCarbonToCustomer",
  "AddCarbon",
  "BuyCarbon",
  "SettleCarbon",
  "FreezeAccount",
  "UnfreezeAccount",
  // The compliance cycle (Compliance.sol)
  "OpenPeriod",
  "ClosePeriod",
  "AccreditVerifier",
  "RevokeVerifier",
  "AppointVerifier",
  "AcceptAppointment",
  "ReportEmissions",
  "ApproveReport",
  "RejectReport",
  "CorrectEmissions",
  "SurrenderCarbon",
  "EnforceCompliance",
  // The order book (OrderBook.sol)
  "PlaceBid",
  "PlaceAsk",
  "CancelOrder",
  "ExpireOrder",
  "Trade",
  "SetPriceBand",
  "HaltTrading",
  "ResumeTrading",
  // The compliance cycle's estimate, and the regulator's handover (Carbon.sol)
  "EstimateEmissions",
  "ProposeRegulator",
  "AcceptRegulator",
  // The order book's withdrawals and sweeps (OrderBook.sol)
  "Withdraw",
  "PruneLevel",
  // A registered account's new display name (Carbon.sol)
  "SetName",
] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface HistoryOptions {
  /** Rows on the page (1 to MAX_PAGE). */
  limit: number;
  /** The `next` of the previous page: rows strictly older than it. */
  before?: string;
}

/** Rows newest first; `next` is the cursor of the page after this one, absent on the last. */
export interface HistoryPage {
  records: ActivityRecord[];
  next?: string;
}


/** One line of an account's history, from the Activity event and the outcome event beside it. */
export interface ActivityRecord {
  /** Unix seconds of the block. */
  time: number;
  block: number;
  txHash: string;
  operation: Operation;
  /** The account the operation was for (Activity's `account`). */
  account: string;
  /** The other side, as seen from the account asked about; undefined when there is none. */
  counterparty?: string;
  carbonId?: string;
  /** The order an order-book operation is about (OrderBook's Activity carries it as `carbonId`). */
  orderId?: bigint;
  /** The price level a sweep (PruneLevel) cleared, wei a unit (carried as `carbonId` too). */
  price?: bigint;
  /** The display name a rename (SetName) gave the account (carried as `carbonId` too). */
  newName?: string;
  /** Quota moved, or the lot's price; wei for a withdrawal, orders for a sweep; 0 for registrations and freezes. */
  amount: bigint;
  ok: boolean;
  message: string;
}


/** What the history reads with: the node, the codecs and addresses of the market's contracts, and its views. */
export interface HistoryParts {
  rpc: Rpc;
  codec: MarketCodec;
  codecOf(contract: ContractName): MarketCodec;
  contracts: MarketContracts;
  genesisHash: string;
  view: ContractView;
  /** The block the deployment record gives, for a market without deploymentBlock(). */
  deployedAt?: number;
}

export class ActivityHistory {
  private firstBlock?: Promise<number>;
  /** The widest eth_getLogs range this node has not refused; halved whenever it refuses one. */
  private maxLogSpan = MAX_LOG_SPAN;

  constructor(private readonly parts: HistoryParts) {}

  /** The first block of the market: history is never read from before it. */
  deploymentBlock(): Promise<number> {
    return (this.firstBlock ??= (async () => {
      try {
        const [block] = await this.parts.view<[string]>("deploymentBlock");
        return Number(block);
      } catch (error) {
        if (error instanceof NodeUnreachableError) throw error;
        return this.parts.deployedAt ?? 0; // a market deployed before deploymentBlock() existed
      }
    })().catch((error) => {
      // Asked again once the node is back (a session outlasts a restart of its chain).
      this.firstBlock = undefined;
      throw error;
    }));
  }

  /**
   * A page of the account's history, newest first: every Activity naming it as the account or the
   * counterparty, `limit` rows from before `before` (a cursor from the previous page's `next`).
   * `next` is absent on the last page.
   */
  async activityPage(account: string, options: HistoryOptions): Promise<HistoryPage> {
    const topic = this.parts.codec.topic(account);
    const activity = this.parts.codec.eventTopic("Activity");
    // Whether an account has no history at all is remembered (history-cache.ts): proving it again
    // reads only the blocks mined since.
    return this.history([[activity, topic], [activity, null, topic]], options, account.toLowerCase(), undefined, `activity:${account.toLowerCase()}`);
  }

  /** A page of successful purchases, newest first. */
  async tradesPage(options: HistoryOptions): Promise<HistoryPage> {
    const topics = [this.parts.codec.eventTopic("Activity"), null, null, this.parts.codec.topic(OPERATIONS.indexOf("BuyCarbon"))];
    // isSuccess is in the log's data: failed purchases are dropped before receipts are fetched.
    return this.history([topics], options, undefined, (log) => this.parts.codec.decodeLog(log)?.args.isSuccess === true);
  }

  /** The account's whole history, oldest first (all pages: prefer activityPage). */
  async activity(account: string): Promise<ActivityRecord[]> {
    const records: ActivityRecord[] = [];
    let before: string | undefined;
    do {
      const page = await this.activityPage(account, { limit: 500, before });
      records.push(...page.records);
      before = page.next;
    } while (before);
    return records.reverse();
  }

  async headBlock(): Promise<number> {
    return Number(await this.parts.rpc.request<string>("eth_blockNumber"));
  }

  /**
   * Walks the chain backwards from `before` (or the head) to the deployment block in bounded
   * ranges, collecting the logs that match any of `filters`, until `limit` rows (and one more, to
   * know whether there is a next page) are found. The first range is small (a busy account's page
   * is in the latest blocks) and each empty-handed one is four times wider, up to MAX_LOG_SPAN; a
   * node that refuses a range as too large gets half of it, down to a single block, and that
   * narrower limit is kept for the queries after it.
   */
  private async history(filters: Array<Array<string | null>>, options: HistoryOptions, viewer?: string, keep: (log: RawLog) => boolean = () => true, cacheKey?: string): Promise<HistoryPage> {
    const limit = options.limit;
    checkPaging(0, limit);
    const cursor = options.before === undefined ? undefined : parseCursor(options.before);
    // `cacheKey`: the filters' matches are none up to a remembered block (history-cache.ts), if that
    // block is still the chain's; the head comes with its hash, to remember how far a scan proved it.
    const cache = cacheKey ? (require("./history-cache") as typeof import("./history-cache")) : undefined;
    const known = cache && cacheKey ? cache.emptyThrough(this.parts.genesisHash, this.parts.contracts.Carbon, cacheKey) : undefined;
    const [first, latest, knownBlock] = await Promise.all([
      this.deploymentBlock(),
      cache ? this.parts.rpc.request<{ number: string; hash: string }>("eth_getBlockByNumber", ["latest", false]) : this.headBlock().then((number) => ({ number: hex(number), hash: "" })),
      known ? this.parts.rpc.request<{ hash?: string } | null>("eth_getBlockByNumber", [hex(known.block), false]).catch(() => null) : undefined,
    ]);
    const head = Number(latest.number);
    const emptyBelow = known && knownBlock?.hash?.toLowerCase() === known.hash.toLowerCase() && known.block <= head ? known.block : undefined;
    if (known && emptyBelow === undefined) cache!.forgetEmptyThrough(this.parts.genesisHash, this.parts.contracts.Carbon, cacheKey!);
    let to = cursor ? Math.min(cursor.block, head) : head;
    const found: RawLog[] = [];
    let span = Math.min(LOG_SPAN, this.maxLogSpan);
    while (to >= first && found.length <= limit) {
      if (emptyBelow !== undefined && to <= emptyBelow) {
        to = first - 1; // nothing of it from the deployment block to here, as the chain still shows
        break;
      }
      const from = Math.max(first, emptyBelow !== undefined ? emptyBelow + 1 : first, to - span + 1);
      let logs: RawLog[];
      try {
        logs = (await Promise.all(filters.map((topics) => this.getLogs(from, to, topics)))).flat();
      } catch (error) {
        if (isRangeRefusal(error) && span > 1) {
          this.maxLogSpan = span = Math.max(1, Math.floor(span / 2));
          continue;
        }
        throw error;
      }
      span = Math.min(span * 4, this.maxLogSpan);
      const unique = new Map<string, RawLog>();
      for (const log of logs) if (keep(log) && (!cursor || before(log, cursor))) unique.set(`${log.transactionHash}:${log.logIndex}`, log);
      found.push(...[...unique.values()].sort(newestFirst));
      to = from - 1;
    }
    // Nothing found from the head down to the deployment block: remembered, up to the head.
    if (cache && !cursor && found.length === 0 && to < first && latest.hash) cache.rememberEmptyThrough(this.parts.genesisHash, this.parts.contracts.Carbon, cacheKey!, { block: head, hash: latest.hash.toLowerCase() });
    const shown = found.slice(0, limit);
    const more = found.length > limit || (to >= first && shown.length === limit);
    const last = shown[shown.length - 1];
    return { records: await this.records(shown, viewer), ...(more && last ? { next: `${Number(last.blockNumber)}:${Number(last.logIndex)}` } : {}) };
  }

  private getLogs(from: number, to: number, topics: Array<string | null>): Promise<RawLog[]> {
    // Every contract of the market emits the same Activity event: one query reads them all.
    const address = [this.parts.contracts.Carbon, this.parts.contracts.Compliance, this.parts.contracts.OrderBook].filter(Boolean);
    return this.parts.rpc.request<RawLog[]>("eth_getLogs", [{ address, fromBlock: hex(from), toBlock: hex(to), topics }]);
  }

  /** Activity logs as records, with each transaction's outcome message and each block's time. */
  private async records(logs: RawLog[], viewer?: string): Promise<ActivityRecord[]> {
    const rpc = this.parts.rpc;
    const transactions = [...new Set(logs.map((log) => log.transactionHash))];
    const blocks = [...new Set(logs.map((log) => log.blockNumber))];
    const [receipts, times] = await Promise.all([
      Promise.all(transactions.map((hash) => rpc.request<{ logs: RawLog[] }>("eth_getTransactionReceipt", [hash]))),
      Promise.all(blocks.map((number) => rpc.request<{ timestamp: string }>("eth_getBlockByNumber", [number, false]))),
    ]);
    const receiptOf = new Map(transactions.map((hash, i) => [hash, receipts[i]]));
    const timeOf = new Map(blocks.map((number, i) => [number, Number(times[i].timestamp)]));

    return logs.map((log) => {
      const { args } = this.parts.codec.decodeLog(log)!;
      const operation = OPERATIONS[Number(args.operation)];
      const account = String(args.account).toLowerCase();
      const other = String(args.counterparty).toLowerCase();
      const counterparty = viewer && viewer !== account ? account : other;
      // The outcome event is the last one of this operation emitted before the Activity log.
      const emitter = contractAt(this.parts.contracts, log.address) ?? "Carbon";
      const word = String(args.carbonId);
      const renamed = operation === "SetName" ? unpackCarbonId(word) : undefined;
      const carbonId = emitter === "OrderBook" || operation === "SetName" ? undefined : unpackCarbonId(word);
      const sweep = emitter === "OrderBook" && operation === "PruneLevel";
      const orderId = emitter === "OrderBook" && !sweep && BigInt(word) !== 0n ? BigInt(word) : undefined;
      const outcome = receiptOf.get(log.transactionHash)!.logs
        .filter((l) => Number(l.logIndex) < Number(log.logIndex) && l.address.toLowerCase() === log.address.toLowerCase())
        .map((l) => this.parts.codecOf(emitter).decodeLog(l))
        .filter((decoded) => decoded?.name === operation)
        .pop();
      return {
        time: timeOf.get(log.blockNumber)!,
        block: Number(log.blockNumber),
        txHash: log.transactionHash,
        operation,
        account,
        counterparty: counterparty === ZERO_ADDRESS ? undefined : counterparty,
        carbonId,
        ...(orderId === undefined ? {} : { orderId }),
        ...(sweep ? { price: BigInt(word) } : {}),
        ...(renamed === undefined ? {} : { newName: renamed }),
        amount: BigInt(String(args.amount)),
        ok: Boolean(args.isSuccess),
        // A Trade's event (buyer, seller, price, quantity) has no message.
        message: outcome && "message" in outcome.args ? String(outcome.args.message) : "",
      };
    });
  }
}

/** CarbonId.unpack: the ID ends where the zero padding starts; undefined for no ID. */
export function unpackCarbonId(word: string): string | undefined {
  const bytes = Buffer.from(word.replace(/^0x/, ""), "hex");
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end === 0 ? undefined : bytes.subarray(0, end).toString("utf8");
}

function hex(n: number): string {
  return "0x" + n.toString(16);
}

function newestFirst(a: RawLog, b: RawLog): number {
  return Number(b.blockNumber) - Number(a.blockNumber) || Number(b.logIndex) - Number(a.logIndex);
}

function parseCursor(cursor: string): { block: number; logIndex: number } {
  const match = /^(\d+):(\d+)$/.exec(cursor);
  if (!match) throw new UsageError(`"${cursor}" is not a history cursor (it looks like 1234:0, from a page's "next")`);
  return { block: Number(match[1]), logIndex: Number(match[2]) };
}

function before(log: RawLog, cursor: { block: number; logIndex: number }): boolean {
  const block = Number(log.blockNumber);
  return block < cursor.block || (block === cursor.block && Number(log.logIndex) < cursor.logIndex);
}

/** A node's refusal of an eth_getLogs range as too wide or too many results (each provider words it its own way). */
export function isRangeRefusal(error: unknown): boolean {
  if (!(error instanceof RpcError)) return false;
  return /range|too (many|large|big)|limit|exceed|max(imum)? .*(block|result)|query returned more than|response size/i.test(error.message);
}
