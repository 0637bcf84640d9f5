// The regulator's compliance cycle, one entry of its menu: the period and the table, opening a period,
// verifiers, corrections, closing, enforcement, and on a development chain the clock.
import { Compliance } from "../chain/compliance";
import { parseLabel, parseReason } from "../chain/compliance-inputs";
import * as compliance from "../commands/compliance";
import * as correct from "../commands/correct";
import * as enforce from "../commands/enforce";
import * as estimate from "../commands/estimate";
import * as freeze from "../commands/freeze";
import * as unfreeze from "../commands/unfreeze";
import * as periodClose from "../commands/period-close";
import * as periodOpen from "../commands/period-open";
import * as periodShow from "../commands/period-show";
import * as timeAdvance from "../commands/time-advance";
import * as accredit from "../commands/verifier-accredit";
import * as revoke from "../commands/verifier-revoke";
import { parseCap, parseEstimate, parsePenaltyRate, parseTonnes } from "../input/compliance";
import { accountLabel } from "../render/account-label";
import { palette } from "../render/colours";
import * as text from "../render/text";
import { parseDeadline, parseDuration } from "../input/time";
import { participants } from "../commands/compliance-period";
import { latestPeriod, participantChoices, pickFrom } from "./compliance-pick";
import { registeredSource, verifierSource, withNodeKeys } from "../chain/account-sources";
import { eachAccount } from "../commands/bulk";
import { bulkLine, bulkSummary } from "../render/bulk";
import { pickMarketAccount, pickMarketAccounts } from "./account-pick";
import { input, menu, agree } from "./prompt";
import { menuLoop, perform, say, type Action, type Session } from "./session";

export async function complianceRegulatorMenu(session: Session): Promise<void> {
  const { market } = session;
  await menuLoop(
    () => `${palette().heading("Compliance cycle")} ${palette().dim("(regulator)")}`,
    () =>
      menu<Action>("What would you like to do?", [
        { name: "The period", value: () => perform(() => periodShow.run(market), text.period) },
        { name: "Compliance table", value: () => perform(() => compliance.run(market), (t) => text.compliance(t)) },
        { name: "Open a period", value: () => openPeriod(session) },
        { name: "Accredit verifiers (mark one or more)", value: () => accreditVerifiers(session) },
        { name: "Revoke a verifier", value: () => revokeVerifier(session) },
        { name: "Correct verified emissions", value: () => correctEmissions(session) },
        { name: "Close the period", value: () => closePeriod(session) },
        { name: "Enforce: freeze and fine every B and C account", value: () => enforceAll(session) },
        { name: "Freeze or unfreeze from the compliance table", value: () => freezeFromTable(session) },
        { name: "Estimate a silent customer's emissions (C is enforced on it)", value: () => estimateEmissions(session) },
        { name: "Move the chain's clock (development chains)", value: () => advanceClock(session) },
        { name: "Back", value: null },
      ]),
  );
}

async function openPeriod({ market }: Session): Promise<void> {
  // Esc at any field goes back to the one before it; Esc at the label, to the menu.
  const fields: Array<{ message: string; parse: (text: string) => unknown }> = [
    { message: 'Label (e.g. "2026")', parse: parseLabel },
    { message: "Cap: the most quota issued in the period", parse: (t: string) => parseCap(t, "cap") },
    { message: "Reporting deadline (+30d, or a date: 2026-12-31)", parse: (t: string) => parseDeadline(t, "the reporting deadline") },
    { message: "Surrender deadline (+60d, or a date)", parse: (t: string) => parseDeadline(t, "the surrender deadline") },
    { message: "Penalty per tonne short", parse: (t: string) => parsePenaltyRate(t, "the penalty rate") },
  ];
  const answers: string[] = [];
  while (answers.length < fields.length) {
    const field = fields[answers.length];
    const answer = await input(field.message, field.parse);
    if (answer === undefined) {
      if (answers.length === 0) return;
      answers.pop();
      continue;
    }
    answers.push(answer);
  }
  const [label, cap, reportBy, surrenderBy, penaltyRate] = answers;
  await perform(
    () => periodOpen.run(market, { label: parseLabel(label), cap: parseCap(cap), reportBy: parseDeadline(reportBy), surrenderBy: parseDeadline(surrenderBy), penaltyRate: parsePenaltyRate(penaltyRate) }),
    text.outcome,
  );
}

