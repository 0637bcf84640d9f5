// The verifier's session: signing in with an accredited account (its key is its credential: a
// verifier has no password on chain), then its menu: the customers that appointed it, accepting an
// appointment (the second key), approving or rejecting a report, the compliance table, its history.
import { accountLabel } from "../render/account-label";
import { Compliance } from "../chain/compliance";
import type { Market } from "../chain/market";
import * as compliance from "../commands/compliance";
import * as records from "../commands/records";
import * as acceptCommand from "../commands/verifier-accept";
import * as verify from "../commands/verify";
import { parseReason } from "../chain/compliance-inputs";
import { palette } from "../render/colours";
import * as text from "../render/text";
import { appointmentNote, latestPeriod, pickFrom } from "./compliance-pick";
import { knownAccounts, pickAccount } from "./pick";
import { input, menu } from "./prompt";
import { LOG_OUT, roleMenuLoop, perform, say, type Action, type Session } from "./session";

/** From the top menu: one of the node's accounts that is an accredited verifier. */
export async function verifierSignIn(market: Market): Promise<void> {
  const client = new Compliance(market);
  const accounts = await knownAccounts(market);
  const accredited = new Set((await Promise.all(accounts.map(async (a) => ((await client.isVerifier(a.address)) ? a.address : undefined)))).filter(Boolean));
  const account = await pickAccount("Which verifier?", accounts, (a) => accredited.has(a.address), "No verifier is accredited yet: the regulator accredits one (Compliance cycle).");
  if (!account) return;
  say(palette().ok(`✔ Signed in: ${account} is an accredited verifier`));
  await verifierMenu({ market, account });
}

export async function verifierMenu(session: Session): Promise<void> {
  const { market, account } = session;
  const me = { address: account };
  await roleMenuLoop(
    () => `${palette().heading("Verifier")} ${palette().name(accountLabel(account))}`,
    () =>
      menu<Action>("What would you like to do?", [
        { name: "My appointments", value: () => appointments(session) },
        { name: "Accept an appointment", value: () => accept(session) },
        { name: "Verify a report", value: () => verifyReport(session) },
        { name: "Compliance table", value: () => perform(() => compliance.run(market), (t) => text.compliance(t)) },
        { name: "My records", value: () => perform(() => records.run(market, { account: me }), (r) => text.records(r)) },
        LOG_OUT,
      ]),
  );
}

async function workList({ market, account }: Session) {
  const found = await latestPeriod(market);
  if (!found) return undefined;
  return { ...found, records: await found.client.appointmentsOf(found.period.periodId, account) };
}

async function appointments(session: Session): Promise<void> {
  const c = palette();
  const list = await workList(session);
  if (!list) return;
  say(c.heading(`Appointments in ${list.period.label}`));
  if (list.records.length === 0) return say(c.dim("No customer has appointed you in this period."));
  for (const record of list.records) say(`${c.name(record.customer)}  ${appointmentNote(record)}`);
}

async function accept(session: Session): Promise<void> {
  const list = await workList(session);
  if (!list) return;
  const waiting = list.records.filter((r) => !r.verifierAccepted).map((r) => ({ address: r.customer, note: appointmentNote(r) }));
  const customer = await pickFrom(session.market, "Accept which customer's appointment?", waiting, "No appointment awaits your acceptance.");
  if (customer) await perform(() => acceptCommand.run(session.market, { verifier: { address: session.account }, customer: { address: customer } }), text.outcome);
}

async function verifyReport(session: Session): Promise<void> {
  const list = await workList(session);
  if (!list) return;
  const waiting = list.records.filter((r) => r.verifierAccepted && r.reportState === "submitted").map((r) => ({ address: r.customer, note: appointmentNote(r) }));
  // Esc at the reason goes back one step, to the decision.
  for (;;) {
    const customer = await pickFrom(session.market, "Whose report?", waiting, "No report awaits your verification.");
    if (!customer) return;
    const decision = await menu<"approve" | "reject" | null>("Your decision", [
      { name: "Approve: the reported emissions are right", value: "approve" },
      { name: "Reject, saying why", value: "reject" },
      { name: "Back", value: null },
    ]);
    if (!decision) continue;
    const options = { verifier: { address: session.account }, customer: { address: customer } };
    if (decision === "approve") {
      await perform(() => verify.run(session.market, { ...options, decision: { approve: true } }), text.outcome);
      return;
    }
    const reason = await input("Why (the customer reads it)", parseReason, (t) => `${Buffer.byteLength(t)}/256 bytes`);
    if (reason === undefined) continue;
    await perform(() => verify.run(session.market, { ...options, decision: { reject: reason } }), text.outcome);
    return;
  }
}
