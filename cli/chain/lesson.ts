// The lesson (contracts/Lesson.sol) as the CLI and the session see it: firms with a baseline and an
// abatement schedule, rounds (compliance periods marked with the cut they ask), abatement sold at the
// schedule's cost, and the lesson verifying a firm's report against the chain. One method per
// contract method and view, in plain values (lower-case addresses, bigint tonnes and wei), over the
// market's own read and write paths.
//
//   const lesson = await Lesson.attach(market);
//   await lesson.addFirm(account, 100n, [{ tonnes: 10n, costPerTonne: 5n * GWEI }]);    // the regulator
//   await lesson.markRound(periodId, 30n);                                             // the regulator
//   await lesson.abate(15n, firm);                      // pays lesson.abatementCost(firm, periodId, 15n)
//   await compliance.reportEmissions(firm, periodId, await lesson.emissionsOf(firm, periodId), hash);
//   await compliance.appointVerifier(firm, periodId, lesson.address);
//   await lesson.verify(firm, periodId);                                               // anyone
//
// Every write refuses, with a UsageError (exit 2) before sending, what the contract would revert on,
// with the numbers (what is left of the schedule, the deadline); abate pays the chain's own quote.
import { UsageError } from "../support/errors";
import { Compliance } from "./compliance";
import type { Market } from "./market";
import type { Outcome } from "./outcome";

/** A block of a firm's abatement schedule: `tonnes` it can cut at `costPerTonne` wei each. */
export interface AbatementBlock {
  tonnes: bigint;
  costPerTonne: bigint;
}

/** A firm as the chain holds it. */
export interface LessonFirm {
  account: string;
  /** 1-based, in the order firms were added. */
  number: number;
  /** Emissions per round before any abatement. */
  baseline: bigint;
  /** The schedule's tonnes in all: the most it can abate in a round. */
  abatable: bigint;
  /** Cheapest first. */
  blocks: AbatementBlock[];
}

/** A firm's round. */
export interface FirmRound {
  abated: bigint;
  paid: bigint;
  emissions: bigint;
  verified: boolean;
}

/** A round's cut, and what the class abated and paid in it (cut 0: the period is not a round). */
export interface LessonRound {
  periodId: number;
  cut: bigint;
  abated: bigint;
  paid: bigint;
}

/** One abatement, from the chain's events. */
export interface AbatementEvent {
  periodId: number;
  firm: string;
  tonnes: bigint;
  cost: bigint;
  emissions: bigint;
  block: number;
}

export const MAX_BLOCKS = 8;
const MAX_TONNES = 2n ** 64n - 1n;
const MAX_COST = 2n ** 128n - 1n;

export class Lesson {
  private constructor(
    private readonly market: Market,
    /** The lesson's contract: the verifier a firm appoints. */
    readonly address: string,
  ) {}

  /** The market's lesson; an UnavailableError (exit 3) for a market without one. */
  static async attach(market: Market): Promise<Lesson> {
    return new Lesson(market, await market.lessonModule("Lesson"));
  }

  // ---------------------------------------------------------------- reads

  async totalBaseline(): Promise<bigint> {
    return BigInt((await this.read<[string]>("totalBaseline"))[0]);
  }

  async firmCount(): Promise<number> {
    return Number((await this.read<[string]>("firmCount"))[0]);
  }

  /** Every firm's account, in the order added (paged reads of 200). */
  async firmAccounts(): Promise<string[]> {
    const count = await this.firmCount();
    const pages: Promise<[string[]]>[] = [];
    for (let offset = 0; offset < count; offset += 200) pages.push(this.read<[string[]]>("firms", [offset, 200]));
    return (await Promise.all(pages)).flatMap(([page]) => page.map((account) => account.toLowerCase()));
  }

  /** A firm, or undefined for an account that is not one. */
  async firm(account: string): Promise<LessonFirm | undefined> {
    const [raw] = await this.read<[{ number: string; baseline: string; abatable: string; tonnes: string[]; costs: string[] }]>("getFirm", [account]);
    if (Number(raw.number) === 0) return undefined;
    return {
      account: account.toLowerCase(),
      number: Number(raw.number),
      baseline: BigInt(raw.baseline),
      abatable: BigInt(raw.abatable),
      blocks: raw.tonnes.map((tonnes, i) => ({ tonnes: BigInt(tonnes), costPerTonne: BigInt(raw.costs[i]) })),
    };
  }

