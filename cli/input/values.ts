// User text to chain values: every check the CLI makes before it talks to the node. Commands call
// these on their options and the interactive prompts call them as the user types, so the two faces
// refuse exactly the same input with exactly the same message.
import { UsageError } from "../support/errors";
import { accountNameProblem, normaliseAccountName } from "./account-name";

/**
 * An account as the user names it: a 0x address, an index into the node's account list, or a name
 * (the market's display name or a wallet's name; Market.resolve decides which).
 */
export type AccountRef = { address: string } | { index: number } | { name: string };

export const MAX_UINT256 = 2n ** 256n - 1n;
const ZERO_ADDRESS = "0x" + "0".repeat(40);

/** A parser of user text: the value, or a UsageError saying what is wrong with the text. */
export type Check<T> = (text: string) => T;

export function parseAccount(text: string, what = "account"): AccountRef {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const index = Number(trimmed);
    if (!Number.isSafeInteger(index)) throw new UsageError(`${what} index ${trimmed} is too large`);
    return { index };
  }
  if (/^0x/i.test(trimmed)) return { address: parseAddress(trimmed, what) };
  const name = normaliseAccountName(trimmed);
  const problem = accountNameProblem(name);
  if (problem) throw new UsageError(`${what} "${trimmed}" is not an address (0x and 40 hex digits), an account index or a name: ${problem}`);
  return { name };
}

export function parseAddress(raw: string, what = "account"): string {
  // 0X is as good as 0x: the prefix carries no checksum, only the 40 digits do.
  const text = /^0X/.test(raw) ? "0x" + raw.slice(2) : raw;
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    throw new UsageError(`${what} "${text}" is not an address (0x and 40 hex digits) or an account index`);
  }
  const lower = text.toLowerCase();
  if (lower === ZERO_ADDRESS) throw new UsageError(`${what} is the zero address, which is nobody's account`);
  // Mixed case is an EIP-55 checksum; a typo in it must not send to a stranger.
  if (text !== lower && text.slice(2) !== text.slice(2).toUpperCase()) {
    const { checkAddressChecksum } = require("web3-utils") as typeof import("web3-utils");
    if (!checkAddressChecksum(text)) throw new UsageError(`${what} ${text} has a wrong checksum (check its letter case)`);
  }
  return lower;
}

/** A quota amount or a price: a whole number from 1 to 2^256-1, in decimal digits. */
export function parseAmount(text: string, what = "amount"): bigint {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) throw new UsageError(`${what} "${text}" is not a whole number from 1 to 2^256-1`);
  const value = BigInt(trimmed);
  if (value < 1n || value > MAX_UINT256) throw new UsageError(`${what} ${trimmed} is outside 1 to 2^256-1`);
  return value;
}

/** The highest price a lot can carry: the contract packs it in 64 bits (CarbonPriceTooHigh above it). */
export const MAX_PRICE = 2n ** 64n - 1n;

/** A lot's price: a whole number from 1 to 2^64-1. */
export function parsePrice(text: string): bigint {
  const value = parseAmount(text, "price");
  if (value > MAX_PRICE) throw new UsageError(`price ${value} is above the highest price a lot can carry, 2^64-1 (${MAX_PRICE})`);
  return value;
}

/**
 * The code points a lot ID may not hold, with why: the on-chain rule of contracts/CarbonId.sol, range
 * for range (test/contracts/carbon-id.test.ts checks the two against one table). They would let two
 * IDs that look the same be different lots, or rewrite the terminal that shows them.
 */
export const FORBIDDEN_ID_CHARACTERS: readonly (readonly [number, number, string])[] = [
  [0x00, 0x1f, "a control character"],
  [0x7f, 0x9f, "a control character"],
  [0xad, 0xad, "an invisible character"],
  [0x300, 0x36f, "a combining mark (type the composed letter)"],
  [0x61c, 0x61c, "a bidirectional control"],
  [0x115f, 0x1160, "an invisible character"],
  [0x17b4, 0x17b5, "an invisible character"],
  [0x180b, 0x180f, "an invisible character"],
  [0x200b, 0x200f, "an invisible or bidirectional-control character"],
  [0x2028, 0x202e, "an invisible or bidirectional-control character"],
  [0x2060, 0x206f, "an invisible or bidirectional-control character"],
  [0x3164, 0x3164, "an invisible character"],
  [0xfe00, 0xfe0f, "a variation selector"],
  [0xfeff, 0xfeff, "an invisible character"],
  [0xffa0, 0xffa0, "an invisible character"],
  [0xfff0, 0xffff, "a special (U+FFFD marks bytes that were not UTF-8)"],
  [0x13430, 0x1343f, "an invisible format control"],
  [0x1bca0, 0x1bca3, "an invisible format control"],
  [0x1d173, 0x1d17a, "an invisible format control"],
  [0xe0000, 0xe0fff, "a tag or variation selector"],
];

function forbidden(codePoint: number): string | undefined {
  return FORBIDDEN_ID_CHARACTERS.find(([first, last]) => codePoint >= first && codePoint <= last)?.[2];
}

const hex = (codePoint: number): string => "U+" + codePoint.toString(16).toUpperCase().padStart(4, "0");

/** What a text rule's messages call the text: lot IDs and account names share the rule (VisibleText.sol). */
export interface TextKind {
  one: string;
  many: string;
}

const CARBON_ID: TextKind = { one: "carbon ID", many: "IDs" };

/**
 * What the contract would refuse in this lot ID, as it stands (no normalisation), or undefined if it
 * accepts it: 1 to 32 bytes of well-formed UTF-8 without a forbidden character. Raw bytes are checked
 * as bytes: invalid UTF-8 is named, not replaced.
 */
export function carbonIdProblem(id: string | Uint8Array, what: TextKind = CARBON_ID): string | undefined {
  let text: string;
  let bytes: number;
  if (typeof id === "string") {
    if (/\p{Surrogate}/u.test(id)) return `${what.one} is not valid UTF-8 (it holds a lone surrogate)`;
    text = id;
    bytes = Buffer.byteLength(id, "utf8");
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(id);
    } catch {
      return `${what.one} is not valid UTF-8`;
    }
    bytes = id.length;
  }
  if (bytes === 0) return `${what.one} is empty; it must be 1 to 32 bytes`;
  for (const character of text) {
    const codePoint = character.codePointAt(0)!;
    const why = forbidden(codePoint);
    if (why) return `${what.one} holds ${hex(codePoint)}, ${why}: ${what.many} hold only characters that show`;
  }
  // Quoted only now: what is left shows as itself.
  if (bytes > 32) return `${what.one} "${text}" is ${bytes} bytes; it must be 1 to 32 bytes`;
  return undefined;
}

/**
 * A lot's ID as the user typed it, normalised to NFC (so "café" typed decomposed is the same lot as
 * "café" typed composed), then held to the contract's rule (carbonIdProblem).
 */
export function parseCarbonId(text: string): string {
  const id = /\p{Surrogate}/u.test(text) ? text : text.normalize("NFC");
  const problem = carbonIdProblem(id);
  if (problem) throw new UsageError(problem);
  return id;
}

export function parsePassword(text: string): string {
  if (text.length === 0) throw new UsageError("password is empty");
  return text;
}

/** Turns a parser into an inquirer `validate`: true, or the message to show under the prompt. */
export function asValidator<T>(parse: Check<T>): (text: string) => true | string {
  return (text) => {
    try {
      parse(text);
      return true;
    } catch (error) {
      if (error instanceof UsageError) return error.message;
      throw error;
    }
  };
}
