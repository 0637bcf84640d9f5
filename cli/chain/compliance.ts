// The compliance cycle (contracts/Compliance.sol) as the CLI and the session see it: one
// method per contract method and view, in plain values (addresses in lower case, quantities as
// bigint, times as Unix seconds of the chain's clock), over the market's own read and write paths.
//
//   import { connect } from "./connect";
//   import { Compliance } from "./compliance";
//   const market = await connect({ rpc });
//   const compliance = new Compliance(market);
//   const now = await compliance.currentTime();                        // the chain's clock, not ours
//   await compliance.openPeriod({ label: "2026", cap: 1000n, reportingDeadline: now + 86400, surrenderDeadline: now + 172800, penaltyRate: 100n });
//   await compliance.reportEmissions(customer, 0, 120n, evidenceHash(fs.readFileSync("report.pdf")));
//   (await compliance.record(customer, 0)).status;                    // "pending"
//
// The cycle of one period (ids run from 0; one period is open at a time):
//   regulator  openPeriod → (issue quota: market.sendCarbonToCustomer counts against the cap)
//   regulator  accreditVerifier(v)               customer appointVerifier(c, p, v)   verifier acceptAppointment(v, c, p)
//   customer   reportEmissions(c, p, t, hash)    verifier approveReport(v, c, p) | rejectReport(v, c, p, reason)
//              (after a rejection the customer calls reportEmissions again: "Report resubmitted")
//   regulator  correctEmissions(c, p, t, reason) (any time until closed)
//   regulator  estimateEmissions(c, p, t, reason) (after the reporting deadline, for a silent account: C is enforced on it + 10 %)
//   customer   surrenderCarbon(c, amount)        (pays what it owes from an enforced period first, then the open period)
//   regulator  closePeriod(p)                    (after the surrender deadline; O(1))
//   regulator  enforceCompliance(c, p)           (one per customer, periods in any order: B and C are frozen, penalty recorded, shortfall owed; C needs an estimate)
//   customer   surrenderCarbon(c, owed)          ("Quota surrendered, the shortfall is cleared") → regulator market.unfreezeAccount(c)
//
// Deadlines are inclusive: on time while the chain's time <= the deadline; closing needs time > the
// surrender deadline. Every write refuses, with a UsageError (exit 2) before sending, what the
// contract would revert on (wrong sender or role, malformed numbers, an unknown period), and the
// business refusals it can foresee from a few reads (closing before the deadline, surrendering more
// than is held, enforcing what cannot be enforced), with the numbers; what is left are business
// outcomes: the Outcome's `ok` and `message` (exit 1 when not ok), the messages listed on each method
// (they are the contract's, word for word). `{ precheck: false }` sends without the foreseeing.
import { UsageError } from "../support/errors";
import { formatUtc } from "../input/time";
import { checkTonnes, parseEvidence, parseLabel, parseReason } from "./compliance-inputs";
import { MAX_CAP, MAX_PENALTY_RATE, MAX_TONNES, REPORT_STATES, STATUSES, type ComplianceRecord, type ComplianceStatus, type Period, type PeriodSpec, type Standing } from "./compliance-types";
import { issuingRoom, type IssuingRoom } from "./issuing-room";
import type { Market, WriteChecks } from "./market";
import type { AccountPage } from "./market-lists";
import type { Outcome } from "./outcome";

const ZERO_ADDRESS = "0x" + "0".repeat(40);
const ZERO_WORD = "0x" + "0".repeat(64);

export class Compliance {
  /** Periods known to exist: a period is never removed, so a known id is not asked about again. */
  private knownPeriods = 0;

  constructor(private readonly market: Market) {}

  // ---------------------------------------------------------------- reads

  /** The chain's clock (the latest block's timestamp): every deadline is compared with it. */
  async currentTime(): Promise<number> {
    return Number((await this.read<[string]>("currentTime"))[0]);
  }

  async periodCount(): Promise<number> {
    const count = Number((await this.read<[string]>("periodCount"))[0]);
    this.knownPeriods = Math.max(this.knownPeriods, count);
    return count;
  }

