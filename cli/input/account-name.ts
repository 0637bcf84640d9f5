// An account's display name as the user types it, held to the contract's rule (contracts/AccountName.sol):
// the lot IDs' character rule (1 to 32 bytes of visible UTF-8), no space at either end, and neither all
// digits nor starting with 0x, which the CLI reads as an account index or an address.
import { UsageError } from "../support/errors";
import { carbonIdProblem } from "./visible-text";

const NAME = { one: "name", many: "names" };

/** NFC, as lot IDs are, so that "Zoë" typed decomposed is the name typed composed; outer spaces are trimmed. */
export function normaliseAccountName(text: string): string {
  const trimmed = text.trim();
  return /\p{Surrogate}/u.test(trimmed) ? trimmed : trimmed.normalize("NFC");
}

/** What the contract would refuse in this name, as it stands, or undefined if it accepts it. */
export function accountNameProblem(name: string): string | undefined {
  const problem = carbonIdProblem(name, NAME);
  if (problem) return problem;
  if (name.startsWith(" ") || name.endsWith(" ")) return "a name cannot start or end with a space";
  if (/^\d+$/.test(name)) return `a name cannot be only digits (${name} reads as an account index)`;
  if (/^0x/i.test(name)) return "a name cannot start with 0x (it reads as an address)";
  return undefined;
}

/** A name to register or rename to: normalised, then held to the contract's rule. */
export function parseAccountName(text: string): string {
  const name = normaliseAccountName(text);
  const problem = accountNameProblem(name);
  if (problem) throw new UsageError(problem);
  return name;
}

/** The key a name is unique by on chain: its ASCII letters in lower case (AccountName.fold). */
export function nameKey(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}
