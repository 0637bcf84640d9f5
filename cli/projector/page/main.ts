// The projector's page: one EventSource on /api/events, whose messages replace the market's state
// ("state": everything, on opening and whenever the server's view of the chain changes) or add to
// it ("update": one poll's blocks). The browser reopens the stream by itself when the chain
// restarts; a chain that comes back with another genesis (a reset) is said so, and its state
// replaces the old one whole.
import type { StateMessage, UpdateMessage } from "../view.js";
import { KEEP_FEED, KEEP_TRADES } from "../view.js";
import { drawChart } from "./chart.js";
import { drawLesson } from "./lesson.js";
import { drawBook, drawCompliance, drawFeed, drawStatus, drawTrades } from "./render.js";

const PARTS = ["book", "chart", "feed", "compliance", "trades", "lesson"];

export interface PageState {
  message: StateMessage;
  /** This browser's clock when `message.now` arrived: the chain's clock runs on from there. */
  receivedAt: number;
  /** Messages handled, for the tests and the bench. */
  handled: number;
}

const state: PageState = { message: { status: { genesisHash: "", state: "waiting", message: "connecting" }, trades: [], feed: [] }, receivedAt: Date.now(), handled: 0 };

function onState(message: StateMessage): void {
  const before = state.message.status.genesisHash;
  if (before && message.status.genesisHash && before !== message.status.genesisHash) notice("The chain was reset: this is its new market", 15_000);
  state.message = message;
  state.receivedAt = Date.now();
  state.handled++;
  drawAll();
}

function onUpdate(update: UpdateMessage): void {
  const m = state.message;
  m.now = update.now;
  if (update.trades.length) m.trades = keep([...m.trades, ...update.trades], KEEP_TRADES);
  if (update.feed.length) m.feed = keep([...m.feed, ...update.feed], KEEP_FEED);
  state.receivedAt = Date.now();
  state.handled++;
  drawAll();
}

function drawAll(): void {
  const m = state.message;
  drawStatus(m, state.receivedAt);
  drawBook(m.now);
  drawChart(m.trades, m.now?.band);
  drawTrades(m.trades);
  drawFeed(m.feed);
  drawCompliance(m.now);
  drawLesson(m.now?.lesson);
  if (m.now) document.body.dataset.head = String(m.now.head);
}

function keep<T>(items: T[], most: number): T[] {
  return items.length > most ? items.slice(items.length - most) : items;
}

let noticeTimer: number | undefined;
function notice(text: string | undefined, forMs?: number): void {
  const element = document.getElementById("notice")!;
  window.clearTimeout(noticeTimer);
  element.hidden = text === undefined;
  element.textContent = text ?? "";
  if (text !== undefined && forMs) noticeTimer = window.setTimeout(() => notice(undefined), forMs);
}

function connect(): void {
  const source = new EventSource("/api/events");
  let lost = false;
  source.addEventListener("state", (event) => {
    if (lost) notice("Reconnected to the chain", 4_000);
    lost = false;
    onState(JSON.parse((event as MessageEvent<string>).data) as StateMessage);
  });
  source.addEventListener("update", (event) => onUpdate(JSON.parse((event as MessageEvent<string>).data) as UpdateMessage));
  // EventSource retries on its own (the server asks for 1 s); only a stream the browser gave up on
  // (CLOSED) is opened again here.
  source.addEventListener("error", () => {
    lost = true;
    notice("The chain is not answering (restarting?): reconnecting…");
    document.body.dataset.lost = "1";
    if (source.readyState === EventSource.CLOSED) window.setTimeout(connect, 2_000);
  });
  source.addEventListener("open", () => delete document.body.dataset.lost);
}

function choosePart(): void {
  const part = location.pathname.replace(/^\//, "");
  if (!PARTS.includes(part)) return;
  document.body.classList.add("only");
  document.getElementById(part)?.classList.add("shown");
}

choosePart();
drawAll();
connect();
// The deadlines count down on the chain's clock between blocks.
window.setInterval(() => drawStatus(state.message, state.receivedAt), 1_000);
(window as unknown as { projector: unknown }).projector = { state, onState, onUpdate };
