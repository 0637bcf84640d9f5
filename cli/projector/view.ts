// What the projector's server sends its page (as JSON, over /api/state and the /api/events stream):
// plain strings and numbers only, quantities and prices already in the units a class reads (whole
// units, ether a unit), so the page computes nothing the chain layer already decides. Shared by
// the server (cli/projector/) and the page (cli/projector/page/), which import these types only.

/** One price level of the depth ladder. */
export interface LevelView {
  /** Ether a unit, as the CLI prints it ("0.012"). */
  price: string;
  quantity: string;
  orders: number;
}

/** A trade on the chart and in the last trades: a fill of the book, or a lot bought in the shop. */
export interface TradeView {
  kind: "fill" | "lot";
  block: number;
  /** Unix seconds on the chain's clock. */
  time: number;
  buyer: string;
  seller: string;
  /** Display names ("" for an account without one). */
  buyerName: string;
  sellerName: string;
  /** A fill: ether a unit. A lot has no ether price: it is paid for in quota (`quantity`). */
  price?: string;
  quantity: string;
  /** A lot's carbon ID. */
  lot?: string;
  /** Unique within a chain: block and log index. */
  key: string;
}

/** One line of the feed, in plain words. */
export interface FeedLine {
  key: string;
  block: number;
  time: number;
  kind: "trade" | "lot" | "order" | "cancel" | "market";
  text: string;
}

export interface PeriodInfo {
  id: number;
  label: string;
  cap: string;
  allocated: string;
  /** Unix seconds on the chain's clock. */
  reportBy: number;
  surrenderBy: number;
  closed: boolean;
}

export interface ComplianceRowView {
  account: string;
  name: string;
  allocated: string;
  verified?: string;
  surrendered: string;
  status: string;
  penalty: string;
  frozen: boolean;
}

export interface BandView {
  active: boolean;
  /** ±percent, e.g. 5 for 500 basis points. */
  percent: number;
  low?: string;
  high?: string;
  reference?: string;
}

/** A round of the lesson on the chart: its equilibrium price against the class's. */
export interface LessonRoundView {
  label: string;
  /** Ether a unit. */
  equilibrium: string;
  /** The book's average price in the round, if it traded. */
  average?: string;
  /** The auction's clearing price, if the round had one cleared. */
  auction?: string;
  efficiency?: number;
}

export interface LeaderView {
  rank: number;
  account: string;
  name: string;
  /** Ether: the rounds' profit and the quota held at the last price. */
  total: string;
}

/** The lesson, when one runs (at least one round). */
export interface LessonView {
  rounds: LessonRoundView[];
  /** The first LEADERS. */
  leaders: LeaderView[];
  firms: number;
}

/** The most firms the leaderboard shows: what fits beside the chart. */
export const LEADERS = 8;

/** The market's state at a block: replaced whole by each update. */
export interface MarketNow {
  head: number;
  /** The chain's clock at the head block (unix seconds) and the server's clock when it was read (ms). */
  chainTime: number;
  readAt: number;
  bids: LevelView[];
  asks: LevelView[];
  band: BandView;
  halted: boolean;
  lastPrice?: string;
  period?: PeriodInfo;
  compliance: ComplianceRowView[];
  lesson?: LessonView;
}

/** Where the server stands with the chain. */
export interface ChainStatus {
  genesisHash: string;
  /** The market's Carbon address, once found. */
  market?: string;
  /** "waiting": no market yet (or the chain is not open to remote callers yet); "ready": reading it. */
  state: "waiting" | "ready";
  message?: string;
}

/** /api/state, and the stream's first message ("state"). */
export interface StateMessage {
  status: ChainStatus;
  now?: MarketNow;
  /** Oldest first, at most the server's cap. */
  trades: TradeView[];
  feed: FeedLine[];
}

/** The stream's "update" message: what one poll found since the last. */
export interface UpdateMessage {
  now: MarketNow;
  trades: TradeView[];
  feed: FeedLine[];
}

/** The most trades and feed lines the server and the page keep: a two-hour lesson stays this size. */
export const KEEP_TRADES = 300;
export const KEEP_FEED = 200;