/** Marks any number of the market's accounts (or pasted addresses), then accredits each, saying each outcome. */
async function accreditVerifiers({ market }: Session): Promise<void> {
  const client = new Compliance(market);
  const marked = await pickMarketAccounts(market, "Accredit which accounts? (⏎ marks)", withNodeKeys(market, registeredSource(market)), {
    none: "No account is registered yet: students register first, or paste an address.",
    refuse: async ({ address, roles }) => (roles.regulator ? "the regulator" : (await client.isVerifier(address)) ? "accredited already" : undefined),
    done: (count) => (count === 0 ? "Accredit the marked accounts (none marked yet)" : `Accredit the ${count} marked ›`),
  });
  if (!marked) return;
  const rows = marked.map((account) => ({ account }));
  await perform(() => eachAccount(rows, (row) => accredit.run(market, { account: { address: row.account } }), (row) => say(bulkLine(row))), bulkSummary);
}

async function revokeVerifier({ market }: Session): Promise<void> {
  const account = await pickMarketAccount(market, "Revoke which verifier?", verifierSource(market), { none: "No verifier is accredited.", paste: false });
  if (account) await perform(() => revoke.run(market, { account: { address: account } }), text.outcome);
}

async function correctEmissions({ market }: Session): Promise<void> {
  const found = await latestPeriod(market);
  if (!found) return;
  for (;;) {
    const customer = await pickFrom(market, "Correct whose emissions?", await participantChoices(market, found.client, found.period), "No customer takes part in this period yet.");
    if (!customer) return;
    const tonnes = await input("Verified emissions, in tonnes", (t) => parseTonnes(t));
    if (tonnes === undefined) continue;
    const reason = await input("Why (kept on the chain)", parseReason, (t) => `${Buffer.byteLength(t)}/256 bytes`);
    if (reason === undefined) continue;
    await perform(() => correct.run(market, { customer: { address: customer }, tonnes: parseTonnes(tonnes), reason }), text.outcome);
    return;
  }
}

async function estimateEmissions({ market }: Session): Promise<void> {
  const found = await latestPeriod(market);
  if (!found) return;
  // Those without verified emissions: C, or still pending (their report may never be verified).
  const silent = (await participants(market, found.client, found.period))
    .filter(({ record }) => !record.enforced && (record.status === "C" || record.status === "pending"))
    .map(({ account, record }) => ({ address: account, note: `status ${record.status}${record.estimated ? `, estimated ${record.estimated}` : ""}` }));
  for (;;) {
    const customer = await pickFrom(market, "Estimate whose emissions?", silent, "No customer is without verified emissions in this period.");
    if (!customer) return;
    const tonnes = await input("Estimated emissions, in tonnes (C is enforced on it + 10 %)", parseEstimate);
    if (tonnes === undefined) continue;
    const reason = await input("How it was estimated (kept on the chain)", parseReason, (t) => `${Buffer.byteLength(t)}/256 bytes`);
    if (reason === undefined) continue;
    await perform(() => estimate.run(market, { customer: { address: customer }, tonnes: parseEstimate(tonnes), reason, period: found.period.label }), text.outcome);
    return;
  }
}

async function advanceClock({ market }: Session): Promise<void> {
  const duration = await input("Move the clock forward by (e.g. 31d, 12h)", parseDuration);
  if (duration !== undefined) await perform(() => timeAdvance.run(market, { seconds: parseDuration(duration) }), text.clock);
}

/**
 * The period's customers as a list, each with its status and whether it is frozen: choosing one
 * freezes it (asked first, as every freeze is) or unfreezes it, then the list comes back, read again,
 * until Back; for a teacher going through the table after a period, or through the ones enforcement froze.
 */
async function freezeFromTable({ market }: Session): Promise<void> {
  const found = await latestPeriod(market);
  if (!found) return;
  for (;;) {
    const rows = await participants(market, found.client, found.period);
    const choices = rows.map(({ account, record, frozen }) => ({ address: account, note: `status ${record.status === "unreported" ? "-" : record.status}${frozen ? " · frozen" : ""}` }));
    const account = await pickFrom(market, `Freeze or unfreeze whom? (period ${found.period.label})`, choices, "No customer takes part in this period yet.");
    if (!account) return;
    const label = accountLabel(account);
    if (rows.find((row) => row.account === account)?.frozen) {
      if (await agree(`Unfreeze ${label}? It can trade again.`, false)) await perform(() => unfreeze.run(market, { account: { address: account } }), text.outcome);
    } else if (await agree(`Freeze ${label}? It can buy, publish, settle and trade nothing until it is unfrozen.`, false)) {
      await perform(() => freeze.run(market, { account: { address: account } }), text.outcome);
    }
  }
}

/** Closing cannot be undone: the statuses become final. */
async function closePeriod({ market }: Session): Promise<void> {
  if (!(await agree("Close the period? Its statuses become final; nobody can report, verify or surrender in it after.", false))) return;
  await perform(() => periodClose.run(market), text.outcome);
}

/** Enforcement freezes and fines: asked first, as every freeze is. */
async function enforceAll({ market }: Session): Promise<void> {
  if (!(await agree("Enforce now? Every B and C account is frozen and fined.", false))) return;
  await perform(() => enforce.run(market), text.enforcement);
}
