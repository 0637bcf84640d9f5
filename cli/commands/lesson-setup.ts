// `carbon lesson setup [--seed N] [--baseline 80-120] [--blocks 3] [--tonnes 5-25] [--cost 0.001-0.03]`:
// the teacher gives every registered customer that has no firm yet a firm drawn from the seed (one
// transaction each), and accredits the lesson as the verifier firms appoint. A second run gives
// firms only to customers registered since, each the draw its place in the class would have had.
import { customerSource } from "../chain/account-sources";
import { Compliance } from "../chain/compliance";
import { Lesson } from "../chain/lesson";
import type { Market } from "../chain/market";
import { parseEther } from "../input/order-book";
import { parseAccount, type AccountRef } from "../input/values";
import { drawFirms, type DrawSpec, type Range } from "../lesson/draw";
import { UsageError } from "../support/errors";
import { eachAccount, type BulkResult, type BulkRow } from "./bulk";
import { optionalString, type Flags } from "./command";

export interface LessonSetupOptions {
  spec: DrawSpec;
  from?: AccountRef;
}

export const SETUP_DEFAULTS = { seed: "1", baseline: "80-120", blocks: "3", tonnes: "10-30", cost: "0.001-0.03" } as const;

function wholeRange(text: string, what: string): Range {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  if (!match) throw new UsageError(`${what} "${text}" is not a whole number or a range such as 80-120`);
  const min = BigInt(match[1]);
  const max = BigInt(match[2] ?? match[1]);
  if (min <= 0n || max < min) throw new UsageError(`${what} ${text}: give 1 or more, the smaller first`);
  return { min, max };
}

function etherRange(text: string, what: string): Range {
  const [low, high = low] = text.split("-");
  const min = parseEther(low ?? "", what);
  const max = parseEther(high, what);
  if (max < min) throw new UsageError(`${what} ${text}: the smaller first`);
  return { min, max };
}

export function parse(args: string[], flags: Flags): LessonSetupOptions {
  if (args.some((arg) => arg !== undefined)) throw new UsageError("lesson setup takes no arguments: every customer without a firm gets one");
  const value = (name: keyof typeof SETUP_DEFAULTS) => optionalString(flags, name) ?? SETUP_DEFAULTS[name];
  const seed = Number(value("seed"));
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number, not ${value("seed")}`);
  const blocks = Number(value("blocks"));
  if (!Number.isInteger(blocks) || blocks < 1 || blocks > 8) throw new UsageError(`--blocks is 1 to 8, not ${value("blocks")}`);
  const from = optionalString(flags, "from");
  return {
    spec: { seed, blocks, baseline: wholeRange(value("baseline"), "--baseline"), tonnes: wholeRange(value("tonnes"), "--tonnes"), cost: etherRange(value("cost"), "--cost") },
    ...(from === undefined ? {} : { from: parseAccount(from, "--from") }),
  };
}

export async function run(market: Market, options: LessonSetupOptions, onEach?: (row: BulkRow) => void): Promise<BulkResult> {
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  await market.requireRegulator(from);
  const lesson = await Lesson.attach(market);
  const compliance = new Compliance(market);
  if (!(await compliance.isVerifier(lesson.address))) {
    const accredited = await compliance.accreditVerifier(lesson.address, from);
    if (!accredited.ok) throw new UsageError(`the lesson could not be accredited as the firms' verifier: ${accredited.message}`);
  }
  const firms = new Set(await lesson.firmAccounts());
  const customers: string[] = [];
  const source = customerSource(market);
  for (let offset: number | undefined = 0; offset !== undefined; ) {
    const page = await source.page(offset, 200);
    customers.push(...page.accounts.map((account) => account.toLowerCase()));
    offset = page.next;
  }
  const newcomers = customers.filter((account) => !firms.has(account) && account !== market.regulator);
  if (newcomers.length === 0) {
    throw new UsageError(customers.length === 0 ? "no customer is registered yet: students register first" : "every customer has a firm already");
  }
  const drawn = drawFirms(firms.size + newcomers.length, options.spec).slice(firms.size);
  const rows: BulkRow[] = newcomers.map((account, i) => ({ account, amount: drawn[i].baseline }));
  return eachAccount(rows, (row) => lesson.addFirm(row.account, drawn[rows.indexOf(row)].baseline, drawn[rows.indexOf(row)].blocks, from), onEach);
}
