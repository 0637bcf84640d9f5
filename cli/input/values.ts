// User text to chain values: every check the CLI makes before it talks to the node. Commands call
// these on their options and the interactive prompts call them as the user types, so the two faces
// refuse exactly the same input with exactly the same message.
import { UsageError } from "../support/errors";
import { accountNameProblem, normaliseAccountName } from "./account-name";
import { carbonIdProblem } from "./visible-text";

export { carbonIdProblem, FORBIDDEN_ID_CHARACTERS, type TextKind } from "./visible-text";

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

/** "30%" or "12.5%" as basis points (0 to 10,000). */
export function parsePercent(text: string, what: string): bigint {
  const match = /^\s*(\d+(?:\.\d{1,2})?)\s*%?\s*$/.exec(text);
  if (!match) throw new UsageError(`${what} "${text}" is not a percentage such as 30%`);
  const [whole, fraction = ""] = match[1].split(".");
  const bps = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
  if (bps > 10_000n) throw new UsageError(`${what} is at most 100%, not ${text}`);
  return bps;
}
