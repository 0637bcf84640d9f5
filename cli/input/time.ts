// Durations and deadlines as a class types them: `30d`, `1d12h`, a date (`2026-12-31`), a moment
// (`2026-12-31T12:00:00Z`) or a time from now (`+30d`). "Now" is the chain's clock, not the wall
// clock: `carbon time advance` moves a development chain's clock ahead of the machine's, and a
// deadline of `+30d` must mean thirty days after the chain's latest block.
import { UsageError } from "../support/errors";

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };
const UNIT_NAMES: Record<string, string> = { s: "second", m: "minute", h: "hour", d: "day", w: "week" };

/** The longest duration taken: a century, far beyond any period, and well inside a safe integer. */
export const MAX_DURATION = 100 * 365 * 86_400;

/** A duration in seconds: `30d`, `12h`, `90m`, `45s`, `2w`, or several of them (`1d12h`). */
export function parseDuration(text: string, what = "duration"): number {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+[smhdw])+$/.test(trimmed)) {
    throw new UsageError(`${what} "${text}" is not a duration: a whole number and a unit, s m h d or w (e.g. 30d, 12h, 1d12h)`);
  }
  let seconds = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([smhdw])/g)) seconds += Number(amount) * UNITS[unit];
  if (seconds === 0) throw new UsageError(`${what} "${text}" is zero; give a time to move forward`);
  if (!Number.isSafeInteger(seconds) || seconds > MAX_DURATION) throw new UsageError(`${what} "${text}" is longer than a century`);
  return seconds;
}

/** `2592000` seconds as "30d", `129600` as "1d12h": the shortest form parseDuration reads back. */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return "0s";
  const parts: string[] = [];
  let left = seconds;
  for (const unit of ["d", "h", "m", "s"]) {
    const size = UNITS[unit];
    if (left >= size) {
      parts.push(`${Math.floor(left / size)}${unit}`);
      left %= size;
    }
  }
  return parts.join("");
}

/** A duration in words for prose: "30 days", "1 day 12 hours". */
export function durationWords(seconds: number): string {
  return formatDuration(seconds)
    .match(/\d+[dhms]/g)!
    .map((part) => {
      const amount = Number(part.slice(0, -1));
      const name = UNIT_NAMES[part.slice(-1)];
      return `${amount} ${name}${amount === 1 ? "" : "s"}`;
    })
    .join(" ");
}

/** A deadline as typed: a fixed moment, or a time after the chain's clock, resolved when it is read. */
export type Deadline = { at: number } | { after: number };

/**
 * `+30d` (after the chain's latest block), `2026-12-31` (the end of that day, UTC: a deadline "by
 * 31 December" includes the 31st), `2026-12-31T12:00:00Z` (that moment; without a zone, UTC).
 */
export function parseDeadline(text: string, what = "deadline"): Deadline {
  const trimmed = text.trim();
  if (trimmed.startsWith("+")) return { after: parseDuration(trimmed.slice(1), what) };
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (date) {
    const [year, month, day] = date.slice(1).map(Number);
    const start = Date.UTC(year, month - 1, day);
    const back = new Date(start);
    if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) throw new UsageError(`${what} "${text}" is not a date of the calendar`);
    return { at: start / 1000 + 86_399 };
  }
  const moment = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?$/.exec(trimmed);
  if (moment) {
    const ms = Date.parse(`${moment[1]}T${moment[2]}${moment[3] ?? "Z"}`);
    if (Number.isFinite(ms)) return { at: Math.floor(ms / 1000) };
  }
  throw new UsageError(`${what} "${text}" is not a date (2026-12-31), a moment (2026-12-31T12:00:00Z) or a time from now (+30d)`);
}

/** The deadline in unix seconds, given the chain's clock. */
export function resolveDeadline(deadline: Deadline, now: number): number {
  return "at" in deadline ? deadline.at : now + deadline.after;
}

/** A moment as the tables print it, in UTC so every machine in a class reads the same: "2026-12-31 23:59:59 UTC". */
export function formatUtc(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

/** A moment for JSON: ISO 8601, as every `time` field is. */
export function isoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}
