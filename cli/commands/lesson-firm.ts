// `carbon lesson firm <firm>`: "My firm": its baseline, its schedule with what each block costs and
// what is abated of it, this round's emissions, holdings and obligation, and its cost so far. The
// chain is public: any account's firm can be read, a rival's included.
import { Compliance } from "../chain/compliance";
import { Lesson, type AbatementBlock } from "../chain/lesson";
import type { Market } from "../chain/market";
import { parseAccount, type AccountRef } from "../input/values";
import { UsageError } from "../support/errors";
import type { Flags } from "./command";

export interface LessonFirmOptions {
  firm: AccountRef;
}

export interface FirmBlockView extends AbatementBlock {
  /** Tonnes of this block abated in the current round. */
  abated: bigint;
}

export interface LessonFirmView {
  account: string;
  baseline: bigint;
  blocks: FirmBlockView[];
  /** The latest round, if any. */
  round?: {
    label: string;
    open: boolean;
    abated: bigint;
    paid: bigint;
    emissions: bigint;
    verified: boolean;
    surrendered: bigint;
    /** Emissions not yet covered by a surrender. */
    obligation: bigint;
    reportingDeadline: number;
    surrenderDeadline: number;
  };
  holdings: bigint;
  /** Abatement paid over every round. */
  abatementPaid: bigint;
}

export function parse([firm]: string[], _flags: Flags): LessonFirmOptions {
  if (firm === undefined) throw new UsageError("give the firm, e.g. carbon lesson firm ana");
  return { firm: parseAccount(firm, "firm") };
}

export async function run(market: Market, options: LessonFirmOptions): Promise<LessonFirmView> {
  const account = await market.resolve(options.firm, "firm");
  const lesson = await Lesson.attach(market);
  const firm = await lesson.firm(account);
  if (!firm) throw new UsageError(`${account} has no firm in the lesson: the teacher gives firms with \`carbon lesson setup\``);
  const compliance = new Compliance(market);
  const [rounds, holdings] = await Promise.all([lesson.rounds(), market.customerCarbonAmount(account)]);
  const states = await Promise.all(rounds.map((round) => lesson.firmRound(account, round.periodId)));
  const latest = rounds[rounds.length - 1];
  const state = states[states.length - 1];
  let skip = state?.abated ?? 0n;
  const blocks = firm.blocks.map((block) => {
    const abated = skip < block.tonnes ? skip : block.tonnes;
    skip -= abated;
    return { ...block, abated };
  });
  const view: LessonFirmView = { account, baseline: firm.baseline, blocks, holdings, abatementPaid: states.reduce((sum, s) => sum + s.paid, 0n) };
  if (latest && state) {
    const [period, record] = await Promise.all([compliance.period(latest.periodId), compliance.record(account, latest.periodId)]);
    view.round = {
      label: period.label,
      open: !period.closed,
      abated: state.abated,
      paid: state.paid,
      emissions: state.emissions,
      verified: state.verified,
      surrendered: record.surrendered,
      obligation: state.emissions > record.surrendered ? state.emissions - record.surrendered : 0n,
      reportingDeadline: period.reportingDeadline,
      surrenderDeadline: period.surrenderDeadline,
    };
  }
  return view;
}