  /** The latest period and whether it is still open (not closed); undefined before the first. */
  async currentPeriod(): Promise<{ periodId: number; open: boolean } | undefined> {
    if ((await this.periodCount()) === 0) return undefined;
    const [open, periodId] = await this.read<[boolean, string]>("currentPeriod");
    return { periodId: Number(periodId), open };
  }

  /** One period; a UsageError if it does not exist. */
  async period(periodId: number): Promise<Period> {
    await this.requirePeriod(periodId);
    const [raw] = await this.read<[Record<string, string | boolean>]>("getPeriod", [periodId]);
    return {
      periodId: Number(raw.periodId),
      label: String(raw.label),
      cap: BigInt(raw.cap as string),
      allocated: BigInt(raw.allocated as string),
      reportingDeadline: Number(raw.reportingDeadline),
      surrenderDeadline: Number(raw.surrenderDeadline),
      penaltyRate: BigInt(raw.penaltyRate as string),
      openedAt: Number(raw.openedAt),
      closed: Boolean(raw.closed),
      reportCount: Number(raw.reportCount),
      verifiedCount: Number(raw.verifiedCount),
      enforcedCount: Number(raw.enforcedCount),
      nonCompliantCount: Number(raw.nonCompliantCount),
      surrendered: BigInt(raw.surrendered as string),
      penalties: BigInt(raw.penalties as string),
    };
  }

  /**
   * What the latest period still lets the regulator issue, as Compliance.allocate counts it: undefined
   * when no period counts issuing (none opened, or the latest closed); `ended` once its surrender
   * deadline has passed, when the contract refuses any issue until the period is closed.
   */
  issuingRoom(): Promise<IssuingRoom | undefined> {
    return issuingRoom((name, args, contract) => this.market.read(contract ?? "Compliance", name, args));
  }

  /** The latest period with this label (labels need not be unique), or undefined. Reads back from the latest. */
  async periodByLabel(label: string): Promise<Period | undefined> {
    for (let id = (await this.periodCount()) - 1; id >= 0; id--) {
      const period = await this.period(id);
      if (period.label === label) return period;
    }
    return undefined;
  }

  /** A customer's record for a period, with its status now. */
  async record(customer: string, periodId: number): Promise<ComplianceRecord> {
    await this.requirePeriod(periodId);
    const [raw] = await this.read<[Record<string, string | boolean>]>("getRecord", [customer, periodId]);
    const verifier = String(raw.verifier).toLowerCase();
    const evidence = String(raw.evidence).toLowerCase();
    return {
      customer: customer.toLowerCase(),
      periodId,
      allocated: BigInt(raw.allocated as string),
      reported: BigInt(raw.reported as string),
      verified: BigInt(raw.verified as string),
      surrendered: BigInt(raw.surrendered as string),
      estimated: BigInt(raw.estimated as string),
      obligation: BigInt(raw.obligation as string),
      shortfall: BigInt(raw.shortfall as string),
      penalty: BigInt(raw.penalty as string),
      status: STATUSES[Number(raw.status)],
      reportState: REPORT_STATES[Number(raw.reportState)],
      enforced: Boolean(raw.enforced),
      ...(verifier === ZERO_ADDRESS ? {} : { verifier }),
      verifierAccepted: Boolean(raw.verifierAccepted),
      ...(evidence === ZERO_WORD ? {} : { evidence }),
      ...(raw.rejectionReason ? { rejectionReason: String(raw.rejectionReason) } : {}),
      ...(raw.correctionReason ? { correctionReason: String(raw.correctionReason) } : {}),
      ...(raw.estimateReason ? { estimateReason: String(raw.estimateReason) } : {}),
    };
  }

  /** A customer's status for a period now (the same as record().status, in one call). */
  async status(customer: string, periodId: number): Promise<ComplianceStatus> {
    await this.requirePeriod(periodId);
    return STATUSES[Number((await this.read<[string]>("statusOf", [customer, periodId]))[0])];
  }