  /** Every firm with its schedule. */
  async firms(): Promise<LessonFirm[]> {
    const accounts = await this.firmAccounts();
    return (await Promise.all(accounts.map((account) => this.firm(account)))).filter((firm): firm is LessonFirm => firm !== undefined);
  }

  async firmRound(account: string, periodId: number): Promise<FirmRound> {
    const [abated, paid, emissions, verified] = await this.read<[string, string, string, boolean]>("firmRound", [account, periodId]);
    return { abated: BigInt(abated), paid: BigInt(paid), emissions: BigInt(emissions), verified: Boolean(verified) };
  }

  async emissionsOf(account: string, periodId: number): Promise<bigint> {
    return BigInt((await this.read<[string]>("emissionsOf", [account, periodId]))[0]);
  }

  async round(periodId: number): Promise<LessonRound> {
    const [cut, abated, paid] = await this.read<[string, string, string]>("getRound", [periodId]);
    return { periodId, cut: BigInt(cut), abated: BigInt(abated), paid: BigInt(paid) };
  }

  /** The rounds among the market's periods, oldest first. */
  async rounds(): Promise<LessonRound[]> {
    const count = await new Compliance(this.market).periodCount();
    const all = await Promise.all(Array.from({ length: count }, (_, periodId) => this.round(periodId)));
    return all.filter((round) => round.cut > 0n);
  }

  /** The chain's quote for `tonnes` more in round `periodId`, after what the firm abated there. */
  async abatementCost(account: string, periodId: number, tonnes: bigint): Promise<bigint> {
    return BigInt((await this.read<[string]>("abatementCost", [account, periodId, tonnes.toString()]))[0]);
  }

  /** Ether paid for abatement over the lesson (the contract's balance). */
  async spent(): Promise<bigint> {
    return BigInt((await this.read<[string]>("spent"))[0]);
  }

  /** The Abated events from `fromBlock` on, oldest first. */
  async abatements(fromBlock = 0): Promise<AbatementEvent[]> {
    const events = await this.market.events("Lesson", "Abated", fromBlock, "latest");
    return events.map(({ args, block }) => ({
      periodId: Number(args.periodId),
      firm: String(args.firm).toLowerCase(),
      tonnes: BigInt(String(args.tonnes)),
      cost: BigInt(String(args.cost)),
      emissions: BigInt(String(args.emissions)),
      block,
    }));
  }

  /** The open round, or a UsageError saying why there is none to act in. */
  async openRound(): Promise<{ periodId: number; label: string; reportingDeadline: number; surrenderDeadline: number; penaltyRate: bigint }> {
    const compliance = new Compliance(this.market);
    const current = await compliance.currentPeriod();
    if (!current?.open) throw new UsageError("no round is open: the teacher opens one with `carbon lesson round open --cut 30%`");
    const [round, period] = await Promise.all([this.round(current.periodId), compliance.period(current.periodId)]);
    if (round.cut === 0n) throw new UsageError(`period "${period.label}" is not a round of the lesson: the teacher opens rounds with \`carbon lesson round open\``);
    return { periodId: current.periodId, label: period.label, reportingDeadline: period.reportingDeadline, surrenderDeadline: period.surrenderDeadline, penaltyRate: period.penaltyRate };
  }

  // ---------------------------------------------------------------- writes

  /** The regulator gives customer `account` a firm. AddFirm: "Firm added" / "This account is a firm already". */
  async addFirm(account: string, baseline: bigint, blocks: AbatementBlock[], from = this.market.regulator): Promise<Outcome> {
    checkSchedule(baseline, blocks);
    await this.market.requireRegulator(from);
    await this.market.requireRole(account, "customer");
    const tonnes = blocks.map((block) => block.tonnes.toString());
    const costs = blocks.map((block) => block.costPerTonne.toString());
    return this.write("addFirm", [account, baseline.toString(), tonnes, costs], from);
  }

