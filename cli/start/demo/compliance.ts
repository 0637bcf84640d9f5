// The demo scenario's compliance period: period "2026" open under a cap, quota issued
// under it, account 9 an accredited verifier appointed and accepted by both customers, both reports
// verified; customer 1 surrenders all it emitted (A, compliant) and customer 2 less (B, short). The
// period stays open, so a class takes it on from there: `carbon time advance 61d`, `carbon period
// close`, `carbon enforce`, and the short customer is frozen.
//
// As the rest of the scenario, each step is checked on the chain before it is sent: a second run
// sends nothing, and a period the class already closed is left alone.
import { Compliance } from "../../chain/compliance";
import type { ComplianceRecord } from "../../chain/compliance-types";
import type { Market } from "../../chain/market";
import { keccak256Hex } from "../../input/evidence";
import type { DemoStep } from "./step";

const DAY = 86_400;

export const DEMO_COMPLIANCE = {
  label: "2026",
  cap: 2000n,
  reportingDays: 30,
  surrenderDays: 60,
  penaltyRate: 10n,
  verifier: 9,
  customers: [
    { index: 1, quota: 600n, emissions: 500n, surrender: 500n },
    { index: 2, quota: 400n, emissions: 450n, surrender: 200n },
  ],
} as const;

/** What a demo customer's evidence document would hash to: the demo has no files, so a stand-in text. */
export function demoEvidence(index: number): string {
  return keccak256Hex(Buffer.from(`Demo emissions report ${DEMO_COMPLIANCE.label}, customer ${index}`));
}

/**
 * The period's steps still missing, in order; `conflict` is the scenario's way out when the chain
 * contradicts it (another period open).
 */
export async function complianceSteps(market: Market, accounts: string[], conflict: (what: string) => Error): Promise<DemoStep[]> {
  const { label, cap, penaltyRate, customers } = DEMO_COMPLIANCE;
  const client = new Compliance(market);
  const verifier = accounts[DEMO_COMPLIANCE.verifier];
  if (!verifier) return [];
  const existing = await client.periodByLabel(label);
  const current = await client.currentPeriod();
  if (existing?.closed) return []; // the class finished the demo's period: nothing to add
  if (!existing && current?.open) throw conflict(`another period is open (${(await client.period(current.periodId)).label})`);
  if (existing && current?.periodId !== existing.periodId) return [];

  // The period's id once it exists: the steps after the opening ask when they are sent.
  const periodId = async () => (await client.currentPeriod())!.periodId;
  const record = async (account: string): Promise<ComplianceRecord | undefined> => (existing ? client.record(account, existing.periodId) : undefined);
  const steps: DemoStep[] = [];
  if (!existing) {
    steps.push({
      describe: `period ${label} opened under a cap of ${cap}`,
      send: async () => {
        const now = await client.currentTime();
        return client.openPeriod({ label, cap, reportingDeadline: now + DEMO_COMPLIANCE.reportingDays * DAY, surrenderDeadline: now + DEMO_COMPLIANCE.surrenderDays * DAY, penaltyRate });
      },
    });
  }
  const records = new Map(await Promise.all(customers.map(async ({ index }) => [index, await record(accounts[index])] as const)));
  for (const { index, quota } of customers) {
    if ((records.get(index)?.allocated ?? 0n) >= quota) continue;
    steps.push({ describe: `${quota} quota issued to customer ${index} under the cap`, send: () => market.sendCarbonToCustomer(accounts[index], quota) });
  }
  if (!(await client.isVerifier(verifier))) {
    steps.push({ describe: `account ${DEMO_COMPLIANCE.verifier} accredited as a verifier`, send: () => client.accreditVerifier(verifier) });
  }
  for (const { index, emissions, surrender } of customers) {
    const customer = accounts[index];
    const now = records.get(index);
    const verified = now?.reportState === "verified" || now?.reportState === "corrected";
    if (now?.verifier !== verifier && !verified) {
      steps.push({ describe: `customer ${index} appointed verifier ${DEMO_COMPLIANCE.verifier}`, send: async () => client.appointVerifier(customer, await periodId(), verifier) });
    }
    if (!(now?.verifier === verifier && now.verifierAccepted) && !verified) {
      steps.push({ describe: `verifier ${DEMO_COMPLIANCE.verifier} accepted customer ${index}`, send: async () => client.acceptAppointment(verifier, customer, await periodId()) });
    }
    if ((now?.reportState ?? "none") === "none") {
      steps.push({ describe: `customer ${index} reported ${emissions} tonnes`, send: async () => client.reportEmissions(customer, await periodId(), emissions, demoEvidence(index)) });
    }
    if (!verified) {
      steps.push({ describe: `verifier ${DEMO_COMPLIANCE.verifier} approved customer ${index}'s report`, send: async () => client.approveReport(verifier, customer, await periodId()) });
    }
    if ((now?.surrendered ?? 0n) < surrender) {
      steps.push({ describe: `customer ${index} surrendered ${surrender}`, send: () => client.surrenderCarbon(customer, surrender) });
    }
  }
  return steps;
}