  /** What the account owes across periods (0 when it may be unfrozen as far as compliance goes). */
  async standing(account: string): Promise<Standing> {
    const [raw] = await this.read<[Record<string, string | boolean>]>("standingOf", [account]);
    return {
      outstanding: BigInt(raw.outstanding as string),
      ...(raw.enforcedAny ? { lastEnforcedPeriod: Number(raw.lastEnforcedPeriod) } : {}),
    };
  }

  async isVerifier(account: string): Promise<boolean> {
    return (await this.read<[boolean]>("isVerifier", [account]))[0];
  }

  /** A page of accredited verifiers (the order changes as verifiers are revoked). */
  async verifierPage(offset: number, limit: number): Promise<AccountPage> {
    const [[count], [page]] = await Promise.all([
      this.read<[string]>("getVerifierCount"),
      this.read<[string[]]>("getVerifiers", [offset, limit]),
    ]);
    return { total: Number(count), accounts: page.map((a) => a.toLowerCase()) };
  }

  /**
   * A page of the customers who appointed `verifier` for `periodId`, in order, re-appointments
   * included: keep those whose record's `verifier` is still this one (appointmentsOf does).
   */
  async appointmentPage(periodId: number, verifier: string, offset: number, limit: number): Promise<AccountPage> {
    await this.requirePeriod(periodId);
    const [[count], [page]] = await Promise.all([
      this.read<[string]>("getAppointmentCount", [periodId, verifier]),
      this.read<[string[]]>("getAppointments", [periodId, verifier, offset, limit]),
    ]);
    return { total: Number(count), accounts: page.map((a) => a.toLowerCase()) };
  }

  /** The records of the customers `verifier` verifies in `periodId` now (appointed it last), each once: a verifier's work list. */
  async appointmentsOf(periodId: number, verifier: string): Promise<ComplianceRecord[]> {
    const { total } = await this.appointmentPage(periodId, verifier, 0, 1);
    const { accounts } = total === 0 ? { accounts: [] } : await this.appointmentPage(periodId, verifier, 0, total);
    const unique = [...new Set(accounts)];
    const records = await Promise.all(unique.map((customer) => this.record(customer, periodId)));
    return records.filter((record) => record.verifier === verifier.toLowerCase());
  }

  /** All quota ever surrendered (conservation: customers + sellers + escrow = issued − settled − surrendered). */
  async surrenderedCarbonAmount(): Promise<bigint> {
    return BigInt((await this.read<[string]>("surrenderedCarbonAmount"))[0]);
  }

  /** All penalties ever recorded. */
  async penaltyTotal(): Promise<bigint> {
    return BigInt((await this.read<[string]>("penaltyTotal"))[0]);
  }

  // ---------------------------------------------------------------- writes

  /**
   * The regulator opens the next period. OpenPeriod: "Period opened" / "A period is already open".
   * Refuses (UsageError) a bad label, a cap outside 1 to 2^128-1, a rate above 2^64-1, deadlines not in
   * the chain's future or out of order.
   */
  async openPeriod(spec: PeriodSpec, from = this.market.regulator): Promise<Outcome> {
    const label = parseLabel(spec.label);
    if (spec.cap < 1n || spec.cap > MAX_CAP) throw new UsageError(`the cap ${spec.cap} is outside 1 to 2^128-1`);
    if (spec.penaltyRate < 0n || spec.penaltyRate > MAX_PENALTY_RATE) throw new UsageError(`the penalty rate ${spec.penaltyRate} is outside 0 to 2^64-1`);
    await this.market.requireRegulator(from);
    const now = await this.currentTime();
    if (!Number.isSafeInteger(spec.reportingDeadline) || spec.reportingDeadline <= now) {
      throw new UsageError(`the reporting deadline (${spec.reportingDeadline}) must be after the chain's time now (${now})`);
    }
    if (!Number.isSafeInteger(spec.surrenderDeadline) || spec.surrenderDeadline < spec.reportingDeadline) {
      throw new UsageError(`the surrender deadline (${spec.surrenderDeadline}) must not be before the reporting deadline (${spec.reportingDeadline})`);
    }
    return this.write("openPeriod", [label, spec.cap.toString(), spec.reportingDeadline, spec.surrenderDeadline, spec.penaltyRate.toString()], from);
  }

