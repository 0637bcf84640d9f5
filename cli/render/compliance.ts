// The compliance cycle's renderers: a period, the registry's compliance table (text, CSV, JSON), an
// enforcement round and the chain's clock. text.ts and json.ts re-export them under the renderer
// names of dispatch.ts, so the session, the walkthrough and the scripted commands print alike.
// Statuses are written as the registries write them: A, B, C, and "pending" for a report awaiting its
// verifier; an account with no status yet ("unreported": nothing reported, the reporting deadline
// still ahead) shows "-" (null in JSON).
import type { ComplianceStatus } from "../chain/compliance-types";
import type { ComplianceTable } from "../commands/compliance";
import type { ComplianceRow, PeriodView } from "../commands/compliance-period";
import type { Enforcement } from "../commands/enforce";
import type { Obligation } from "../commands/obligation";
import type { ClockMove } from "../commands/time-advance";
import type { VerifierRow } from "../commands/verifier-list";
import { durationWords, formatUtc, isoTime } from "../input/time";
import { palette } from "./colours";
import { printable } from "./sanitize";
import { outcomeText } from "./outcome";
import { table, type Column, type TextOptions } from "./table";
import { accountLabel, nameOf } from "./account-label";

/** Where the period stands on the chain's clock. */
export function phase(period: PeriodView): "reporting" | "surrender" | "ended" | "closed" {
  if (period.closed) return "closed";
  if (period.now <= period.reportBy) return "reporting";
  if (period.now <= period.surrenderBy) return "surrender";
  return "ended";
}

const PHASE_WORDS = {
  reporting: "open: reports until the reporting deadline",
  surrender: "open: reporting is over; surrenders until the surrender deadline",
  ended: "the surrender deadline has passed: the regulator can close it",
  closed: "closed: statuses are final",
} as const;

/** "in 30 days" or "3 hours ago", from the chain's clock, to the nearest day (hour, minute) beyond one. */
function relative(at: number, now: number): string {
  if (at === now) return "now";
  const rough = roughDistance(at, now);
  return at > now ? `in ${rough}` : `${rough} ago`;
}

function roughDistance(at: number, now: number): string {
  const distance = Math.abs(at - now);
  const unit = distance >= 86_400 ? 86_400 : distance >= 3_600 ? 3_600 : distance >= 60 ? 60 : 1;
  return durationWords(Math.round(distance / unit) * unit);
}

/**
 * Below this the chain's and the machine's clocks count as the same: the latest block was mined a
 * moment ago. Beyond it, the clock was moved (`carbon time advance`), or no block was mined for a while.
 */
const CLOCKS_AGREE_S = 60;

/** The chain time line, and a real time line beside it when the two clocks differ. */
function clockLines(period: PeriodView, label: (name: string) => string): string[] {
  const c = palette();
  const chain = `${label("chain time")}${formatUtc(period.now)}`;
  if (Math.abs(period.now - period.realTime) < CLOCKS_AGREE_S) return [chain];
  // Behind: no block was mined for a while; the next one will be stamped on the chain's moving clock.
  const how = `${roughDistance(period.now, period.realTime)} ${period.now > period.realTime ? "ahead of" : "behind"} the real time`;
  return [`${chain}  ${c.dim(how)}`, `${label("real time")}${formatUtc(period.realTime)}`];
}

export function periodText(period: PeriodView): string {
  const c = palette();
  const label = (name: string) => c.dim(name.padEnd(13));
  return [
    `${label("period")}${c.name(printable(period.label))}  ${c.dim(`#${period.id}`)}`,
    `${label("state")}${PHASE_WORDS[phase(period)]}`,
    `${label("cap")}${period.cap}  ${c.dim(`(${period.allocated} allocated, ${period.cap - period.allocated} left)`)}`,
    `${label("report by")}${formatUtc(period.reportBy)}  ${c.dim(relative(period.reportBy, period.now))}`,
    `${label("surrender by")}${formatUtc(period.surrenderBy)}  ${c.dim(relative(period.surrenderBy, period.now))}`,
    `${label("penalty rate")}${period.penaltyRate} ${c.dim("per tonne short")}`,
    ...clockLines(period, label),
  ].join("\n");
}

export function periodJson(period: PeriodView): Record<string, unknown> {
  return {
    period: period.id,
    label: period.label,
    cap: period.cap.toString(),
    allocated: period.allocated.toString(),
    reportBy: isoTime(period.reportBy),
    surrenderBy: isoTime(period.surrenderBy),
    penaltyRate: period.penaltyRate.toString(),
    state: phase(period),
    closed: period.closed,
    time: isoTime(period.now),
    realTime: isoTime(period.realTime),
  };
}

