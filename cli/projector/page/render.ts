// The page's parts other than the chart, drawn from the server's view of the market. Every
// account, name and message is set as text (textContent), never as markup.
import type { FeedLine, MarketNow, StateMessage, TradeView } from "../view.js";

const TRADES_SHOWN = 14;
const FEED_SHOWN = 30;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  if (className) element.className = className;
  return element;
}

function fact(label: string, value: string, className?: string): HTMLElement {
  const span = el("span", `${label} `, className);
  span.append(el("b", value));
  return span;
}

function empty(section: string, isEmpty: boolean): void {
  const p = document.querySelector<HTMLElement>(`#${section} .empty`);
  if (p) p.hidden = !isEmpty;
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

export function clock(unixSeconds: number, withDate = false): string {
  const d = new Date(unixSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withDate ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time.slice(0, 5)}` : time;
}

/** "in 3 d 4 h", "in 12 min", "in 45 s": how long until a deadline, or "passed". */
export function untilText(seconds: number): string {
  if (seconds <= 0) return "passed";
  if (seconds >= 86_400) return `in ${Math.floor(seconds / 86_400)} d ${Math.floor((seconds % 86_400) / 3_600)} h`;
  if (seconds >= 3_600) return `in ${Math.floor(seconds / 3_600)} h ${Math.floor((seconds % 3_600) / 60)} min`;
  if (seconds >= 60) return `in ${Math.floor(seconds / 60)} min`;
  return `in ${Math.floor(seconds)} s`;
}

export function drawStatus(message: StateMessage, receivedAt: number): void {
  const period = document.getElementById("period")!;
  const market = document.getElementById("market")!;
  const now = message.now;
  if (message.status.state !== "ready" || !now) {
    period.replaceChildren(el("span", message.status.message ? `Waiting for the market: ${message.status.message}` : "Waiting for the market"));
    market.replaceChildren();
    return;
  }
  const chainNow = now.chainTime + (Date.now() - receivedAt) / 1000;
  const p = now.period;
  period.replaceChildren(
    fact("Chain clock", clock(chainNow, true)),
    ...(p
      ? [
          fact("Period", `${p.label}${p.closed ? " (closed)" : ""}`),
          fact("Report by", `${clock(p.reportBy, true)} (${untilText(p.reportBy - chainNow)})`),
          fact("Surrender by", `${clock(p.surrenderBy, true)} (${untilText(p.surrenderBy - chainNow)})`),
        ]
      : [el("span", "No period open")]),
  );
  const band = now.band.active ? `±${now.band.percent}% · ${now.band.low} to ${now.band.high}` : "none";
  market.replaceChildren(
    ...(now.halted ? [el("span", "TRADING HALTED", "halted")] : []),
    // The server could not read the latest blocks (it tries again): what is shown may be behind.
    ...(message.status.message ? [el("span", `Behind: ${message.status.message}`, "behind")] : []),
    fact("Last", now.lastPrice ?? "—"),
    fact("Band", band),
    fact("Block", String(now.head)),
  );
}

export function drawBook(now: MarketNow | undefined): void {
  const body = document.querySelector("#ladder tbody")!;
  const asks = [...(now?.asks ?? [])].reverse();
  const bids = now?.bids ?? [];
  const most = Math.max(1, ...asks.map((l) => Number(l.quantity)), ...bids.map((l) => Number(l.quantity)));
  const bar = (quantity: string, side: "bid" | "ask") => {
    const cell = el("td", undefined, `bar ${side}`);
    const span = el("span");
    span.style.width = `${Math.max(4, (100 * Number(quantity)) / most)}%`;
    cell.append(span);
    return cell;
  };
  const rows = [
    ...asks.map((level) => {
      const row = el("tr");
      row.dataset.side = "ask";
      row.append(el("td"), el("td"), el("td", level.price, "price"), bar(level.quantity, "ask"), el("td", level.quantity, "ask"));
      return row;
    }),
    ...bids.map((level, i) => {
      const row = el("tr", undefined, i === 0 && asks.length ? "spread" : undefined);
      row.dataset.side = "bid";
      row.append(el("td", level.quantity, "bid"), bar(level.quantity, "bid"), el("td", level.price, "price"), el("td"), el("td"));
      return row;
    }),
  ];
  body.replaceChildren(...rows);
  empty("book", rows.length === 0);
}

function party(name: string, address: string): string {
  return name || shortAddress(address);
}

export function drawTrades(trades: readonly TradeView[]): void {
  const list = document.querySelector("#trades .lines")!;
  const shown = trades.slice(-TRADES_SHOWN).reverse();
  list.replaceChildren(
    ...shown.map((t) => {
      const item = el("li", undefined, t.kind === "lot" ? "lot" : "trade");
      const what = t.kind === "fill" ? `${t.quantity} at ${t.price} · ${party(t.buyerName, t.buyer)} from ${party(t.sellerName, t.seller)}` : `lot ${t.lot ?? ""} for ${t.quantity} quota · ${party(t.buyerName, t.buyer)} from ${party(t.sellerName, t.seller)}`;
      item.append(el("time", clock(t.time)), document.createTextNode(what));
      return item;
    }),
  );
  empty("trades", shown.length === 0);
}

export function drawFeed(feed: readonly FeedLine[]): void {
  const list = document.querySelector("#feed .lines")!;
  const shown = feed.slice(-FEED_SHOWN).reverse();
  list.replaceChildren(
    ...shown.map((line) => {
      const item = el("li", undefined, line.kind);
      item.append(el("time", clock(line.time)), document.createTextNode(line.text));
      return item;
    }),
  );
  empty("feed", shown.length === 0);
}

export function drawCompliance(now: MarketNow | undefined): void {
  const body = document.querySelector("#compliance-table tbody")!;
  const rows = now?.compliance ?? [];
  document.getElementById("compliance-period")!.textContent = now?.period ? `· period ${now.period.label}, cap ${now.period.cap}, allocated ${now.period.allocated}` : "";
  body.replaceChildren(
    ...rows.map((row) => {
      const tr = el("tr");
      const firm = el("td", party(row.name, row.account));
      if (row.frozen) firm.append(el("span", "frozen", "frozen"));
      const status = el("td");
      status.append(el("span", row.status, `status ${row.status}`));
      tr.append(firm, el("td", row.allocated, "num"), el("td", row.verified ?? "—", "num"), el("td", row.surrendered, "num"), status, el("td", row.penalty, "num"));
      return tr;
    }),
  );
  const p = document.querySelector<HTMLElement>("#compliance .empty")!;
  p.hidden = rows.length > 0;
  p.textContent = now?.period ? "No firm takes part in this period yet" : "No period open yet";
}
