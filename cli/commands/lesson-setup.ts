// `carbon lesson setup [--seed N] [--baseline 80-120] [--blocks 3] [--tonnes 10-30] [--cost 0.001-0.03]
// [--automatic N [--ether 10]]`: the teacher adds N automatic firms (customers this machine plays),
// gives every registered customer that has no firm yet a firm drawn from the seed (one transaction
// each), and accredits the lesson as the verifier firms appoint. A second run gives
// firms only to customers registered since, each the draw its place in the class would have had.
import { customerSource } from "../chain/account-sources";
import { Compliance } from "../chain/compliance";
import { Lesson } from "../chain/lesson";
import type { Market } from "../chain/market";
import { parseEther } from "../input/order-book";
import { parseAccount, type AccountRef } from "../input/values";
import { addAutomaticFirms } from "../lesson/automatic-firms";
import { drawFirms, type DrawSpec, type Range } from "../lesson/draw";
import { UsageError } from "../support/errors";
import { eachAccount, type BulkResult, type BulkRow } from "./bulk";
import { optionalString, type Flags } from "./command";

export interface LessonSetupOptions {
  spec: DrawSpec;
  /** Automatic firms to add first: customers the teacher's machine plays (`carbon lesson play`). */
  automatic: number;
  /** Ether each automatic firm is given, wei. */
  ether: bigint;
  from?: AccountRef;
}

export const SETUP_DEFAULTS = { seed: "1", baseline: "80-120", blocks: "3", tonnes: "10-30", cost: "0.001-0.03" } as const;
/** Enough for every round's abatement and bids at the default costs (at most 90 t at 0.03 a round), and gas. */
export const AUTOMATIC_ETHER = "10";

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
  const automatic = Number(optionalString(flags, "automatic") ?? "0");
  if (!Number.isInteger(automatic) || automatic < 0 || automatic > 200) throw new UsageError(`--automatic is 0 to 200 firms, not ${optionalString(flags, "automatic")}`);
  const ether = parseEther(optionalString(flags, "ether") ?? AUTOMATIC_ETHER, "--ether");
  if (ether === 0n && automatic > 0) throw new UsageError("--ether must be above 0: an automatic firm pays for abatement, bids and gas");
  return {
    automatic,
    ether,
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
  const added = options.automatic > 0 ? await addAutomaticFirms(market, options.automatic, options.ether, from) : [];
  const unregistered: BulkRow[] = added
    .filter((row) => !row.registered?.ok)
    .map((row) => ({ account: row.account, error: `automatic firm ${row.name} ${row.funded.ok ? `was not registered: ${row.registered?.message ?? "refused"}` : "got no ether"}` }));
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
  const result = await eachAccount(rows, (row) => lesson.addFirm(row.account, drawn[rows.indexOf(row)].baseline, drawn[rows.indexOf(row)].blocks, from), onEach);
  unregistered.forEach((row) => onEach?.(row));
  return { ok: result.ok && unregistered.length === 0, rows: [...result.rows, ...unregistered] };
}