/** A status as the table writes it: A, B, C, pending, or - for none yet. */
export function statusLabel(status: ComplianceStatus): string {
  return status === "unreported" ? "-" : status;
}

const COLUMNS = ["account", "allocated", "verified", "surrendered", "status", "penalty"] as const;

function cells(row: ComplianceRow): string[] {
  return [row.account, row.allocated.toString(), row.verified === undefined ? "-" : row.verified.toString(), row.surrendered.toString(), statusLabel(row.status), row.penalty.toString()];
}

export function complianceText(result: ComplianceTable, options: TextOptions = {}): string {
  if (result.csv) return complianceCsv(result);
  const c = palette();
  const title = `${c.heading("Compliance")} ${c.name(printable(result.period.label))} ${c.dim(`(${PHASE_WORDS[phase(result.period)]})`)}`;
  if (result.rows.length === 0) return `${title}\n${c.dim("No accounts in this period yet: quota issued under its cap brings them in.")}`;
  const colour = (status: ComplianceStatus, text: string) => (status === "A" ? c.ok(text) : status === "B" || status === "C" ? c.fail(text) : text);
  const columns: Column[] = [
    { header: "account", address: true },
    { header: "allocated", align: "right" },
    { header: "verified", align: "right" },
    { header: "surrendered", align: "right" },
    { header: "status" },
    { header: "penalty", align: "right" },
    { header: "frozen" },
  ];
  const rows = result.rows.map((row) => {
    const [account, ...rest] = cells(row);
    rest[3] = colour(row.status, rest[3]);
    return [c.name(account), ...rest, row.frozen ? c.warn("frozen") : ""];
  });
  return `${title}\n${table(columns, rows, { ...options, heading: c.heading })}`;
}

