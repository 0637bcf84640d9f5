// The compliance cycle's user text to chain values, checked before anything is sent, with the limits
// contracts/Compliance.sol holds them to (so the contract's custom-error reverts are never reached
// from the CLI): the commands and the session's prompts share these, as they share input.ts.
import { UsageError } from "./errors";
import { carbonIdProblem, MAX_UINT256 } from "./input";

/** Tonnes and surrendered amounts live in 96 bits on chain, like the registries' balances. */
export const MAX_TONNES = 2n ** 96n - 1n;
/** A period's cap: 128 bits. */
export const MAX_CAP = 2n ** 128n - 1n;
/** The penalty rate: 64 bits. */
export const MAX_PENALTY_RATE = 2n ** 64n - 1n;
/** A rejection's or correction's reason: 1 to 256 bytes. */
export const MAX_REASON_BYTES = 256;

function whole(text: string, what: string, min: bigint, max: bigint): bigint {
  const trimmed = text.trim();
  const range = `${min} to ${max === MAX_UINT256 ? "2^256-1" : max}`;
  if (!/^\d+$/.test(trimmed)) throw new UsageError(`${what} "${text}" is not a whole number from ${range}`);
  const value = BigInt(trimmed);
  if (value < min || value > max) throw new UsageError(`${what} ${trimmed} is outside ${range}`);
  return value;
}

/** Verified or reported emissions: 0 (a year without emissions) to 2^96-1. */
export function parseTonnes(text: string, what = "tonnes"): bigint {
  return whole(text, what, 0n, MAX_TONNES);
}

/** A surrender: 1 to 2^96-1. */
export function parseSurrender(text: string): bigint {
  return whole(text, "amount", 1n, MAX_TONNES);
}

export function parseCap(text: string): bigint {
  return whole(text, "--cap", 1n, MAX_CAP);
}

export function parsePenaltyRate(text: string): bigint {
  return whole(text, "--penalty-rate", 0n, MAX_PENALTY_RATE);
}

/** A period's label is written on chain like a lot ID: 1 to 32 bytes of characters that show. */
export function parsePeriodLabel(text: string): string {
  const label = /\p{Surrogate}/u.test(text) ? text : text.normalize("NFC");
  const problem = carbonIdProblem(label);
  if (problem) throw new UsageError(problem.replace(/carbon ID|IDs/g, (word) => (word === "IDs" ? "labels" : "period label")));
  return label;
}

/** A reason kept on chain: 1 to 256 bytes. */
export function parseReason(text: string, what = "reason"): string {
  const bytes = Buffer.byteLength(text, "utf8");
  if (text.trim() === "") throw new UsageError(`${what} is empty; say why (it stays on the chain)`);
  if (bytes > MAX_REASON_BYTES) throw new UsageError(`${what} is ${bytes} bytes; at most ${MAX_REASON_BYTES} are kept on chain`);
  return text;
}
