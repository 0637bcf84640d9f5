// The walkthrough's compliance chapter: a whole period in one step, on the chain, in the
// narrated style of the others: the regulator opens a period under a cap, issues under it (and is
// refused past it), accredits a verifier; the customer appoints it, which accepts (two keys); the
// customer reports with the hash of its evidence, the verifier approves, the customer surrenders less
// than it emitted; the clock moves past the deadlines, the regulator closes the period, the status
// table shows B, enforcement freezes and fines; a late surrender clears the shortfall and the
// regulator lifts the freeze, so the next run finds its customer free to play again.
import { isDevelopmentNode } from "../chain/clock";
import { Compliance } from "../chain/compliance";
import type { Market } from "../chain/market";
import * as compliance from "../commands/compliance";
import * as enforce from "../commands/enforce";
import * as issue from "../commands/issue";
import * as periodClose from "../commands/period-close";
import * as periodOpen from "../commands/period-open";
import * as report from "../commands/report";
import * as surrender from "../commands/surrender";
import * as timeAdvance from "../commands/time-advance";
import * as unfreeze from "../commands/unfreeze";
import * as accept from "../commands/verifier-accept";
import * as accredit from "../commands/verifier-accredit";
import * as appoint from "../commands/verifier-appoint";
import * as verify from "../commands/verify";
import { keccak256Hex } from "../input/evidence";
import { shortAddress } from "../render/format";
import * as text from "../render/text";
import { UsageError } from "../support/errors";
import type { Cast, Player } from "./cast";
import { say, WIDTH, wrap } from "./narrator";
import { address, transact, who, type Step } from "./scene";

/** The chapter's amounts: the second issue breaks the cap, the surrender falls 50 short of the emissions. */
export const PERIOD_STORY = { cap: 600n, issued: 400n, over: 300n, emissions: 350n, surrendered: 300n, late: 50n, penaltyRate: 10n } as const;
const DAY = 86_400;

/** Who verifies: an account that plays no other part, an already accredited one first (no second accreditation). */
async function chooseVerifier(market: Market, cast: Cast): Promise<Player | undefined> {
  const accounts = await market.accounts();
  const client = new Compliance(market);
  const taken = new Set([cast.regulator.address, cast.customer.address, cast.seller.address]);
  const candidates: Player[] = [];
  for (let index = accounts.length - 1; index > 0; index--) {
    const address = accounts[index];
    if (taken.has(address) || (await market.isFrozen(address)) || (await market.etherBalance(address)) === 0n) continue;
    if (await client.isVerifier(address)) return { index, address };
    candidates.push({ index, address });
  }
  return candidates[0];
}

/** Why a chapter that opens a period and moves the clock past its deadlines cannot run on this chain, if it cannot. */
export async function periodObstacle(market: Market): Promise<string | undefined> {
  const node = await market.rpc.request<string>("web3_clientVersion").catch(() => "an unknown node");
  if (!isDevelopmentNode(node)) return `it moves the chain's clock to reach the deadlines, which only a development chain (Ganache, anvil) allows; this node is ${node}`;
  const current = await new Compliance(market).currentPeriod();
  if (current?.open) return `period ${(await new Compliance(market).period(current.periodId)).label} is open on this chain, and one period is open at a time: close it first (\`carbon period close\`)`;
  return undefined;
}

