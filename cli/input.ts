// User text to chain values: every check the CLI makes before it talks to the node. Commands call
// these on their options and the interactive prompts call them as the user types, so the two faces
// refuse exactly the same input with exactly the same message.
import { UsageError } from "./errors";

/** An account as the user names it: a 0x address, or an index into the node's account list. */
export type AccountRef = { address: string } | { index: number };

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
  return { address: parseAddress(trimmed, what) };
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

/** A lot's ID: 1 to 32 bytes of UTF-8 without NUL, as CarbonId.pack accepts. */
export function parseCarbonId(text: string): string {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes === 0) throw new UsageError("carbon ID is empty; it must be 1 to 32 bytes");
  if (bytes > 32) throw new UsageError(`carbon ID "${text}" is ${bytes} bytes; it must be 1 to 32 bytes`);
  if (text.includes("\0")) throw new UsageError("carbon ID must not contain a NUL character");
  if (/[\uD800-\uDFFF]/u.test(text)) throw new UsageError("carbon ID is not valid UTF-8");
  return text;
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