  /** ClosePeriod: "Period closed" / "This period is already closed" / "The surrender deadline has not passed yet". */
  async closePeriod(periodId: number, from = this.market.regulator, checks: WriteChecks = {}): Promise<Outcome> {
    await this.market.requireRegulator(from);
    await this.requirePeriod(periodId);
    if (checks.precheck !== false) {
      const [period, now] = await Promise.all([this.period(periodId), this.currentTime()]);
      if (period.closed) throw new UsageError(`period ${period.label} is closed already`);
      if (now <= period.surrenderDeadline) {
        throw new UsageError(`the surrender deadline of period ${period.label} is ${formatUtc(period.surrenderDeadline)} on the chain's clock; it is ${formatUtc(now)} now: move the clock with \`carbon time advance\` or wait`);
      }
    }
    return this.write("closePeriod", [periodId], from);
  }

  /** AccreditVerifier: "Verifier accredited" / "This verifier is already accredited". */
  async accreditVerifier(verifier: string, from = this.market.regulator): Promise<Outcome> {
    if (verifier.toLowerCase() === this.market.regulator) throw new UsageError("the regulator cannot be a verifier");
    await this.market.requireRegulator(from);
    return this.write("accreditVerifier", [verifier], from);
  }

  /** RevokeVerifier: "Verifier revoked" / "This account is not an accredited verifier". */
  async revokeVerifier(verifier: string, from = this.market.regulator): Promise<Outcome> {
    await this.market.requireRegulator(from);
    return this.write("revokeVerifier", [verifier], from);
  }

  /**
   * A customer appoints a verifier for a period (the first key). AppointVerifier: "Verifier appointed" /
   * "This period is closed" / "The surrender deadline has passed" / "This verifier is not accredited" /
   * "This report has already been verified" / "Your verifier has already accepted this appointment".
   */
  async appointVerifier(customer: string, periodId: number, verifier: string, from = customer): Promise<Outcome> {
    if (verifier.toLowerCase() === customer.toLowerCase()) throw new UsageError("a customer cannot verify its own emissions: appoint another account");
    await this.market.requireSelf(from, customer);
    await this.market.requireRole(customer, "customer");
    await this.requirePeriod(periodId);
    return this.write("appointVerifier", [customer, periodId, verifier], from);
  }

  /**
   * The appointed verifier accepts (the second key). AcceptAppointment: "Appointment accepted" /
   * "This period is closed" / "The surrender deadline has passed" / "This verifier is not accredited" /
   * "You have not been appointed by this customer" / "You have already accepted this appointment".
   */
  async acceptAppointment(verifier: string, customer: string, periodId: number, from = verifier): Promise<Outcome> {
    await this.market.requireSelf(from, verifier);
    await this.requirePeriod(periodId);
    return this.write("acceptAppointment", [verifier, customer, periodId], from);
  }

  /**
   * A customer reports its emissions (or resubmits a rejected report). ReportEmissions: "Emissions reported" /
   * "Report resubmitted" / "This period is closed" / "The reporting deadline has passed" /
   * "The surrender deadline has passed" / "This report is awaiting verification" / "This report has already been verified".
   * `evidence`: evidenceHash(document) or parseEvidence(text).
   */
  async reportEmissions(customer: string, periodId: number, tonnes: bigint, evidence: string, from = customer): Promise<Outcome> {
    checkTonnes(tonnes);
    const hash = parseEvidence(evidence);
    await this.market.requireSelf(from, customer);
    await this.market.requireRole(customer, "customer");
    await this.requirePeriod(periodId);
    return this.write("reportEmissions", [customer, periodId, tonnes.toString(), hash], from);
  }

