// The projector's view of the market, kept by its server: found on the chain as any reader finds it
// (connect.ts), then followed block by block. One watch serves every open page, so a room of
// browsers costs the chain one reader's polling.
//
// It holds the state a page starts from (the book, the band and halt, the period and the
// compliance table, the last KEEP_TRADES trades and KEEP_FEED feed lines) and tells its listeners
// what each poll found. Until a market is found (a chain not migrated yet, a class chain not open
// to remote callers yet) it says so and asks again every few seconds.
import { OPERATIONS, unpackCarbonId } from "../chain/activity-history";
import { bookEventsIn, type FeedEvent } from "../chain/book-feed";
import { Compliance } from "../chain/compliance";
import { connectReader } from "../chain/connect";
import type { Market } from "../chain/market";
import type { ContractEvent } from "../chain/market-contracts";
import { OrderBook } from "../chain/order-book";
import { formatEther } from "../chain/order-book-prices";
import { chainIdentity, type Rpc } from "../chain/rpc";
import { tradePage } from "../chain/trade-history";
import { complianceRow, participants } from "../commands/compliance-period";
import { bookLine, lotLine, type Names } from "./feed-words";
import { lessonResults } from "../lesson/results";
import { UnavailableError } from "../support/errors";
import { KEEP_FEED, KEEP_TRADES, LEADERS, type LessonView, type ChainStatus, type FeedLine, type LevelView, type MarketNow, type StateMessage, type TradeView, type UpdateMessage } from "./view";

/** A head poll is one in-process read: five a second puts a new block on the page well within a second. */
const POLL_MS = 200;
const SEARCH_MS = 2_000;
/** The most blocks one poll reads: a watch far behind catches up in steps. */
const STEP = 500;
/** Blocks read back for the feed when the market is found. */
const FEED_BACKFILL = 500;
/** Price levels of each side on the ladder: what fits a projector. */
const LEVELS = 12;
/** The compliance table is read again at least this often (a deadline passing changes no log). */
const COMPLIANCE_MS = 15_000;
const BUY_CARBON = OPERATIONS.indexOf("BuyCarbon");

export type WatchMessage = { type: "state"; data: StateMessage } | { type: "update"; data: UpdateMessage };

export interface MarketWatchOptions {
  rpc: Rpc;
  label: string;
  pollMs?: number;
}

export class MarketWatch {
  private status: ChainStatus = { genesisHash: "", state: "waiting", message: "connecting to the chain" };
  private now?: MarketNow;
  private trades: TradeView[] = [];
  private feed: FeedLine[] = [];
  private market?: Market;
  private next = 0;
  private complianceAt = 0;
  /** Tells apart feed lines of one block that have no log index of their own. */
  private feedSerial = 0;
  private readonly listeners = new Set<(message: WatchMessage) => void>();
  private stopped = false;
  private wake?: () => void;
  private readonly done: Promise<void>;

  constructor(private readonly options: MarketWatchOptions) {
    this.done = this.run();
  }

  state(): StateMessage {
    return { status: this.status, ...(this.now ? { now: this.now } : {}), trades: this.trades, feed: this.feed };
  }