  /** The regulator marks period `periodId` as a round cutting `cut` tonnes. MarkRound: "Round marked" / "This period is closed". */
  async markRound(periodId: number, cut: bigint, from = this.market.regulator): Promise<Outcome> {
    const total = await this.totalBaseline();
    if (total === 0n) throw new UsageError("the lesson has no firms yet: give the class its firms first (`carbon lesson setup`)");
    if (cut <= 0n || cut > total) throw new UsageError(`a round's cut is 1 to ${total} tonnes (the class's baseline), not ${cut}`);
    await this.market.requireRegulator(from);
    return this.write("markRound", [periodId, cut.toString()], from);
  }

  /** The firm abates `tonnes` in the open round, paying the chain's quote. Abate: "Emissions abated". */
  async abate(tonnes: bigint, from: string): Promise<Outcome & { cost: bigint; emissions: bigint }> {
    if (tonnes <= 0n) throw new UsageError(`tonnes to abate must be a whole number above 0, not ${tonnes}`);
    await this.market.requireSigner(from);
    const firm = await this.firm(from);
    if (!firm) throw new UsageError(`${from} has no firm in the lesson: the teacher gives firms with \`carbon lesson setup\``);
    const round = await this.openRound();
    const now = await new Compliance(this.market).currentTime();
    if (now > round.reportingDeadline) {
      throw new UsageError(`round "${round.label}" took its reports until ${new Date(round.reportingDeadline * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC on the chain's clock: abatement is over`);
    }
    const state = await this.firmRound(from, round.periodId);
    if (state.verified) throw new UsageError(`your emissions for round "${round.label}" are verified (${state.emissions} t): they can no longer change`);
    const left = firm.abatable - state.abated;
    if (tonnes > left) throw new UsageError(`your schedule has ${left} t left to abate in round "${round.label}" (you abated ${state.abated} of ${firm.abatable}), not ${tonnes}`);
    const cost = await this.abatementCost(from, round.periodId, tonnes);
    const outcome = await this.write("abate", [tonnes.toString()], from, cost);
    return { ...outcome, cost, emissions: state.emissions - (outcome.ok ? tonnes : 0n) };
  }

  /** The lesson verifies `firm`'s report for `periodId`. Verify: "Report approved" / "The report is not the firm's emissions: N t" / ... */
  async verify(firm: string, periodId: number, from: string): Promise<Outcome> {
    await this.market.requireSigner(from);
    if (!(await this.firm(firm))) throw new UsageError(`${firm} has no firm in the lesson`);
    if ((await this.round(periodId)).cut === 0n) throw new UsageError(`period #${periodId} is not a round of the lesson`);
    return this.write("verify", [firm, periodId], from);
  }

  private read<T extends unknown[]>(view: string, args: unknown[] = []): Promise<T> {
    return this.market.read<T>("Lesson", view, args);
  }

  private write(method: string, args: unknown[], from: string, value?: bigint): Promise<Outcome> {
    return this.market.write(method, args, from, { contract: "Lesson", ...(value ? { value } : {}) });
  }
}

/** What Lesson.addFirm reverts on (LessonInvalidSchedule, LessonInvalidBaseline), as one line. */
export function checkSchedule(baseline: bigint, blocks: AbatementBlock[]): void {
  if (baseline <= 0n || baseline > MAX_TONNES) throw new UsageError(`a firm's baseline is 1 to ${MAX_TONNES} tonnes, not ${baseline}`);
  if (blocks.length === 0 || blocks.length > MAX_BLOCKS) throw new UsageError(`a schedule has 1 to ${MAX_BLOCKS} blocks, not ${blocks.length}`);
  let abatable = 0n;
  blocks.forEach((block, i) => {
    if (block.tonnes <= 0n || block.tonnes > MAX_TONNES) throw new UsageError(`block ${i + 1} of the schedule abates ${block.tonnes} t: at least 1`);
    if (block.costPerTonne <= 0n || block.costPerTonne > MAX_COST) throw new UsageError(`block ${i + 1} of the schedule costs ${block.costPerTonne} wei a tonne: at least 1 wei`);
    if (i > 0 && block.costPerTonne < blocks[i - 1].costPerTonne) throw new UsageError(`block ${i + 1} of the schedule is cheaper than block ${i}: blocks go cheapest first`);
    abatable += block.tonnes;
  });
  if (abatable > baseline) throw new UsageError(`the schedule abates ${abatable} t, more than the baseline of ${baseline} t`);
}