/** RFC 4180: a header row, then one line per account; no colour, no padding. */
export function complianceCsv(result: ComplianceTable): string {
  // The name has a column of its own, so the address stays a whole field a spreadsheet can match.
  const [account, ...rest] = COLUMNS;
  const header = [account, "name", ...rest, "frozen"].join(",");
  return [
    header,
    ...result.rows.map((row) => {
      const [address, ...values] = cells(row);
      return [address, nameOf(address) ?? "", ...values, row.frozen ? "yes" : "no"].map(csvField).join(",");
    }),
  ].join("\n");
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function complianceJson(result: ComplianceTable): Record<string, unknown> {
  return {
    ...periodJson(result.period),
    accounts: result.rows.map((row) => ({
      address: row.account,
      allocated: row.allocated.toString(),
      verified: row.verified === undefined ? null : row.verified.toString(),
      surrendered: row.surrendered.toString(),
      status: row.status === "unreported" ? null : row.status,
      penalty: row.penalty.toString(),
      frozen: row.frozen,
    })),
  };
}

export function enforcementText(result: Enforcement): string {
  const c = palette();
  if (result.enforced.length === 0) return c.dim(`Nothing to enforce in ${printable(result.period.label)}: no account is B or C, or each was enforced already.`);
  return result.enforced.map((row) => `${c.name(accountLabel(row.account))}  ${c.dim("status")} ${row.status}\n${row.outcome ? outcomeText(row.outcome) : c.fail(`✘ ${printable(row.refusal ?? "refused")}`) + c.dim("  (nothing was sent)")}`).join("\n\n");
}

export function enforcementJson(result: Enforcement): Record<string, unknown> {
  const refused = result.enforced.filter((row) => row.outcome?.ok !== true).length;
  return {
    ...(refused ? { message: `${refused} of ${result.enforced.length} enforcements were refused` } : {}),
    period: result.period.id,
    label: result.period.label,
    enforced: result.enforced.map((row) =>
      row.outcome
        ? {
            address: row.account,
            status: row.status,
            ok: row.outcome.ok,
            message: row.outcome.message,
            event: row.outcome.event,
            txHash: row.outcome.txHash,
            block: row.outcome.block,
            gasUsed: row.outcome.gasUsed,
          }
        : { address: row.account, status: row.status, ok: false, message: row.refusal, sent: false },
    ),
  };
}

export function clockText(result: ClockMove): string {
  const c = palette();
  return [
    c.ok(`✔ The chain's clock moved ${durationWords(result.seconds)} forward`),
    `${c.dim("from")}  ${formatUtc(result.before)}`,
    `${c.dim("to")}    ${formatUtc(result.after)}  ${c.dim(`(block ${result.block}, ${printable(result.node.split("/").slice(0, 2).join("/"))})`)}`,
  ].join("\n");
}

export function clockJson(result: ClockMove): Record<string, unknown> {
  return { node: result.node, from: isoTime(result.before), time: isoTime(result.after), seconds: result.seconds, block: result.block };
}

const REPORT_WORDS = {
  none: "nothing reported",
  submitted: "reported, awaiting its verifier",
  rejected: "rejected by its verifier: correct it and report again",
  verified: "verified",
  corrected: "set by the regulator",
} as const;

export function obligationText(result: Obligation): string {
  const c = palette();
  const { record, standing } = result;
  const label = (name: string) => c.dim(name.padEnd(12));
  const status = statusLabel(record.status);
  const lines = [
    `${c.name(accountLabel(result.account))}  ${c.dim("in period")} ${c.name(printable(result.period.label))} ${c.dim(`(${PHASE_WORDS[phase(result.period)]})`)}`,
    `${label("status")}${record.status === "A" ? c.ok(status) : record.status === "B" || record.status === "C" ? c.fail(status) : status}${record.enforced ? c.dim("  (enforced)") : ""}`,
    `${label("allocated")}${record.allocated}`,
    `${label("report")}${record.reportState === "none" ? REPORT_WORDS.none : `${record.reported} tonnes, ${REPORT_WORDS[record.reportState]}`}`,
  ];
  if (record.rejectionReason && record.reportState === "rejected") lines.push(`${label("why")}${printable(record.rejectionReason)}`);
  if (record.evidence) lines.push(`${label("evidence")}${record.evidence}`);
  lines.push(`${label("verifier")}${record.verifier ? `${c.name(record.verifier)} ${c.dim(record.verifierAccepted ? "(accepted)" : "(appointed, not yet accepted)")}` : c.dim("none appointed")}`);
  lines.push(`${label("verified")}${record.reportState === "verified" || record.reportState === "corrected" ? record.verified : "-"}`);
  if (record.correctionReason) lines.push(`${label("corrected")}${printable(record.correctionReason)}`);
  lines.push(`${label("surrendered")}${record.surrendered}`);
  if (record.estimated) {
    lines.push(`${label("estimated")}${record.estimated} tonnes by the regulator ${c.dim(`(C is enforced on ${record.obligation}, +10 %)`)}`);
    if (record.estimateReason) lines.push(`${label("how")}${printable(record.estimateReason)}`);
  }
  lines.push(`${label("penalty")}${record.penalty}`);
  const toSurrender = shortBy(record);
  if (toSurrender > 0n) lines.push(`${label("short by")}${c.warn(toSurrender.toString())}${c.dim("  to surrender by the surrender deadline")}`);
  lines.push(`${label("still owed")}${standing.outstanding === 0n ? "0" : c.fail(standing.outstanding.toString())}${result.frozen ? `  ${c.warn("frozen")}` : ""}`);
  return lines.join("\n");
}

/**
 * Before enforcement nothing is owed yet, but a verified figure already says how much is left to
 * surrender this period; 0 once enforced (then `outstanding` counts).
 */
function shortBy(record: Obligation["record"]): bigint {
  const verified = record.reportState === "verified" || record.reportState === "corrected";
  if (record.enforced || !verified) return 0n;
  return record.verified > record.surrendered ? record.verified - record.surrendered : 0n;
}

export function obligationJson(result: Obligation): Record<string, unknown> {
  const { record, standing } = result;
  return {
    address: result.account,
    period: result.period.id,
    label: result.period.label,
    status: record.status === "unreported" ? null : record.status,
    enforced: record.enforced,
    allocated: record.allocated.toString(),
    report: record.reportState,
    reported: record.reported.toString(),
    evidence: record.evidence ?? null,
    rejectionReason: record.rejectionReason ?? null,
    verifier: record.verifier ?? null,
    verifierAccepted: record.verifierAccepted,
    verified: record.reportState === "verified" || record.reportState === "corrected" ? record.verified.toString() : null,
    correctionReason: record.correctionReason ?? null,
    surrendered: record.surrendered.toString(),
    estimated: record.estimated === 0n ? null : record.estimated.toString(),
    obligation: record.estimated === 0n ? null : record.obligation.toString(),
    estimateReason: record.estimateReason ?? null,
    penalty: record.penalty.toString(),
    shortBy: shortBy(record).toString(),
    outstanding: standing.outstanding.toString(),
    frozen: result.frozen,
  };
}

export function verifiersText(rows: VerifierRow[]): string {
  const c = palette();
  if (rows.length === 0) return c.dim("No verifier is accredited: the regulator accredits one with `carbon verifier accredit <account>`.");
  return rows.map((row) => `${row.index === undefined ? "  " : String(row.index).padStart(2)}  ${c.name(row.address)}`).join("\n");
}

export function verifiersJson(rows: VerifierRow[]): Record<string, unknown> {
  return { verifiers: rows.map((row) => ({ address: row.address, index: row.index ?? null })) };
}