  /**
   * The customer's accepted verifier approves its report. ApproveReport: "Report approved" /
   * "This period is closed" / "The surrender deadline has passed" / "This verifier is not accredited" /
   * "You are not this customer's verifier" / "There is no report awaiting verification" / "This report has already been verified".
   */
  async approveReport(verifier: string, customer: string, periodId: number, from = verifier): Promise<Outcome> {
    await this.market.requireSelf(from, verifier);
    await this.requirePeriod(periodId);
    return this.write("approveReport", [verifier, customer, periodId], from);
  }

  /** The customer's accepted verifier rejects its report with a reason. RejectReport: "Report rejected" / approveReport's failures. */
  async rejectReport(verifier: string, customer: string, periodId: number, reason: string, from = verifier): Promise<Outcome> {
    parseReason(reason);
    await this.market.requireSelf(from, verifier);
    await this.requirePeriod(periodId);
    return this.write("rejectReport", [verifier, customer, periodId, reason], from);
  }

  /** The regulator sets a customer's verified emissions, with a reason. CorrectEmissions: "Emissions corrected" / "This period is closed". */
  async correctEmissions(customer: string, periodId: number, tonnes: bigint, reason: string, from = this.market.regulator): Promise<Outcome> {
    checkTonnes(tonnes);
    parseReason(reason);
    await this.market.requireRegulator(from);
    await this.market.requireRole(customer, "customer");
    await this.requirePeriod(periodId);
    return this.write("correctEmissions", [customer, periodId, tonnes.toString(), reason], from);
  }

  /**
   * The regulator estimates a silent customer's emissions, with a reason: a C account is enforced on
   * the estimate raised by 10 %. EstimateEmissions: "Emissions estimated" / "The reporting deadline has
   * not passed yet" / "This account's emissions are verified" / "This account took no part in this period" /
   * "This account has already been enforced for this period".
   */
  async estimateEmissions(customer: string, periodId: number, tonnes: bigint, reason: string, from = this.market.regulator): Promise<Outcome> {
    checkTonnes(tonnes);
    if (tonnes === 0n) throw new UsageError("an estimate of 0 tonnes would let silence pay nothing: estimate at least 1 tonne");
    parseReason(reason);
    await this.market.requireRegulator(from);
    await this.market.requireRole(customer, "customer");
    await this.requirePeriod(periodId);
    return this.write("estimateEmissions", [customer, periodId, tonnes.toString(), reason], from);
  }

  /**
   * A customer surrenders quota: first against what it owes from an enforced period (a late surrender),
   * the rest toward the open period. SurrenderCarbon: "Quota surrendered" / "Quota surrendered, the shortfall is cleared" /
   * "There is no open period to surrender for" / "The surrender deadline has passed" / "Insufficient balance, surrender failed".
   */
  async surrenderCarbon(customer: string, amount: bigint, from = customer, checks: WriteChecks = {}): Promise<Outcome> {
    if (amount < 1n || amount > MAX_TONNES) throw new UsageError(`amount ${amount} is outside 1 to 2^96-1`);
    await this.market.requireSelf(from, customer);
    await this.market.requireRole(customer, "customer");
    if (checks.precheck !== false) await this.foreseeSurrender(customer, amount);
    return this.write("surrenderCarbon", [customer, amount.toString()], from);
  }

  /**
   * The regulator enforces a closed period on one customer (the CLI sends one per customer, in any
   * order, and periods in any order). A customer that took no part in the period is "not covered":
   * nothing is recorded and it is not frozen. A C customer needs the regulator's estimate first.
   * EnforceCompliance: "Compliant" / "Short: the account is frozen and a penalty recorded" /
   * "No verified emissions: the account is frozen and a penalty recorded on the regulator's estimate" /
   * "This account took no part in this period" / "This period is not closed yet" /
   * "This account has already been enforced for this period" /
   * "No verified emissions and no estimate: estimate this account's emissions first".
   */
  async enforceCompliance(customer: string, periodId: number, from = this.market.regulator, checks: WriteChecks = {}): Promise<Outcome> {
    await this.market.requireRegulator(from);
    await this.market.requireRole(customer, "customer");
    await this.requirePeriod(periodId);
    if (checks.precheck !== false) {
      const refusal = await this.enforcementRefusal(customer, periodId);
      if (refusal) throw new UsageError(refusal);
    }
    return this.write("enforceCompliance", [customer, periodId], from);
  }

