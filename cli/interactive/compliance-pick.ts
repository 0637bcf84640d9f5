// Choosing the compliance cycle's accounts from lists: the accredited verifiers, a period's taking
// part customers, a verifier's appointments. Each line shows the account by name and address, and its
// index among the node's accounts when it has one: typing that number selects it, as in pick.ts.
import { Compliance } from "../chain/compliance";
import type { ComplianceRecord, Period } from "../chain/compliance-types";
import type { Market } from "../chain/market";
import { findPeriod, participants } from "../commands/compliance-period";
import { UsageError } from "../support/errors";
import { accountLabel, rememberNames } from "../render/account-label";
import { palette } from "../render/colours";
import { select, type Choice } from "./prompt";
import { say } from "./session";

/** The period the session acts in (the latest), or undefined, said, when none was opened yet. */
export async function latestPeriod(market: Market): Promise<{ client: Compliance; period: Period } | undefined> {
  const client = new Compliance(market);
  try {
    return { client, period: await findPeriod(client) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    say(palette().dim("No period has been opened yet: the regulator opens one."));
    return undefined;
  }
}

/** Picks one of `addresses` (with a note each); undefined for Back, or, said, when there is none. */
export async function pickFrom(market: Market, message: string, addresses: Array<{ address: string; note?: string }>, none: string): Promise<string | undefined> {
  const c = palette();
  if (addresses.length === 0) {
    say(c.dim(none));
    return undefined;
  }
  const [accounts, names] = await Promise.all([market.accounts(), market.names.namesOf(addresses.map(({ address }) => address))]);
  rememberNames(names);
  const choices: Array<Choice<string | null>> = addresses.map(({ address, note }) => {
    const index = accounts.indexOf(address);
    return { name: `${index < 0 ? "  " : String(index).padStart(2)}  ${accountLabel(address)}${note ? `  ${c.dim(note)}` : ""}`, value: address, ...(index < 0 ? {} : { key: String(index) }) };
  });
  choices.push({ name: "Back", value: null });
  return (await select(message, choices)) ?? undefined;
}


/** The period's taking part customers with their status, for the regulator's lists. */
export async function participantChoices(market: Market, client: Compliance, period: Period): Promise<Array<{ address: string; note: string }>> {
  return (await participants(market, client, period)).map(({ account, record }) => ({ address: account, note: `status ${record.status === "unreported" ? "-" : record.status}` }));
}

/** Where an appointment stands, short enough to follow an address in 80 columns. */
export function appointmentNote(record: ComplianceRecord): string {
  if (!record.verifierAccepted) return "appointed you: accept first";
  if (record.reportState === "submitted") return `reported ${record.reported} t: to verify`;
  return { none: "nothing reported yet", rejected: "rejected: awaiting a new report", verified: `verified ${record.verified}`, corrected: `set by the regulator: ${record.verified}`, submitted: "" }[record.reportState];
}
