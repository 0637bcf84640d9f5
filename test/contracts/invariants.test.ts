// A property test: random sequences of operations by several accounts, failing ones included, the
// compliance cycle's among them (periods under a cap, verifiers, reports, surrenders, closing and
// enforcement, and the clock moving on by whole days). A small model of the market predicts each
// outcome, and after every step the chain must show that quota is conserved (customers' and sellers'
// balances plus the order book's escrow add up to issued minus settled minus surrendered), that no lot
// was sold twice, that the unsold index holds exactly the lots without a buyer, and that every
// compliance record and status is the model's. CARBON_PROPERTY_SEED replays a run; CARBON_PROPERTY_STEPS changes its length.
import type BN from "bn.js";
import { chainTime, DAY, deployedCompliance, EVIDENCE, mineAt, ReportState, Status } from "./compliance-helpers";
import { deployedMarket, digestOf, expectCustomError, expectOutcome, isolate, lotView } from "./helpers";
import { prng, propertySeed, propertySteps } from "./seeded";

const SEED = propertySeed();
const STEPS = propertySteps(200, 50);
const IDS = [...Array.from({ length: 31 }, (_, i) => `LOT-${i}`), "碳配额-2026"];

interface RecordModel {
  allocated: number;
  reported: number;
  state: ReportState;
  verified: number;
  surrendered: number;
  estimated: number;
  verifier?: string;
  accepted: boolean;
  enforced: boolean;
  finalStatus: Status;
  shortfall: number;
  penalty: number;
}

interface PeriodModel {
  reportingDeadline: number;
  surrenderDeadline: number;
  cap: number;
  allocated: number;
  rate: number;
  closed: boolean;
  surrendered: number;
  records: Map<string, RecordModel>;
}

interface Model {
  customers: Map<string, number>;
  sellers: Map<string, number>;
  lots: Map<string, { price: number; seller: string; buyer?: string }>;
  purchases: Map<string, string[]>;
  frozen: Set<string>;
  issued: number;
  settled: number;
  periods: PeriodModel[];
  verifiers: Set<string>;
  /** What each account owes from its enforced periods, and the id + 1 of the period enforced last. */
  standings: Map<string, { outstanding: number; lastEnforced: number }>;
  surrendered: number;
  penalties: number;
  /** The chain's clock after the last step: deadlines are half a day from any time the clock is moved to, so a few seconds of drift never cross one. */
  now: number;
}

/** What a step should do: emit this outcome (and then change the model), revert with this error, or act on the chain without an outcome (the clock). */
type Expected =
  | { event: string; isSuccess: boolean; message: string; apply?: () => void }
  | { revert: string }
  | { action: () => Promise<void> };

/** Compliance.complianceStatus, as the model computes it. */
function pureStatus(report: ReportState, verified: number, surrendered: number, tookPart: boolean, reportingOver: boolean, surrenderOver: boolean): Status {
  if (report === ReportState.Verified || report === ReportState.Corrected) return surrendered >= verified ? Status.A : Status.B;
  if (!tookPart) return reportingOver ? Status.NotCovered : Status.Unreported;
  if (surrenderOver || (reportingOver && report === ReportState.None)) return Status.C;
  return report === ReportState.None ? Status.Unreported : Status.Pending;
}

interface Step {
  description: string;
  from: string;
  /** Sends the step's transaction; with `gas` set, @truffle/contract skips its gas estimate. */
  send: (options?: TruffleOptions) => Send;
  expected: Expected;
}

const FROZEN = "This account is frozen";
const ZERO = "0x0000000000000000000000000000000000000000";
/** Above the largest balance (2^96-1): issuing it is refused as an overflow. */
const HUGE = (2n ** 96n).toString();

