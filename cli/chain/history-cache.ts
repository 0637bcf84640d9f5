// What history scans learnt, kept in CARBON_HOME: for an account, the block up to which the chain
// holds none of its Activity (from the market's deployment block on), with that block's hash. An
// account with no history is otherwise proved so only by reading every block range since the
// deployment, a cost that grows with the chain; with this, the next `records` reads only the blocks
// mined since, whatever the chain's length. The hash is checked against the chain in the same round
// trip as the head: a chain that lost or replaced that block (a reset, a rollback) is scanned afresh.
import fs from "node:fs";
import path from "node:path";
import { carbonHome } from "./home";

/** No matching log in [the deployment block, `block`], whose hash was `hash`. */
export interface EmptyThrough {
  block: number;
  hash: string;
}

/** The most accounts one market's file remembers; the least recently scanned are forgotten first. */
const MAX_ENTRIES = 2_000;

type Book = Record<string, EmptyThrough & { at: number }>;

function bookPath(genesisHash: string, carbon: string): string {
  return path.join(carbonHome(), "cache", `history-${genesisHash.slice(2, 18)}-${carbon.toLowerCase().slice(2, 18)}.json`);
}

function readBook(file: string): Book {
  try {
    const book = JSON.parse(fs.readFileSync(file, "utf8")) as Book;
    return book && typeof book === "object" && !Array.isArray(book) ? book : {};
  } catch {
    return {};
  }
}

export function emptyThrough(genesisHash: string, carbon: string, key: string): EmptyThrough | undefined {
  const entry = readBook(bookPath(genesisHash, carbon))[key];
  return entry && Number.isSafeInteger(entry.block) && typeof entry.hash === "string" ? { block: entry.block, hash: entry.hash } : undefined;
}

export function rememberEmptyThrough(genesisHash: string, carbon: string, key: string, empty: EmptyThrough): void {
  try {
    const file = bookPath(genesisHash, carbon);
    const book = readBook(file);
    book[key] = { ...empty, at: Date.now() };
    const keys = Object.keys(book);
    if (keys.length > MAX_ENTRIES) {
      for (const old of keys.sort((a, b) => book[a].at - book[b].at).slice(0, keys.length - MAX_ENTRIES)) delete book[old];
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(book));
    fs.renameSync(temporary, file);
  } catch {
    // A read-only home only costs the scan again next time.
  }
}

/** Forgets an entry the chain no longer agrees with. */
export function forgetEmptyThrough(genesisHash: string, carbon: string, key: string): void {
  try {
    const file = bookPath(genesisHash, carbon);
    const book = readBook(file);
    if (!(key in book)) return;
    delete book[key];
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(book));
    fs.renameSync(temporary, file);
  } catch {
    // Nothing to forget, or a read-only home.
  }
}
