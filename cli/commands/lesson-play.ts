// `carbon lesson play [--seed N]`: the lesson's automatic firms play the open round (abate at the
// price they expect, offer and bid on the book around it, abate what they could not buy, report and
// surrender), one after another, as the teacher's machine (cli/lesson/automatic-firms.ts). Run it
// when the students have had their turn, or alone for a lesson without people.
import type { Market } from "../chain/market";
import { playRound, type RoundPlay } from "../lesson/automatic-firms";
import { UsageError } from "../support/errors";
import { optionalString, type Flags } from "./command";

export interface LessonPlayOptions {
  seed: number;
}

export function parse(args: string[], flags: Flags): LessonPlayOptions {
  if (args.some((arg) => arg !== undefined)) throw new UsageError("lesson play takes no arguments: every automatic firm plays the open round");
  const text = optionalString(flags, "seed") ?? "1";
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number, not ${text}`);
  return { seed };
}

export function run(market: Market, options: LessonPlayOptions): Promise<RoundPlay> {
  return playRound(market, options.seed);
}