  /**
   * Why enforceCompliance would refuse `customer` in `periodId` (undefined: it would not), in the
   * contract's order: the period not closed, the account enforced already, a C account without the
   * regulator's estimate.
   */
  async enforcementRefusal(customer: string, periodId: number): Promise<string | undefined> {
    const [period, record] = await Promise.all([this.period(periodId), this.record(customer, periodId)]);
    if (!period.closed) return notClosedYet(period);
    if (record.enforced) return `${await this.market.accountLabel(customer)} has been enforced for period ${period.label} already (${record.status})`;
    if (record.status === "C" && record.estimated === 0n) return `${await this.market.accountLabel(customer)} has no verified emissions and no estimate for period ${period.label}: estimate its emissions first (\`carbon estimate\`)`;
    return undefined;
  }

  // ---------------------------------------------------------------- internal

  /**
   * What surrenderCarbon would refuse, in the contract's order: what the account owes from enforced
   * periods is paid first and needs no open period; the rest needs the open period on time; then the
   * balance must cover the whole amount.
   */
  private async foreseeSurrender(customer: string, amount: bigint): Promise<void> {
    const [{ outstanding }, current, held] = await Promise.all([this.standing(customer), this.currentPeriod(), this.market.customerCarbonAmount(customer)]);
    // Names are read only for a refusal: a surrender that goes through pays no extra request.
    const who = () => this.market.accountLabel(customer);
    const toPeriod = amount > outstanding ? amount - outstanding : 0n;
    if (toPeriod > 0n) {
      const owed = outstanding > 0n ? `; ${await who()} owes ${outstanding} from an enforced period, which it can surrender now` : "";
      if (!current?.open) throw new UsageError(`there is no open period to surrender for${owed}`);
      const [period, now] = await Promise.all([this.period(current.periodId), this.currentTime()]);
      if (now > period.surrenderDeadline) throw new UsageError(`period ${period.label} took surrenders until ${formatUtc(period.surrenderDeadline)} on the chain's clock; it is ${formatUtc(now)} now${owed}`);
    }
    if (held < amount) throw new UsageError(`${await who()} holds ${held} quota: a surrender of ${amount} needs ${amount} (${amount - held} short)`);
  }

  /** The contract reverts on an unknown period (ComplianceUnknownPeriod): refuse it first. */
  async requirePeriod(periodId: number): Promise<void> {
    if (!Number.isSafeInteger(periodId) || periodId < 0) throw new UsageError(`period ${periodId} is not a period id (a whole number from 0)`);
    if (periodId < this.knownPeriods) return;
    const count = await this.periodCount();
    if (periodId >= count) {
      throw new UsageError(count === 0 ? "no period has been opened yet; the regulator opens one with `carbon period open`" : `period ${periodId} does not exist: the periods are 0 to ${count - 1}`);
    }
  }

  private read<T extends unknown[]>(view: string, args: unknown[] = []): Promise<T> {
    return this.market.read<T>("Compliance", view, args);
  }

  private write(method: string, args: unknown[], from: string): Promise<Outcome> {
    return this.market.write(method, args, from, { contract: "Compliance" });
  }
}

/** Why nothing can be enforced in `period` yet (undefined once it is closed): one line for the whole period. */
export function notClosedYet(period: Pick<Period, "label" | "closed" | "surrenderDeadline">): string | undefined {
  if (period.closed) return undefined;
  return `period ${period.label} is not closed yet: enforce it after \`carbon period close\`, once its surrender deadline (${formatUtc(period.surrenderDeadline)} on the chain's clock) has passed`;
}