contract("Carbon", (accounts) => {
  const [regulator] = accounts;
  // Four accounts that may each become a customer, a seller or both; two that may become verifiers.
  const players = accounts.slice(1, 5);
  const verifierAccounts = accounts.slice(5, 7);
  let carbon: CarbonInstance;
  let compliance: ComplianceInstance;
  let orderBook: { escrowedCarbonAmount(): Promise<BN> };

  before(async () => {
    carbon = (await deployedMarket()).carbon;
    compliance = await deployedCompliance();
    // The order book's own tests type it; here only its escrow, which the conservation law counts.
    const books = artifacts as unknown as { require(name: "OrderBook"): TruffleArtifact<{ escrowedCarbonAmount(): Promise<BN> }> };
    orderBook = await books.require("OrderBook").deployed();
  });

  describe("random operation sequences", () => {
    isolate();

    it(`conserve quota, never sell a lot twice, and keep every compliance record (${STEPS} steps)`, async function () {
      this.timeout(600_000);
      const random = prng(SEED);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      /** Mostly one of `likely` (when there are any), sometimes anything: enough steps succeed, and enough fail. */
      const pickMostly = <T>(likely: readonly T[], all: readonly T[]): T =>
        likely.length > 0 && random() < 0.75 ? pick(likely) : pick(all);
      const amount = (max: number): number => (random() < 0.03 ? 0 : 1 + Math.floor(random() * max));
      const model: Model = {
        customers: new Map(),
        sellers: new Map(),
        lots: new Map(),
        purchases: new Map(players.map((player) => [player, []])),
        frozen: new Set(),
        issued: 0,
        settled: 0,
        periods: [],
        verifiers: new Set(),
        standings: new Map(),
        surrendered: 0,
        penalties: 0,
        now: await chainTime(),
      };

      function registration(role: "customer" | "seller"): Step {
        const registered = role === "customer" ? model.customers : model.sellers;
        const account = pickMostly(players.filter((p) => !registered.has(p)), players);
        // Only the account itself may register: the regulator and the others are refused.
        const by = random() < 0.1 ? regulator : random() < 0.1 ? pick(players.filter((p) => p !== account)) : account;
        const registry = role === "customer" ? model.customers : model.sellers;
        const [method, event, succeeded] =
          role === "customer"
            ? (["newCustomer", "NewCustomer", "Registration succeeded"] as const)
            : (["newSeller", "NewSeller", "Successfully registered"] as const);
        let expected: Expected;
        if (by !== account) expected = { revert: "CarbonUnauthorizedAccount(address,address)" };
        else if (model.frozen.has(account)) expected = { event, isSuccess: false, message: "This account is frozen and cannot register" };
        else if (registry.has(account)) expected = { event, isSuccess: false, message: "This account is already registered" };
        else expected = { event, isSuccess: true, message: succeeded, apply: () => registry.set(account, 0) };
        return {
          description: `${by} ${method}(${account})`,
          from: by,
          send: (options) => carbon[method](account, digestOf("pw"), { from: by, ...options }),
          expected,
        };
      }

      function issue(): Step {
        const receiver = pickMostly([...model.customers.keys()], players);
        const by = random() < 0.05 ? pick(players) : regulator;
        const huge = random() < 0.04;
        const value = huge ? 0 : amount(150);
        const event = "SendCarbonToCustomer";
        let expected: Expected;
        if (by !== regulator) expected = { revert: "CarbonUnauthorizedRegulator(address)" };
        else if (value === 0 && !huge) expected = { revert: "CarbonZeroAmount()" };
        else if (model.frozen.has(receiver)) {
          expected = { event, isSuccess: false, message: "This account is frozen and cannot receive quota" };
        } else if (!model.customers.has(receiver)) {
          expected = { event, isSuccess: false, message: "This account has not been registered, and the distribution failed" };
        } else if (huge) {
          expected = { event, isSuccess: false, message: "The amount would overflow the account's balance" };
        } else if (openPeriodModel() && model.now > openPeriodModel()!.surrenderDeadline) {
          expected = { event, isSuccess: false, message: "The surrender deadline of the open period has passed: close it before issuing quota" };
        } else if (openPeriodModel() && openPeriodModel()!.allocated + value > openPeriodModel()!.cap) {
          expected = { event, isSuccess: false, message: "The cap of this period would be exceeded" };
        } else {
          expected = {
            event,
            isSuccess: true,
            message: "Successfully issued quota",
            apply: () => {
              model.customers.set(receiver, model.customers.get(receiver)! + value);
              model.issued += value;
              const period = openPeriodModel();
              if (period) {
                period.allocated += value;
                record(model.periods.length - 1, receiver).allocated += value;
              }
            },
          };
        }
        return {
          description: `${by} sendCarbonToCustomer(${receiver}, ${huge ? HUGE : value})`,
          from: by,
          send: (options) => carbon.sendCarbonToCustomer(receiver, huge ? HUGE : value, { from: by, ...options }),
          expected,
        };
      }

      function publish(): Step {
        const seller = pickMostly([...model.sellers.keys()], players);
        const id = pickMostly(IDS.filter((candidate) => !model.lots.has(candidate)), IDS);
        const price = amount(60);
        const event = "AddCarbon";
        let expected: Expected;
        if (price === 0) expected = { revert: "CarbonZeroAmount()" };
        else if (!model.sellers.has(seller)) expected = { revert: "CarbonNotSeller(address)" };
        else if (model.frozen.has(seller)) expected = { event, isSuccess: false, message: FROZEN };
        else if (model.lots.has(id)) expected = { event, isSuccess: false, message: "The quota has been added" };
        else {
          expected = {
            event,
            isSuccess: true,
            message: "Successfully created quota",
            apply: () => model.lots.set(id, { price, seller }),
          };
        }
        return {
          description: `addCarbon(${seller}, ${id}, ${price})`,
          from: seller,
          send: (options) => carbon.addCarbon(seller, id, price, { from: seller, ...options }),
          expected,
        };
      }

      function buy(): Step {
        const customer = pickMostly([...model.customers.keys()], players);
        const id = pickMostly(IDS.filter((candidate) => model.lots.has(candidate) && !model.lots.get(candidate)!.buyer), IDS);
        const by = random() < 0.05 ? pick(accounts.slice(0, 5).filter((a) => a !== customer)) : customer;
        const lot = model.lots.get(id);
        const event = "BuyCarbon";
        let expected: Expected;
        if (by !== customer) expected = { revert: "CarbonUnauthorizedAccount(address,address)" };
        else if (!model.customers.has(customer)) expected = { revert: "CarbonNotCustomer(address)" };
        else if (model.frozen.has(customer)) expected = { event, isSuccess: false, message: FROZEN };
        else if (!lot) expected = { event, isSuccess: false, message: "The product does not exist" };
        else if (lot.buyer) expected = { event, isSuccess: false, message: "The quota has been sold" };
        else if (lot.seller === customer) expected = { event, isSuccess: false, message: "You cannot buy your own quota" };
        else if (model.frozen.has(lot.seller)) expected = { event, isSuccess: false, message: "The seller of this quota is frozen" };
        else if (model.customers.get(customer)! < lot.price) expected = { event, isSuccess: false, message: "Buy failed" };
        else {
          expected = {
            event,
            isSuccess: true,
            message: "Buy successfully",
            apply: () => {
              lot.buyer = customer;
              model.customers.set(customer, model.customers.get(customer)! - lot.price);
              model.sellers.set(lot.seller, model.sellers.get(lot.seller)! + lot.price);
              model.purchases.get(customer)!.push(id);
            },
          };
        }
        return {
          description: `${by} buyCarbon(${customer}, ${id})`,
          from: by,
          send: (options) => carbon.buyCarbon(customer, id, { from: by, ...options }),
          expected,
        };
      }

      function settle(): Step {
        const seller = pickMostly([...model.sellers.keys()], players);
        const balance = model.sellers.get(seller) ?? 0;
        const value = balance > 0 && random() < 0.6 ? 1 + Math.floor(random() * balance) : amount(80);
        const event = "SettleCarbon";
        let expected: Expected;
        if (value === 0) expected = { revert: "CarbonZeroAmount()" };
        else if (!model.sellers.has(seller)) expected = { revert: "CarbonNotSeller(address)" };
        else if (model.frozen.has(seller)) expected = { event, isSuccess: false, message: FROZEN };
        else if (model.sellers.get(seller)! < value) {
          expected = { event, isSuccess: false, message: "Insufficient balance, settlement failed" };
        } else {
          expected = {
            event,
            isSuccess: true,
            message: "Settlement succeeded",
            apply: () => {
              model.sellers.set(seller, model.sellers.get(seller)! - value);
              model.settled += value;
            },
          };
        }
        return {
          description: `settleCarbon(${seller}, ${value})`,
          from: seller,
          send: (options) => carbon.settleCarbon(seller, value, { from: seller, ...options }),
          expected,
        };
      }

      function freezeOrUnfreeze(): Step {
        // Mostly lift a freeze when there is one, so that the market keeps trading between freezes.
        const frozenNow = [...model.frozen];
        const unfreezeFrozen = frozenNow.length > 0 && random() < 0.6;
        const account = unfreezeFrozen ? pick(frozenNow) : pick(players);
        const frozen = model.frozen.has(account);
        if (!unfreezeFrozen && random() < 0.6) {
          return {
            description: `freezeAccount(${account})`,
            from: regulator,
            send: (options) => carbon.freezeAccount(account, { from: regulator, ...options }),
            expected: frozen
              ? { event: "FreezeAccount", isSuccess: false, message: "This account is already frozen" }
              : { event: "FreezeAccount", isSuccess: true, message: "Account frozen", apply: () => model.frozen.add(account) },
          };
        }
        return {
          description: `unfreezeAccount(${account})`,
          from: regulator,
          send: (options) => carbon.unfreezeAccount(account, { from: regulator, ...options }),
          expected: frozen
            ? { event: "UnfreezeAccount", isSuccess: true, message: "Account unfrozen", apply: () => model.frozen.delete(account) }
            : { event: "UnfreezeAccount", isSuccess: false, message: "This account is not frozen" },
        };
      }

      // ---------------------------------------------------------------- the compliance cycle

      const latest = (): number => model.periods.length - 1;
      function openPeriodModel(): PeriodModel | undefined {
        const period = model.periods[latest()];
        return period && !period.closed ? period : undefined;
      }
      function record(periodId: number, account: string): RecordModel {
        const records = model.periods[periodId].records;
        let found = records.get(account);
        if (!found) {
          found = { allocated: 0, reported: 0, state: ReportState.None, verified: 0, surrendered: 0, estimated: 0, accepted: false, enforced: false, finalStatus: Status.Unreported, shortfall: 0, penalty: 0 };
          records.set(account, found);
        }
        return found;
      }
      const isVerified = (state: ReportState): boolean => state === ReportState.Verified || state === ReportState.Corrected;
      function standing(account: string): { outstanding: number; lastEnforced: number } {
        return model.standings.get(account) ?? { outstanding: 0, lastEnforced: 0 };
      }
      const tookPart = (r: RecordModel): boolean => r.allocated > 0 || r.state !== ReportState.None || r.verifier !== undefined || r.surrendered > 0;
      function statusOf(periodId: number, account: string): Status {
        const period = model.periods[periodId];
        const r = record(periodId, account);
        const status = pureStatus(r.state, r.verified, r.surrendered, tookPart(r), period.closed || model.now > period.reportingDeadline, period.closed || model.now > period.surrenderDeadline);
        // The snapshot: what enforcement recorded is what the closed period said.
        if (r.enforced) assert.equal(r.finalStatus, status, "an enforced status is the closing snapshot");
        return status;
      }
      /** Why a step of the latest period cannot be taken now (closed, or past its surrender deadline). */
      function openFailure(periodId: number): string | undefined {
        const period = model.periods[periodId];
        if (period.closed) return "This period is closed";
        if (model.now > period.surrenderDeadline) return "The surrender deadline has passed";
        return undefined;
      }
      const customerOrAnyone = (): string => pickMostly([...model.customers.keys()], players);
      const ok = (event: string, message: string, apply: () => void): Expected => ({ event, isSuccess: true, message, apply });
      const no = (event: string, message: string): Expected => ({ event, isSuccess: false, message });

      function openPeriodStep(): Step {
        const by = random() < 0.05 ? pick(players) : regulator;
        const label = pick(["2026", "2027", "Q3-2028"]);
        const cap = 200 + Math.floor(random() * 800);
        const rate = Math.floor(random() * 10);
        // Half a day off the whole-day grid the clock moves on: no deadline is ever a few seconds away.
        const reportingDeadline = model.now + (2 + Math.floor(random() * 4)) * DAY + DAY / 2;
        const surrenderDeadline = reportingDeadline + Math.floor(random() * 4) * DAY;
        let expected: Expected;
        if (by !== regulator) expected = { revert: "ComplianceUnauthorizedRegulator(address)" };
        else if (openPeriodModel()) expected = no("OpenPeriod", "A period is already open");
        else {
          expected = ok("OpenPeriod", "Period opened", () =>
            model.periods.push({ reportingDeadline, surrenderDeadline, cap, allocated: 0, rate, closed: false, surrendered: 0, records: new Map() }),
          );
        }
        return {
          description: `${by} openPeriod(${label}, cap ${cap}, rate ${rate})`,
          from: by,
          send: (options) => compliance.openPeriod(label, cap, reportingDeadline, surrenderDeadline, rate, { from: by, ...options }),
          expected,
        };
      }

      function closePeriodStep(): Step {
        const id = Math.max(latest(), 0);
        const period = model.periods[id];
        let expected: Expected;
        if (!period) expected = { revert: "ComplianceUnknownPeriod(uint256)" };
        else if (period.closed) expected = no("ClosePeriod", "This period is already closed");
        else if (model.now <= period.surrenderDeadline) expected = no("ClosePeriod", "The surrender deadline has not passed yet");
        else expected = ok("ClosePeriod", "Period closed", () => (period.closed = true));
        return { description: `closePeriod(${id})`, from: regulator, send: (options) => compliance.closePeriod(id, { from: regulator, ...options }), expected };
      }

      /** Steps that need an open period mostly open the next one when there is none, so that enough of them succeed. */
      function orOpen(step: () => Step): () => Step {
        return () => (!openPeriodModel() && random() < 0.7 ? openPeriodStep() : step());
      }

      function advanceClock(): Step {
        const days = 1 + Math.floor(random() * 3);
        return { description: `the clock moves on ${days} days`, from: regulator, send: () => Promise.reject(new Error("no transaction")), expected: { action: () => mineAt(model.now + days * DAY) } };
      }

      function accreditOrRevoke(): Step {
        const verifier = pick(verifierAccounts);
        const accredited = model.verifiers.has(verifier);
        if (random() < 0.6) {
          return {
            description: `accreditVerifier(${verifier})`,
            from: regulator,
            send: (options) => compliance.accreditVerifier(verifier, { from: regulator, ...options }),
            expected: accredited ? no("AccreditVerifier", "This verifier is already accredited") : ok("AccreditVerifier", "Verifier accredited", () => model.verifiers.add(verifier)),
          };
        }
        return {
          description: `revokeVerifier(${verifier})`,
          from: regulator,
          send: (options) => compliance.revokeVerifier(verifier, { from: regulator, ...options }),
          expected: accredited ? ok("RevokeVerifier", "Verifier revoked", () => model.verifiers.delete(verifier)) : no("RevokeVerifier", "This account is not an accredited verifier"),
        };
      }

      const verifierMostly = (): string => pickMostly([...model.verifiers], verifierAccounts);

      function appoint(): Step {
        const customer = customerOrAnyone();
        const verifier = verifierMostly();
        const id = Math.max(latest(), 0);
        let expected: Expected;
        if (!model.customers.has(customer)) expected = { revert: "ComplianceNotCustomer(address)" };
        else if (!model.periods[id]) expected = { revert: "ComplianceUnknownPeriod(uint256)" };
        else {
          const r = record(id, customer);
          const failure =
            openFailure(id) ??
            (!model.verifiers.has(verifier) ? "This verifier is not accredited"
              : isVerified(r.state) ? "This report has already been verified"
              : r.accepted && r.verifier && model.verifiers.has(r.verifier) ? "Your verifier has already accepted this appointment"
              : undefined);
          expected = failure ? no("AppointVerifier", failure) : ok("AppointVerifier", "Verifier appointed", () => Object.assign(r, { verifier, accepted: false }));
        }
        return { description: `appointVerifier(${customer}, ${id}, ${verifier})`, from: customer, send: (options) => compliance.appointVerifier(customer, id, verifier, { from: customer, ...options }), expected };
      }

      /** A verifier, and mostly a customer that appointed it in the latest period. */
      function verifierAndCustomer(): [string, string] {
        const verifier = verifierMostly();
        const id = latest();
        const theirs = id < 0 ? [] : players.filter((p) => model.periods[id].records.get(p)?.verifier === verifier);
        return [verifier, pickMostly(theirs, players)];
      }

      function accept(): Step {
        const [verifier, customer] = verifierAndCustomer();
        const id = Math.max(latest(), 0);
        let expected: Expected;
        if (!model.periods[id]) expected = { revert: "ComplianceUnknownPeriod(uint256)" };
        else {
          const r = record(id, customer);
          const failure =
            openFailure(id) ??
            (!model.verifiers.has(verifier) ? "This verifier is not accredited"
              : r.verifier !== verifier ? "You have not been appointed by this customer"
              : r.accepted ? "You have already accepted this appointment"
              : undefined);
          expected = failure ? no("AcceptAppointment", failure) : ok("AcceptAppointment", "Appointment accepted", () => (r.accepted = true));
        }
        return { description: `acceptAppointment(${verifier}, ${customer}, ${id})`, from: verifier, send: (options) => compliance.acceptAppointment(verifier, customer, id, { from: verifier, ...options }), expected };
      }

      function report(): Step {
        const customer = customerOrAnyone();
        const tonnes = Math.floor(random() * 150);
        const id = Math.max(latest(), 0);
        let expected: Expected;
        if (!model.customers.has(customer)) expected = { revert: "ComplianceNotCustomer(address)" };
        else if (!model.periods[id]) expected = { revert: "ComplianceUnknownPeriod(uint256)" };
        else {
          const period = model.periods[id];
          const r = record(id, customer);
          const failure = period.closed ? "This period is closed"
            : r.state === ReportState.Submitted ? "This report is awaiting verification"
            : isVerified(r.state) ? "This report has already been verified"
            : r.state === ReportState.None && model.now > period.reportingDeadline ? "The reporting deadline has passed"
            : model.now > period.surrenderDeadline ? "The surrender deadline has passed"
            : undefined;
          const message = r.state === ReportState.Rejected ? "Report resubmitted" : "Emissions reported";
          expected = failure ? no("ReportEmissions", failure) : ok("ReportEmissions", message, () => Object.assign(r, { reported: tonnes, state: ReportState.Submitted }));
        }
        return { description: `reportEmissions(${customer}, ${id}, ${tonnes})`, from: customer, send: (options) => compliance.reportEmissions(customer, id, tonnes, EVIDENCE, { from: customer, ...options }), expected };
      }

      function verify(): Step {
        const [verifier, customer] = verifierAndCustomer();
        const approve = random() < 0.7;
        const [method, event] = approve ? (["approveReport", "ApproveReport"] as const) : (["rejectReport", "RejectReport"] as const);
        const id = Math.max(latest(), 0);
        let expected: Expected;
        if (!model.periods[id]) expected = { revert: "ComplianceUnknownPeriod(uint256)" };
        else {
          const r = record(id, customer);
          const failure =
            openFailure(id) ??
            (!model.verifiers.has(verifier) ? "This verifier is not accredited"
              : r.verifier !== verifier || !r.accepted ? "You are not this customer's verifier"
              : isVerified(r.state) ? "This report has already been verified"
              : r.state !== ReportState.Submitted ? "There is no report awaiting verification"
              : undefined);
          expected = failure
            ? no(event, failure)
            : approve
              ? ok(event, "Report approved", () => Object.assign(r, { verified: r.reported, state: ReportState.Verified }))
              : ok(event, "Report rejected", () => (r.state = ReportState.Rejected));
        }
        return {
          description: `${method}(${verifier}, ${customer}, ${id})`,
          from: verifier,
          send: (options) => (approve ? compliance.approveReport(verifier, customer, id, { from: verifier, ...options }) : compliance.rejectReport(verifier, customer, id, "the evidence does not support it", { from: verifier, ...options })),
          expected,
        };
      }

      function correct(): Step {
        const customer = customerOrAnyone();
        const tonnes = Math.floor(random() * 150);
        const id = Math.max(latest(), 0);
        let expected: Expected;
        if (!model.customers.has(customer)) expected = { revert: "ComplianceNotCustomer(address)" };
        else if (!model.periods[id]) expected = { revert: "ComplianceUnknownPeriod(uint256)" };
        else if (model.periods[id].closed) expected = no("CorrectEmissions", "This period is closed");
        else expected = ok("CorrectEmissions", "Emissions corrected", () => Object.assign(record(id, customer), { verified: tonnes, state: ReportState.Corrected }));
        return { description: `correctEmissions(${customer}, ${id}, ${tonnes})`, from: regulator, send: (options) => compliance.correctEmissions(customer, id, tonnes, "inspection", { from: regulator, ...options }), expected };
      }

      function surrender(): Step {
        const customer = customerOrAnyone();
        const balance = model.customers.get(customer) ?? 0;
        const owed = standing(customer).outstanding;
        const value = random() < 0.03 ? 0 : owed > 0 && random() < 0.4 ? owed : balance > 0 && random() < 0.6 ? 1 + Math.floor(random() * balance) : 1 + Math.floor(random() * 80);
        let expected: Expected;
        if (!model.customers.has(customer)) expected = { revert: "ComplianceNotCustomer(address)" };
        else if (value === 0) expected = { revert: "ComplianceZeroAmount()" };
        else {
          const toDebt = Math.min(value, owed);
          const toPeriod = value - toDebt;
          const period = model.periods[latest()];
          const failure =
            toPeriod > 0 && (!period || period.closed) ? "There is no open period to surrender for"
              : toPeriod > 0 && model.now > period.surrenderDeadline ? "The surrender deadline has passed"
              : balance < value ? "Insufficient balance, surrender failed"
              : undefined;
          const message = toDebt > 0 && toDebt === owed ? "Quota surrendered, the shortfall is cleared" : "Quota surrendered";
          expected = failure
            ? no("SurrenderCarbon", failure)
            : ok("SurrenderCarbon", message, () => {
                model.customers.set(customer, balance - value);
                model.surrendered += value;
                if (toDebt > 0) model.standings.set(customer, { ...standing(customer), outstanding: owed - toDebt });
                if (toPeriod > 0) {
                  record(latest(), customer).surrendered += toPeriod;
                  period.surrendered += toPeriod;
                }
              });
        }
        return { description: `surrenderCarbon(${customer}, ${value})`, from: customer, send: (options) => compliance.surrenderCarbon(customer, value, { from: customer, ...options }), expected };
      }

      function enforce(): Step {
        const customer = customerOrAnyone();
        const closed = model.periods.map((period, id) => (period.closed ? id : -1)).filter((id) => id >= 0);
        const id = model.periods.length === 0 ? 0 : pickMostly(closed, model.periods.map((_, i) => i));
        let expected: Expected;
        if (!model.customers.has(customer)) expected = { revert: "ComplianceNotCustomer(address)" };
        else if (!model.periods[id]) expected = { revert: "ComplianceUnknownPeriod(uint256)" };
        else {
          const period = model.periods[id];
          const r = record(id, customer);
          const held = standing(customer);
          if (!period.closed) expected = no("EnforceCompliance", "This period is not closed yet");
          else if (r.enforced) expected = no("EnforceCompliance", "This account has already been enforced for this period");
          else {
            const status = pureStatus(r.state, r.verified, r.surrendered, tookPart(r), true, true);
            let shortfall = 0;
            let penalty = 0;
            if (status === Status.B) {
              shortfall = r.verified - r.surrendered;
              penalty = shortfall * period.rate;
            } else if (status === Status.C) {
              const obligation = raised(r.estimated);
              shortfall = Math.max(0, obligation - r.surrendered);
              penalty = obligation * period.rate;
            }
            const messages: Partial<Record<Status, string>> = {
              [Status.A]: "Compliant",
              [Status.B]: "Short: the account is frozen and a penalty recorded",
              [Status.C]: "No verified emissions: the account is frozen and a penalty recorded on the regulator's estimate",
              [Status.NotCovered]: "This account took no part in this period",
            };
            if (status === Status.C && r.estimated === 0) expected = no("EnforceCompliance", "No verified emissions and no estimate: estimate this account's emissions first");
            else {
              expected = ok("EnforceCompliance", messages[status]!, () => {
                Object.assign(r, { enforced: true, finalStatus: status, shortfall, penalty });
                model.standings.set(customer, { outstanding: held.outstanding + shortfall, lastEnforced: id + 1 });
                model.penalties += penalty;
                if (status === Status.B || status === Status.C) model.frozen.add(customer);
              });
            }
          }
        }
        return { description: `enforceCompliance(${customer}, ${id})`, from: regulator, send: (options) => compliance.enforceCompliance(customer, id, { from: regulator, ...options }), expected };
      }

      /** The estimate raised by the surcharge (10 %, rounded up), as Compliance counts a C account's obligation. */
      const raised = (estimated: number): number => estimated + Math.ceil((estimated * 10) / 100);

      function estimate(): Step {
        const customer = customerOrAnyone();
        const tonnes = 1 + Math.floor(random() * 200);
        const closedOrLatest = model.periods.map((period, id) => (period.closed ? id : -1)).filter((id) => id >= 0);
        const id = model.periods.length === 0 ? 0 : pickMostly(closedOrLatest, model.periods.map((_, i) => i));
        let expected: Expected;
        if (!model.customers.has(customer)) expected = { revert: "ComplianceNotCustomer(address)" };
        else if (!model.periods[id]) expected = { revert: "ComplianceUnknownPeriod(uint256)" };
        else {
          const r = record(id, customer);
          const failure = model.now <= model.periods[id].reportingDeadline ? "The reporting deadline has not passed yet"
            : r.enforced ? "This account has already been enforced for this period"
            : isVerified(r.state) ? "This account's emissions are verified"
            : !tookPart(r) ? "This account took no part in this period"
            : undefined;
          expected = failure ? no("EstimateEmissions", failure) : ok("EstimateEmissions", "Emissions estimated", () => (r.estimated = tonnes));
        }
        return { description: `estimateEmissions(${customer}, ${id}, ${tonnes})`, from: regulator, send: (options) => compliance.estimateEmissions(customer, id, tonnes, "inspection estimate", { from: regulator, ...options }), expected };
      }

      // Trading dominates, as on a real market; registration and risk control are rarer.
      const generators: [number, () => Step][] = [
        [3, () => registration("customer")],
        [3, () => registration("seller")],
        [3, issue],
        [4, publish],
        [6, buy],
        [3, settle],
        [2, freezeOrUnfreeze],
        // The compliance cycle: a period every few dozen steps, the clock moving on by days.
        [1, openPeriodStep],
        [1, closePeriodStep],
        [2, advanceClock],
        [1, accreditOrRevoke],
        [1, orOpen(appoint)],
        [1, orOpen(accept)],
        [2, orOpen(report)],
        [2, orOpen(verify)],
        [1, orOpen(correct)],
        [2, surrender],
        [1, estimate],
        [2, enforce],
      ];
      const totalWeight = generators.reduce((sum, [weight]) => sum + weight, 0);
      function nextStep(): Step {
        let roll = random() * totalWeight;
        for (const [weight, generate] of generators) {
          if ((roll -= weight) < 0) return generate();
        }
        return generators[generators.length - 1][1]();
      }

      async function checkInvariants(): Promise<void> {
        const text = (value: { toString(): string }): number => Number(value.toString());
        const [issued, settled, customerBalances, sellerBalances, lotCounts, lots, unsoldCount, unsold] = await Promise.all([
          carbon.issuedCarbonAmount().then(text),
          carbon.settledCarbonAmount().then(text),
          Promise.all(players.map((p) => carbon.getCustomerCarbonAmount(p).then(text))),
          Promise.all(players.map((p) => carbon.getSellerCarbonAmount(p).then(text))),
          Promise.all(players.map((p) => carbon.getCustomerCarbonCount(p).then(text))),
          carbon.getCarbons(0, IDS.length + 1),
          carbon.getUnsoldCarbonCount().then(text),
          carbon.getUnsoldCarbons(0, IDS.length + 1),
        ]);
        const [surrendered, escrowed] = await Promise.all([compliance.surrenderedCarbonAmount().then(text), orderBook.escrowedCarbonAmount().then(text)]);
        const held = [...customerBalances, ...sellerBalances].reduce((sum, balance) => sum + balance, 0);
        assert.equal(held + escrowed, issued - settled - surrendered, "customers + sellers + the order book's escrow = issued − settled − surrendered");
        assert.equal(surrendered, model.surrendered, "surrendered, as the model has it");
        const sold = lots.filter((lot) => lot.buyer !== "0x0000000000000000000000000000000000000000").length;
        const bought = lotCounts.reduce((sum, count) => sum + count, 0);
        assert.equal(bought, sold, "the customers' lot lists hold each sold lot once");
        assert.equal(lots.length, model.lots.size, "the lots published");
        const withoutBuyer = lots.filter((lot) => lot.buyer === ZERO).map((lot) => lotView(lot)).sort((a, b) => a.carbonId.localeCompare(b.carbonId));
        assert.equal(unsoldCount, withoutBuyer.length, "the unsold index counts the lots without a buyer");
        assert.deepEqual(
          unsold.map((lot) => lotView(lot)).sort((a, b) => a.carbonId.localeCompare(b.carbonId)),
          withoutBuyer,
          "the unsold index holds exactly the lots without a buyer",
        );
        for (const lot of lots) {
          const expected = model.lots.get(lot.carbonId);
          assert.equal(lot.buyer, expected?.buyer ?? "0x0000000000000000000000000000000000000000", `${lot.carbonId}'s buyer`);
        }
        assert.equal(issued, model.issued, "issued, as the model has it");
        assert.equal(settled, model.settled, "settled, as the model has it");
        players.forEach((p, i) => {
          assert.equal(customerBalances[i], model.customers.get(p) ?? 0, `${p}'s customer balance`);
          assert.equal(sellerBalances[i], model.sellers.get(p) ?? 0, `${p}'s seller balance`);
        });
        await checkCompliance();
      }

      /** The latest period's records and statuses, every player's standing, and the totals, as the model has them. */
      async function checkCompliance(): Promise<void> {
        model.now = await chainTime();
        const text = (value: { toString(): string }): number => Number(value.toString());
        assert.equal(text(await compliance.penaltyTotal()), model.penalties, "penalties, as the model has it");
        const [standings, frozen] = await Promise.all([
          Promise.all(players.map((p) => compliance.standingOf(p))),
          Promise.all(players.map((p) => carbon.isFrozen(p))),
        ]);
        players.forEach((p, i) => {
          assert.equal(Number(standings[i].outstanding), standing(p).outstanding, `${p} owes`);
          assert.equal(frozen[i], model.frozen.has(p), `${p} frozen`);
        });
        const id = latest();
        if (id < 0) return;
        const period = model.periods[id];
        const [onChain, records] = await Promise.all([compliance.getPeriod(id), Promise.all(players.map((p) => compliance.getRecord(p, id)))]);
        assert.equal(Number(onChain.allocated), period.allocated, "the period's allocation");
        assert.isAtMost(Number(onChain.allocated), Number(onChain.cap), "the allocation stays under the cap");
        assert.equal(Number(onChain.surrendered), period.surrendered, "the period's surrenders");
        assert.equal(onChain.closed, period.closed, "closed");
        players.forEach((p, i) => {
          const expected = record(id, p);
          const actual = records[i];
          const fields = { allocated: actual.allocated, reported: actual.reported, verified: actual.verified, surrendered: actual.surrendered, estimated: actual.estimated, state: actual.reportState, status: actual.status, shortfall: actual.shortfall, penalty: actual.penalty, enforced: actual.enforced };
          const modelled = { allocated: expected.allocated, reported: expected.reported, verified: expected.verified, surrendered: expected.surrendered, estimated: expected.estimated, state: expected.state, status: statusOf(id, p), shortfall: expected.shortfall, penalty: expected.penalty, enforced: expected.enforced };
          assert.deepEqual(
            { ...fields, allocated: Number(fields.allocated), reported: Number(fields.reported), verified: Number(fields.verified), surrendered: Number(fields.surrendered), estimated: Number(fields.estimated), state: Number(fields.state), status: Number(fields.status), shortfall: Number(fields.shortfall), penalty: Number(fields.penalty) },
            modelled,
            `${p}'s record for period ${id}`,
          );
        });
      }

      const tally = { succeeded: 0, failed: 0, reverted: 0 };
      const outcomes = new Map<string, number>();
      let step = 0;
      let description = "";
      try {
        for (step = 1; step <= STEPS; step++) {
          const next = nextStep();
          description = next.description;
          const { expected } = next;
          if ("action" in expected) {
            await expected.action();
          } else if ("revert" in expected) {
            await expectCustomError(next.send(), expected.revert);
            tally.reverted++;
            outcomes.set(expected.revert, (outcomes.get(expected.revert) ?? 0) + 1);
          } else {
            // The model expects no revert, so skip the gas estimate: it would run the transaction twice.
            const tx = await next.send({ gas: 1_000_000 });
            expectOutcome(tx, expected.event, { sender: next.from, isSuccess: expected.isSuccess, message: expected.message });
            expected.apply?.();
            tally[expected.isSuccess ? "succeeded" : "failed"]++;
            outcomes.set(expected.message, (outcomes.get(expected.message) ?? 0) + 1);
          }
          await checkInvariants();
        }
        for (const player of players) {
          const lots = (await carbon.getCustomerCarbons(player, 0, IDS.length)).map(lotView);
          assert.deepEqual(lots.map((lot) => lot.carbonId), model.purchases.get(player), `${player}'s purchases`);
        }
      } catch (error) {
        const where = step > STEPS ? "after the last step" : `at step ${step} (${description})`;
        (error as Error).message =
          `property failed ${where}; replay with CARBON_PROPERTY_SEED=${SEED}: ${(error as Error).message}`;
        throw error;
      }
      console.log(`      (seed ${SEED}: ${tally.succeeded} succeeded, ${tally.failed} failed, ${tally.reverted} reverted)`);
      if (process.env.CARBON_PROPERTY_SEED) {
        console.log(`      (${[...outcomes].map(([outcome, count]) => `${outcome}: ${count}`).join("; ")})`);
      }
      // A tenth: random runs succeed in about a fifth of their steps, and a seed now and then in fewer.
      assert.isAtLeast(tally.succeeded, STEPS / 10, `enough operations succeed to exercise the market (${JSON.stringify(tally)})`);
      assert.isAtLeast(tally.failed + tally.reverted, STEPS / 10, `enough fail (${JSON.stringify(tally)})`);
    });
  });
});
