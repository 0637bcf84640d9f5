// `carbon lesson results [--csv]`: the rounds against theory and the leaderboard (render/lesson.ts
// draws them; lesson/results.ts reads them from the chain).
import type { Market } from "../chain/market";
import { lessonResults, type LessonResults } from "../lesson/results";
import { UsageError } from "../support/errors";
import type { Flags } from "./command";

export interface LessonResultsOptions {
  csv: boolean;
}

export type LessonResultsView = LessonResults & { csv: boolean };

export function parse(args: string[], flags: Flags): LessonResultsOptions {
  if (args.some((arg) => arg !== undefined)) throw new UsageError("lesson results takes no arguments");
  return { csv: flags.csv === true };
}

export async function run(market: Market, options: LessonResultsOptions): Promise<LessonResultsView> {
  return { ...(await lessonResults(market)), csv: options.csv };
}
