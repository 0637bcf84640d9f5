// What a compliance write carries, checked as the contract would check it before anything is
// sent: an evidence hash, a period label, a reason, a number of tonnes.
import { UsageError } from "../support/errors";
import { carbonIdProblem } from "../input/values";
import { MAX_REASON_BYTES, MAX_TONNES } from "./compliance-types";

/**
 * The hash a report carries of its evidence document: keccak256 of the file's bytes, 0x-prefixed, what
 * Solidity's keccak256 gives for the same bytes (cli/input/evidence.ts, which `carbon report --evidence <file>` uses).
 */
export function evidenceHash(document: Uint8Array | string): string {
  const { keccak256Hex } = require("../input/evidence") as typeof import("../input/evidence");
  return keccak256Hex(typeof document === "string" ? Buffer.from(document, "utf8") : document);
}

/** An evidence hash as typed: 0x and 64 hex digits, not all zero. */
export function parseEvidence(text: string): string {
  const trimmed = text.trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(trimmed)) throw new UsageError(`evidence "${text}" is not a hash (0x and 64 hex digits); \`carbon report --evidence <file>\` hashes the document (keccak256)`);
  if (/^0x0{64}$/.test(trimmed)) throw new UsageError("evidence is the zero hash, which is no document's");
  return trimmed.toLowerCase();
}

/** A period's label: the rule of a lot ID (1 to 32 bytes, no control or invisible characters). */
export function parseLabel(text: string): string {
  const label = text.normalize("NFC");
  const problem = carbonIdProblem(label);
  if (problem) throw new UsageError(problem.replace(/carbon ID/g, "period label").replace(/\bIDs\b/g, "labels"));
  return label;
}

/** A reason for a rejection or a correction: 1 to 256 bytes. */
export function parseReason(text: string): string {
  const bytes = Buffer.byteLength(text, "utf8");
  if (text.trim().length === 0) throw new UsageError("the reason is empty: say why");
  if (bytes > MAX_REASON_BYTES) throw new UsageError(`the reason is ${bytes} bytes; it must be at most ${MAX_REASON_BYTES}`);
  return text;
}

/** Tonnes reported or corrected: a whole number from 0 to 2^96-1 (a customer may have emitted nothing). */
export function checkTonnes(tonnes: bigint): void {
  if (tonnes < 0n || tonnes > MAX_TONNES) throw new UsageError(`tonnes ${tonnes} is outside 0 to 2^96-1`);
}
