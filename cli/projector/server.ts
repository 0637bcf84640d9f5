// The projector's server: the page's own files, its one read (/api/state) and its stream of changes
// (/api/events), answered on the chain's own port by the gate (cli/gate/gate.ts routes GETs here
// once the page's guard passed them). It holds no key and reads the chain through the gate's
// remote-caller path, so it can do no more than a student can.
//
// Why server-sent events: the page only listens (it sends nothing but the GET that opens the
// stream), SSE is a plain GET the gate's rules already cover (no upgrade, no second protocol to
// guard), and the browser's EventSource reconnects by itself, which is what carries the page
// across a chain restart. One watch polls the chain for every open page; polling from each
// browser would multiply the chain's load by the room.
import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { PROJECT_ROOT } from "../chain/home";
import type { Rpc } from "../chain/rpc";
import { MarketWatch, type WatchMessage } from "./market-watch";

/** The parts, each also a page of its own; "/" shows them all. */
export const PAGES = ["/", "/book", "/chart", "/trades", "/feed", "/compliance", "/lesson"] as const;
/** Open streams at once: each holds a socket and its pending writes. */
const MAX_STREAMS = 200;
/** A comment line now and then keeps idle proxies and the browser from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** What EventSource waits before reconnecting: a restarted chain is back in a few seconds. */
const RETRY_MS = 1_000;

export interface Projector {
  handle(request: http.IncomingMessage, response: http.ServerResponse): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml" };

/** Every file the page may load, by URL: nothing outside this list is ever read from disk. */
function files(): Map<string, string> {
  const source = path.join(PROJECT_ROOT, "cli", "projector", "page");
  const built = path.join(PROJECT_ROOT, "dist", "projector-page");
  const uplot = path.dirname(require.resolve("uplot/dist/uPlot.iife.min.js"));
  const map = new Map<string, string>([
    ["/page/style.css", path.join(source, "style.css")],
    ["/page/icon.svg", path.join(source, "icon.svg")],
    // Browsers ask for it whatever the page says.
    ["/favicon.ico", path.join(source, "icon.svg")],
    ["/vendor/uPlot.iife.min.js", path.join(uplot, "uPlot.iife.min.js")],
    ["/vendor/uPlot.min.css", path.join(uplot, "uPlot.min.css")],
    ["/view.js", path.join(built, "view.js")],
  ]);
  for (const page of PAGES) map.set(page, path.join(source, "index.html"));
  const scripts = path.join(built, "page");
  for (const name of fs.existsSync(scripts) ? fs.readdirSync(scripts) : []) if (name.endsWith(".js")) map.set(`/page/${name}`, path.join(scripts, name));
  return map;
}

export function startProjector({ rpc, label }: { rpc: Rpc; label: string }): Projector {
  const watch = new MarketWatch({ rpc, label });
  const known = files();
  const streams = new Set<http.ServerResponse>();

  const handle = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://page");
    if (url.pathname === "/api/state") return json(response, request, watch.state());
    if (url.pathname === "/api/events") return stream(request, response);
    const file = known.get(url.pathname);
    if (!file) return text(response, 404, `${url.pathname} is not a page of the projector: try ${PAGES.join(" ")}`);
    fs.readFile(file, (error, body) => {
      if (error) return text(response, 404, `${url.pathname} is missing: run \`npm run build\``);
      response.writeHead(200, { ...SAFE_HEADERS, "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "content-length": body.length });
      response.end(request.method === "HEAD" ? undefined : body);
    });
  };

  const stream = (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (streams.size >= MAX_STREAMS) return text(response, 503, `at most ${MAX_STREAMS} pages can be open at once`);
    response.writeHead(200, { ...SAFE_HEADERS, "content-type": "text/event-stream; charset=utf-8", connection: "keep-alive" });
    if (request.method === "HEAD") return void response.end();
    streams.add(response);
    const send = (message: WatchMessage) => response.write(`event: ${message.type}\ndata: ${JSON.stringify(message.data)}\n\n`);
    response.write(`retry: ${RETRY_MS}\n\n`);
    send({ type: "state", data: watch.state() });
    const stop = watch.subscribe(send);
    const heartbeat = setInterval(() => response.write(": still here\n\n"), HEARTBEAT_MS);
    heartbeat.unref();
    response.on("close", () => {
      stop();
      clearInterval(heartbeat);
      streams.delete(response);
    });
  };

  return {
    handle,
    close: async () => {
      for (const response of streams) response.end();
      await watch.stop();
    },
  };
}

/**
 * No CORS header (no other site may read the answers), no framing by another site, and a page that
 * loads nothing from anywhere but here (classrooms are often offline; a CDN would also be a door).
 */
const SAFE_HEADERS = {
  "cache-control": "no-cache",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
};

function json(response: http.ServerResponse, request: http.IncomingMessage, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(200, { ...SAFE_HEADERS, "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(request.method === "HEAD" ? undefined : body);
}

function text(response: http.ServerResponse, status: number, message: string): void {
  response.writeHead(status, { ...SAFE_HEADERS, "content-type": "text/plain; charset=utf-8" });
  response.end(message + "\n");
}
