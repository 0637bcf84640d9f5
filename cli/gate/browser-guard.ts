// What a web page can send without the teacher meaning it. A browser POSTs to any address a page
// names, with no preflight for a "simple" request (text/plain), and with DNS rebinding a page on a
// foreign name can even read the answers. Three marks tell such a request from a program's, and
// the gate refuses all three from every caller, this machine's included:
// - an Origin header: browsers send one on every cross-origin POST; command-line clients, Truffle
//   and web3 in Node send none, and the product's own page (the projector) reads through its
//   server, never by JSON-RPC;
// - a Host that is not an IP address or localhost: rebinding works through a name the attacker owns;
// - a content type other than JSON: the simple requests a page sends without asking are
//   text/plain, form data or multipart.
import type http from "node:http";
import net from "node:net";

export function browserProblem(headers: http.IncomingHttpHeaders): string | undefined {
  if (headers.origin !== undefined) return `requests from web pages (Origin: ${clip(headers.origin)}) are refused: this chain answers programs, not browsers`;
  const host = hostProblem(headers);
  if (host) return host;
  const type = (headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") return `content type ${clip(type || "(none)")} is refused: JSON-RPC is sent as application/json`;
  return undefined;
}

/**
 * A GET of the projector's page (cli/projector/): the page is the product's own, so its own origin
 * may read it, and nothing else. The same Host rule holds (a rebinding page would come through a
 * name); a same-origin GET carries no Origin in Chromium, and one that does must be the page's own
 * (http://<the Host it was reached by>). The answers carry no CORS header, so no other site reads them.
 */
export function pageProblem(headers: http.IncomingHttpHeaders): string | undefined {
  const host = hostProblem(headers);
  if (host) return host;
  if (headers.origin !== undefined && headers.origin !== `http://${headers.host}`) {
    return `requests from other sites (Origin: ${clip(headers.origin)}) are refused: this page answers only itself`;
  }
  return undefined;
}

function hostProblem(headers: http.IncomingHttpHeaders): string | undefined {
  const host = hostName(headers.host);
  if (host === undefined || !(host === "localhost" || net.isIP(host) !== 0)) {
    return `Host ${clip(headers.host ?? "(none)")} is refused: reach this chain by its IP address or localhost`;
  }
  return undefined;
}

/** The name in a Host header without its port ("[::1]:8545" → "::1"). */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (bracketed) return bracketed[1];
  return header.replace(/:\d+$/, "").toLowerCase();
}

function clip(text: string): string {
  return JSON.stringify(text.slice(0, 80));
}
