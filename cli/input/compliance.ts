// The compliance cycle's numbers as typed, checked before anything is sent, with the limits
// contracts/Compliance.sol holds them to (chain/compliance.ts names them), so the commands and the
// session's prompts refuse the same text with the same message. Labels and reasons are checked by
// the client's own parseLabel and parseReason.
import { MAX_CAP, MAX_PENALTY_RATE, MAX_TONNES } from "../chain/compliance-types";
import { UsageError } from "../support/errors";

function whole(text: string, what: string, min: bigint, max: bigint, maxName: string): bigint {
  const trimmed = text.trim();
  const range = `${min} to ${maxName}`;
  if (!/^\d+$/.test(trimmed)) throw new UsageError(`${what} "${text}" is not a whole number from ${range}`);
  const value = BigInt(trimmed);
  if (value < min || value > max) throw new UsageError(`${what} ${trimmed} is outside ${range}`);
  return value;
}

/** Reported or corrected emissions: 0 (a year without emissions) to 2^96-1. */
export function parseTonnes(text: string, what = "tonnes"): bigint {
  return whole(text, what, 0n, MAX_TONNES, "2^96-1");
}

/** The regulator's estimate of a silent account's emissions: 1 to 2^96-1 (0 would let silence pay nothing). */
export function parseEstimate(text: string): bigint {
  const tonnes = parseTonnes(text);
  if (tonnes === 0n) throw new UsageError("an estimate of 0 tonnes would let silence pay nothing: estimate at least 1 tonne");
  return tonnes;
}

/** A surrender: 1 to 2^96-1. */
export function parseSurrender(text: string): bigint {
  return whole(text, "amount", 1n, MAX_TONNES, "2^96-1");
}

export function parseCap(text: string, what = "--cap"): bigint {
  return whole(text, what, 1n, MAX_CAP, "2^128-1");
}

export function parsePenaltyRate(text: string, what = "--penalty-rate"): bigint {
  return whole(text, what, 0n, MAX_PENALTY_RATE, "2^64-1");
}
