// `carbon lesson abate <firm> <tonnes>`: a firm abates in the open round, paying its
// schedule's cost (cheapest blocks first) in ether; its emissions for the round fall by as much.
import { Lesson } from "../chain/lesson";
import type { Market } from "../chain/market";
import type { Outcome } from "../chain/outcome";
import { parseAmount, parseAccount, type AccountRef } from "../input/values";
import { UsageError } from "../support/errors";
import type { Flags } from "./command";

export interface LessonAbateOptions {
  firm: AccountRef;
  tonnes: bigint;
}

export function parse([firm, tonnes]: string[], _flags: Flags): LessonAbateOptions {
  if (firm === undefined || tonnes === undefined) throw new UsageError("give the firm and the tonnes to abate, e.g. carbon lesson abate ana 10");
  return { firm: parseAccount(firm, "firm"), tonnes: parseAmount(tonnes, "tonnes") };
}

export async function run(market: Market, options: LessonAbateOptions): Promise<Outcome & { cost: bigint; emissions: bigint }> {
  const firm = await market.resolve(options.firm, "firm");
  return (await Lesson.attach(market)).abate(options.tonnes, firm);
}
