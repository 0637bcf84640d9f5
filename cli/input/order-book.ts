// User text to order-book values: prices in ether as decimal strings ("0.01"), converted to wei
// exactly (no floating point anywhere), durations such as "1d", and the match limit. The scripted
// commands and the session's prompts call the same parsers, so both refuse the same text with the
// same message (exit 2 on the command line).
import { checkPrice, formatEther } from "../chain/order-book-prices";
import { TICK_WEI } from "../chain/order-book-types";
import { UsageError } from "../support/errors";

export { formatEther };

const WEI_PER_ETHER = 10n ** 18n;

/**
 * A price in ether as typed ("0.01", "2", "0.0125"), in wei. With a `tick` (the smallest price step,
 * in wei) a price must be a whole number of ticks: more decimals than the tick allows are refused,
 * never rounded, since a rounded price is an order the user did not place.
 */
export function parseEther(text: string, what = "price", tick?: bigint): bigint {
  const trimmed = text.trim();
  const match = /^(\d*)(?:\.(\d*))?$/.exec(trimmed);
  if (!match || (match[1] === "" && !match[2])) throw new UsageError(`${what} "${text}" is not an amount of ether such as 0.01`);
  const [, whole, fraction = ""] = match;
  if (fraction.length > 18) throw new UsageError(`${what} ${trimmed} has ${fraction.length} decimals; ether has 18 (1 wei is the smallest step)`);
  const wei = BigInt(whole || "0") * WEI_PER_ETHER + BigInt(fraction.padEnd(18, "0") || "0");
  if (wei === 0n) throw new UsageError(`${what} must be more than 0`);
  if (tick !== undefined && tick > 0n && wei % tick !== 0n) {
    throw new UsageError(`${what} ${trimmed} has more decimals than the tick of ${formatEther(tick)} ETH allows; use a multiple of it, e.g. ${formatEther((wei / tick) * tick || tick)}`);
  }
  return wei;
}

/** An order's price: ether a unit, a whole number of ticks (0.0001 ether) within the book's range. */
export function parseOrderPrice(text: string): bigint {
  const wei = parseEther(text, "price", TICK_WEI);
  checkPrice(wei);
  return wei;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 7 * 86_400 };
/** The longest an order may rest: a year, so a typo such as 1000w is caught. */
const MAX_DURATION = 366 * 86_400;

/** A duration as typed, "90s", "30m", "12h", "1d" or "2w", in seconds. */
export function parseDuration(text: string, what = "--expires"): number {
  const match = /^(\d+)\s*([smhdw])$/i.exec(text.trim());
  if (!match) throw new UsageError(`${what} "${text}" is not a duration such as 30m, 12h, 1d or 2w`);
  const seconds = Number(match[1]) * UNITS[match[2].toLowerCase()];
  if (seconds < 1 || seconds > MAX_DURATION) throw new UsageError(`${what} ${text.trim()} is outside 1s to 366d`);
  return seconds;
}

/** A whole number from `min` to `max`, for --max-matches and the like. */
export function parseWhole(text: string, what: string, min: number, max: number): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`${what} "${text}" is not a whole number from ${min} to ${max}`);
  return value;
}

/** A band in basis points (1 bp = 0.01%): 1000 is ±10%; 0 lifts the band. */
export function parseBasisPoints(text: string): number {
  return parseWhole(text, "band (basis points)", 0, 10_000);
}

/** Basis points as a percentage: 1000 is "10%", 250 is "2.5%". */
export function formatBasisPoints(bps: number): string {
  return `${(bps / 100).toString()}%`;
}