export const COMPLIANCE_CHAPTER: Step = {
  module: "Compliance cycle",
  says: () =>
    "What gives quota its meaning: the regulator opens a period with a cap on the quota it issues and two deadlines. " +
    "Each customer reports its emissions with the hash of its evidence, a verifier it appointed confirms them, and by the surrender deadline it hands in quota to cover them. " +
    "After the deadline the regulator closes the period: a compliant account is A, a short one B, one without verified emissions C; B and C are frozen and fined. " +
    "The chain's clock is moved forward here, so the deadlines come in seconds.",
  run: async (scene) => {
    const { market, cast } = scene;
    const blocked = await periodObstacle(market);
    if (blocked) return wrap(`(This chapter is skipped: ${blocked}.)`);
    const verifier = await chooseVerifier(market, cast);
    if (!verifier) return wrap("(This chapter is skipped: no account is free to play the verifier.)");
    const { cap, issued, over, emissions, surrendered, late, penaltyRate } = PERIOD_STORY;
    const label = cast.lotId;
    const customer = address(cast.customer);
    const short = shortAddress(cast.customer.address);

    say(wrap(`The period ${label}: a cap of ${cap}, reports within 30 days, surrenders within 60, a penalty of ${penaltyRate} a tonne short.`));
    await transact(scene, `openPeriod("${label}", ${cap}, now+30d, now+60d, ${penaltyRate})`, () =>
      periodOpen.run(market, { label, cap, reportBy: { after: 30 * DAY }, surrenderBy: { after: 60 * DAY }, penaltyRate }),
    );
    await transact(scene, `sendCarbonToCustomer(${short}, ${issued})  (counts against the cap)`, () => issue.run(market, { customer, amount: issued }));
    // Sent past the CLI's own check on purpose (which would refuse it before sending): the class sees the contract hold the cap.
    await transact(scene, `sendCarbonToCustomer(${short}, ${over})  (${issued} + ${over} > ${cap})`, () => market.sendCarbonToCustomer(cast.customer.address, over, market.regulator, { precheck: false }), (outcome) =>
      outcome.ok ? undefined : "  (the cap holds: nothing was issued)",
    );

    say("");
    say(wrap(`Monitoring, reporting, verification: ${who(verifier)} verifies. The regulator accredits it; the customer appoints it and it accepts: two keys, so neither can name the other alone.`));
    const client = new Compliance(market);
    if (await client.isVerifier(verifier.address)) say(`(${shortAddress(verifier.address)} is accredited already, by an earlier run)`);
    else await transact(scene, `accreditVerifier(${shortAddress(verifier.address)})`, () => accredit.run(market, { account: address(verifier) }));
    await transact(scene, `appointVerifier(${short}, ${label}, ${shortAddress(verifier.address)})`, () => appoint.run(market, { customer, verifier: address(verifier) }));
    await transact(scene, `acceptAppointment(${shortAddress(verifier.address)}, ${short}, ${label})`, () => accept.run(market, { verifier: address(verifier), customer }));

    const document = `Emissions report of ${cast.customer.address} for ${label}: ${emissions} tonnes of CO2e`;
    const evidence = keccak256Hex(Buffer.from(document));
    say("");
    say(wrap(`The customer reports ${emissions} tonnes. Its report document stays off the chain; the chain keeps its keccak256, ${evidence.slice(0, 18)}…, which proves later which document the verifier saw.`));
    await transact(scene, `reportEmissions(${short}, ${label}, ${emissions}, ${evidence.slice(0, 10)}…)`, () => report.run(market, { customer, tonnes: emissions, evidence: { hash: evidence } }));
    await transact(scene, `approveReport(${shortAddress(verifier.address)}, ${short}, ${label})`, () => verify.run(market, { verifier: address(verifier), customer, decision: { approve: true } }));
    say("");
    say(wrap(`The customer surrenders ${surrendered} of quota, ${emissions - surrendered} less than it emitted: surrendered quota leaves its balance for good.`));
    await transact(scene, `surrenderCarbon(${short}, ${surrendered})`, () => surrender.run(market, { customer, amount: surrendered }));

    say("");
    say(wrap("Sixty-one days later, on this development chain (evm_increaseTime, then evm_mine):"));
    say(text.clock(await timeAdvance.run(market, { seconds: 61 * DAY })));
    await transact(scene, `closePeriod(${label})`, () => periodClose.run(market, { period: label }));
    say(text.compliance(await compliance.run(market, { period: label }), { width: WIDTH }));
    say("");
    say(wrap(`B: ${emissions} verified, ${surrendered} surrendered. Enforcement is one transaction per account: it freezes the account, records the penalty (${emissions - surrendered} × ${penaltyRate}) and keeps the shortfall owed.`));
    await transact(scene, `enforceCompliance(${short}, ${label})`, async () => {
      const [row] = (await enforce.run(market, { period: label })).enforced;
      if (!row?.outcome) throw new UsageError(row?.refusal ?? `nothing to enforce in ${label}`);
      return row.outcome;
    });
    say(text.compliance(await compliance.run(market, { period: label }), { width: WIDTH }));
    say("");
    say(wrap(`Frozen, the customer can still surrender: a late surrender of the ${late} it owes clears the shortfall (the penalty stays recorded), and the regulator lifts the freeze.`));
    await transact(scene, `surrenderCarbon(${short}, ${late})  (late)`, () => surrender.run(market, { customer, amount: late }));
    await transact(scene, `unfreezeAccount(${short})`, () => unfreeze.run(market, { account: customer }));
  },
};