  /** Calls `listener` with every change; returns the function that stops it. */
  subscribe(listener: (message: WatchMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let pause = this.options.pollMs ?? POLL_MS;
      try {
        if (!this.market) {
          await this.find();
          if (!this.market) pause = SEARCH_MS;
        } else {
          await this.poll();
        }
      } catch (error) {
        // A read that failed (the chain busy past our patience, a block not there yet) is tried again
        // on the next poll from the same block: nothing is shown twice or skipped.
        this.setStatus({ ...this.status, message: `reading the chain failed (${oneLine(error)}); trying again` });
        pause = SEARCH_MS;
      }
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async find(): Promise<void> {
    const { rpc, label } = this.options;
    if (!this.status.genesisHash) {
      const { genesisHash } = await chainIdentity(rpc);
      this.status = { ...this.status, genesisHash };
    }
    let market: Market;
    try {
      market = await connectReader(rpc, label);
    } catch (error) {
      return this.setStatus({ genesisHash: this.status.genesisHash, state: "waiting", message: oneLine(error) });
    }
    const head = await market.blockNumber();
    const from = Math.max(await market.deploymentBlock(), head - FEED_BACKFILL + 1);
    const found = await this.read(market, from, head, true);
    const earlier = (await tradePage(market, 0, KEEP_TRADES)).trades.filter((trade) => trade.block < from).reverse();
    const names = await market.names.namesOf(earlier.flatMap((t) => [t.buyer, t.seller]));
    this.market = market;
    this.next = head + 1;
    this.now = found.now;
    this.trades = keep([...earlier.map((t) => fillView(t, t.time, names)), ...found.trades], KEEP_TRADES);
    this.feed = keep(found.feed, KEEP_FEED);
    this.status = { genesisHash: market.genesisHash, market: market.contracts.Carbon, state: "ready" };
    this.publish({ type: "state", data: this.state() });
  }

  private async poll(): Promise<void> {
    const market = this.market!;
    const head = await market.blockNumber();
    if (head < this.next) return;
    const to = Math.min(head, this.next + STEP - 1);
    const found = await this.read(market, this.next, to, Date.now() - this.complianceAt > COMPLIANCE_MS);
    this.next = to + 1;
    this.now = found.now;
    this.trades = keep([...this.trades, ...found.trades], KEEP_TRADES);
    this.feed = keep([...this.feed, ...found.feed], KEEP_FEED);
    this.publish({ type: "update", data: found });
    // Caught up again after failed reads: the pages are told (a state message carries the status).
    if (this.status.message) this.setStatus({ ...this.status, message: undefined });
    if (to < head) this.wake?.();
  }

  /** Blocks `from` to `to`: their trades and feed lines, and the market's state at `to`. */
  private async read(market: Market, from: number, to: number, complianceDue: boolean): Promise<UpdateMessage> {
    const [events, carbonActivity, complianceActivity] = await Promise.all([
      bookEventsIn(market, from, to),
      market.events("Carbon", "Activity", from, to),
      market.events("Compliance", "Activity", from, to),
    ]);
    const lots = carbonActivity.filter((event) => Number(event.args.operation) === BUY_CARBON && event.args.isSuccess);
    const lotTimes = new Map(await Promise.all([...new Set(lots.map((e) => e.block))].map(async (block) => [block, await market.blockTime(block)] as const)));
    const names = await market.names.namesOf([...events.flatMap(accountsOf), ...lots.flatMap((e) => [String(e.args.account), String(e.args.counterparty)])]);

    const trades: TradeView[] = [];
    const feed: FeedLine[] = [];
    for (const event of ordersBeforeTheirFills(events)) {
      const key = event.kind === "trade" ? `f${event.block}.${event.trade.logIndex}` : `e${event.block}.${feed.length}.${this.feedSerial++}`;
      if (event.kind === "trade") trades.push(fillView(event.trade, event.time, names));
      feed.push(bookLine(event, key, names));
    }
    for (const event of lots) {
      const lot = lotView(event, lotTimes.get(event.block)!, names);
      trades.push(lot);
      feed.push(lotLine(lot));
    }
    const order = (a: { block: number; key: string }, b: { block: number; key: string }) => a.block - b.block;
    trades.sort(order);
    feed.sort(order);

    const touched = carbonActivity.length > 0 || complianceActivity.length > 0;
    const now = await this.readNow(market, to, complianceDue || touched || !this.now);
    return { now, trades, feed };
  }

  private async readNow(market: Market, head: number, withCompliance: boolean): Promise<MarketNow> {
    const book = new OrderBook(market);
    const [depth, band, halted, last, chainTime, compliance] = await Promise.all([
      book.depth(LEVELS),
      book.band(),
      book.halted(),
      book.lastPrice(),
      market.blockTime(head),
      withCompliance ? this.readCompliance(market) : Promise.resolve({ period: this.now?.period, compliance: this.now?.compliance ?? [] }),
    ]);
    // The lesson's results read every firm's records: as often as the compliance table, not every block.
    const lesson = withCompliance ? await readLesson(market) : this.now?.lesson;
    if (withCompliance) this.complianceAt = Date.now();
    const level = (l: { price: bigint; quantity: bigint; orders: number }): LevelView => ({ price: formatEther(l.price), quantity: l.quantity.toString(), orders: l.orders });
    return {
      head,
      chainTime,
      readAt: Date.now(),
      bids: depth.bids.map(level),
      asks: depth.asks.map(level),
      band: band.active
        ? { active: true, percent: band.bps / 100, low: formatEther(band.low), high: formatEther(band.high), reference: formatEther(band.referencePrice) }
        : { active: false, percent: band.bps / 100, ...(band.referencePrice ? { reference: formatEther(band.referencePrice) } : {}) },
      halted,
      ...(last ? { lastPrice: formatEther(last.price) } : {}),
      ...compliance,
      ...(lesson ? { lesson } : {}),
    };
  }

  private async readCompliance(market: Market): Promise<Pick<MarketNow, "period" | "compliance">> {
    const client = new Compliance(market);
    const current = await client.currentPeriod();
    if (!current) return { compliance: [] };
    const period = await client.period(current.periodId);
    const taking = await participants(market, client, period);
    const names = await market.names.namesOf(taking.map((p) => p.account));
    return {
      period: { id: period.periodId, label: period.label, cap: period.cap.toString(), allocated: period.allocated.toString(), reportBy: period.reportingDeadline, surrenderBy: period.surrenderDeadline, closed: period.closed },
      compliance: taking.map(complianceRow).map((row) => ({
        account: row.account,
        name: names.get(row.account) ?? "",
        allocated: row.allocated.toString(),
        ...(row.verified === undefined ? {} : { verified: row.verified.toString() }),
        surrendered: row.surrendered.toString(),
        status: row.status,
        penalty: formatEther(row.penalty),
        frozen: row.frozen,
      })),
    };
  }

  private setStatus(status: ChainStatus): void {
    const changed = status.state !== this.status.state || status.message !== this.status.message;
    this.status = status;
    if (changed) this.publish({ type: "state", data: this.state() });
  }

  private publish(message: WatchMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}

/** The lesson's rounds and leaders, or undefined where no round has been played (or the market has no lesson). */
async function readLesson(market: Market): Promise<LessonView | undefined> {
  let results: Awaited<ReturnType<typeof lessonResults>>;
  try {
    results = await lessonResults(market);
  } catch (error) {
    if (error instanceof UnavailableError) return undefined; // a market built before the lesson
    throw error;
  }
  if (results.rounds.length === 0) return undefined;
  const leaders = results.leaderboard.slice(0, LEADERS);
  const names = await market.names.namesOf(leaders.map((row) => row.account));
  return {
    rounds: results.rounds.map((round) => ({
      label: round.label,
      equilibrium: formatEther(round.equilibriumPrice),
      ...(round.averagePrice === undefined ? {} : { average: formatEther(round.averagePrice) }),
      ...(round.auction ? { auction: formatEther(round.auction.clearingPrice) } : {}),
      ...(round.efficiency === undefined ? {} : { efficiency: round.efficiency }),
    })),
    leaders: leaders.map((row) => ({ rank: row.rank, account: row.account, name: names.get(row.account) ?? "", total: roundedEther(row.total) })),
    firms: results.leaderboard.length,
  };
}

/** Signed ether to 4 decimals, as a room reads a score: -0.9363. */
function roundedEther(wei: bigint): string {
  const negative = wei < 0n;
  const ticks = ((negative ? -wei : wei) + 5n * 10n ** 13n) / 10n ** 14n;
  return `${negative && ticks > 0n ? "-" : ""}${formatEther(ticks * 10n ** 14n)}`;
}

/**
 * The contract logs an incoming order's fills before the order itself; read aloud, the order comes
 * first ("Ana bids for 20 at 0.012, filled at once", then "Ana bought 20 from Ben at 0.012").
 */
function ordersBeforeTheirFills(events: readonly FeedEvent[]): FeedEvent[] {
  const out: FeedEvent[] = [];
  for (const event of events) {
    if (event.kind === "order" && event.order.filled > 0n) {
      const { id } = event.order;
      const first = out.findIndex((e) => e.kind === "trade" && e.block === event.block && (e.trade.bidId === id || e.trade.askId === id));
      if (first >= 0) {
        out.splice(first, 0, event);
        continue;
      }
    }
    out.push(event);
  }
  return out;
}

function accountsOf(event: FeedEvent): string[] {
  switch (event.kind) {
    case "trade":
      return [event.trade.buyer, event.trade.seller];
    case "order":
      return [event.order.owner];
    case "cancel":
      return [event.owner];
    case "market":
      return [];
  }
}

function fillView(trade: { buyer: string; seller: string; price: bigint; quantity: bigint; block: number; logIndex: number }, time: number, names: Names): TradeView {
  return {
    kind: "fill",
    key: `f${trade.block}.${trade.logIndex}`,
    block: trade.block,
    time,
    buyer: trade.buyer,
    seller: trade.seller,
    buyerName: names.get(trade.buyer) ?? "",
    sellerName: names.get(trade.seller) ?? "",
    price: formatEther(trade.price),
    quantity: trade.quantity.toString(),
  };
}

/** A lot bought: Carbon's Activity(BuyCarbon) names the buyer, the seller and the quota paid. */
function lotView(event: ContractEvent, time: number, names: Names): TradeView {
  const buyer = String(event.args.account).toLowerCase();
  const seller = String(event.args.counterparty).toLowerCase();
  return {
    kind: "lot",
    key: `l${event.block}.${event.logIndex}`,
    block: event.block,
    time,
    buyer,
    seller,
    buyerName: names.get(buyer) ?? "",
    sellerName: names.get(seller) ?? "",
    quantity: String(event.args.amount),
    ...(unpackCarbonId(String(event.args.carbonId)) ? { lot: unpackCarbonId(String(event.args.carbonId)) } : {}),
  };
}

function keep<T>(items: T[], most: number): T[] {
  return items.length > most ? items.slice(items.length - most) : items;
}

function oneLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split("\n")[0].slice(0, 200);
}

