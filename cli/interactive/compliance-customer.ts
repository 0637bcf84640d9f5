// The customer's compliance cycle, one entry of its menu: its obligation in the latest period,
// appointing a verifier (the first key), reporting emissions with the hash of the evidence document,
// surrendering quota, and the table.
import { accountLabel } from "../render/account-label";
import { Compliance } from "../chain/compliance";
import * as compliance from "../commands/compliance";
import * as obligation from "../commands/obligation";
import * as report from "../commands/report";
import * as surrender from "../commands/surrender";
import * as appoint from "../commands/verifier-appoint";
import { parseSurrender, parseTonnes } from "../input/compliance";
import { parseEvidence } from "../input/evidence";
import { palette } from "../render/colours";
import * as text from "../render/text";
import { verifierSource } from "../chain/account-sources";
import { pickMarketAccount } from "./account-pick";
import { latestPeriod } from "./compliance-pick";
import { input, menu } from "./prompt";
import { menuLoop, perform, type Action, type Session } from "./session";

export async function complianceCustomerMenu(session: Session): Promise<void> {
  const { market, account } = session;
  const me = { address: account };
  await menuLoop(
    () => `${palette().heading("Compliance")} ${palette().name(accountLabel(account))}`,
    () =>
      menu<Action>("What would you like to do?", [
        { name: "My obligation", value: () => perform(() => obligation.run(market, { customer: me }), text.obligation) },
        { name: "Appoint a verifier", value: () => appointVerifier(session) },
        { name: "Report my emissions", value: () => reportEmissions(session) },
        { name: "Surrender quota", value: () => surrenderQuota(session) },
        { name: "Compliance table", value: () => perform(() => compliance.run(market), (t) => text.compliance(t)) },
        { name: "Back", value: null },
      ]),
  );
}

async function appointVerifier({ market, account }: Session): Promise<void> {
  const verifier = await pickMarketAccount(market, "Appoint which verifier?", verifierSource(market), {
    none: "No verifier is accredited yet: ask the regulator.",
    refuse: ({ address }) => (address === account ? "you" : undefined),
    paste: false,
  });
  if (verifier) await perform(() => appoint.run(market, { customer: { address: account }, verifier: { address: verifier } }), text.outcome);
}

async function reportEmissions({ market, account }: Session): Promise<void> {
  // Esc at the evidence goes back one step, to the tonnes.
  for (;;) {
    const tonnes = await input("Emissions this period, in tonnes", (t) => parseTonnes(t));
    if (tonnes === undefined) return;
    const evidence = await input("Evidence: the report's file, or its keccak256 (0x…)", parseEvidence);
    if (evidence === undefined) continue;
    await perform(() => report.run(market, { customer: { address: account }, tonnes: parseTonnes(tonnes), evidence: parseEvidence(evidence) }), text.outcome);
    return;
  }
}

async function surrenderQuota({ market, account }: Session): Promise<void> {
  const found = await latestPeriod(market);
  const [held, standing, record] = await Promise.all([market.customerCarbonAmount(account), new Compliance(market).standing(account), found ? found.client.record(account, found.period.periodId) : undefined]);
  const owed = standing.outstanding > 0n ? `, you owe ${standing.outstanding} from an enforced period` : "";
  const verified = record && (record.reportState === "verified" || record.reportState === "corrected") ? `, verified emissions ${record.verified}, surrendered ${record.surrendered}` : "";
  const amount = await input(`Amount to surrender (you hold ${held}${verified}${owed})`, parseSurrender);
  if (amount !== undefined) await perform(() => surrender.run(market, { customer: { address: account }, amount: parseSurrender(amount) }), text.outcome);
}
