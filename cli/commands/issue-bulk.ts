// `carbon issue --all <amount>` and `carbon issue --file <csv>`: the regulator issues quota to every
// registered customer, or to each account of a CSV (`account,amount` lines), one transaction each.
// Frozen customers are skipped (the contract would refuse them), and an open period's cap is checked
// first for the whole batch: a batch that cannot all fit is refused before anything is sent, rather
// than giving quota to the first students and none to the rest.
import fs from "node:fs";
import { customerSource } from "../chain/account-sources";
import { Compliance } from "../chain/compliance";
import type { Market } from "../chain/market";
import { parseAccount, parseAmount, type AccountRef } from "../input/values";
import { UsageError } from "../support/errors";
import { eachAccount, type BulkResult, type BulkRow } from "./bulk";
import { optionalString, type Flags } from "./command";

export interface IssueBulkOptions {
  /** The same amount to every registered customer. */
  all?: bigint;
  /** Each account its own amount (a CSV's lines). */
  entries?: Array<{ account: AccountRef; amount: bigint }>;
  /** Default: the regulator. */
  from?: AccountRef;
}

export function parse(args: string[], flags: Flags): IssueBulkOptions {
  if (args.some((arg) => arg !== undefined)) throw new UsageError("--all and --file take no <customer> <amount>: the amounts come from the flag or the file");
  const all = optionalString(flags, "all");
  const file = optionalString(flags, "file");
  const from = optionalString(flags, "from");
  if ((all === undefined) === (file === undefined)) throw new UsageError("give one of --all <amount> (every customer) or --file <csv> (account,amount lines)");
  const fromRef = from === undefined ? {} : { from: parseAccount(from, "--from") };
  if (all !== undefined) return { all: parseAmount(all), ...fromRef };
  return { entries: parseAmountsCsv(readFile(file!), file!), ...fromRef };
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** `account,amount` lines; blank lines, `#` comments and an `account,amount` heading are skipped. */
export function parseAmountsCsv(text: string, file = "the file"): Array<{ account: AccountRef; amount: bigint }> {
  const entries: Array<{ account: AccountRef; amount: bigint }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(",").map((field) => field.trim());
    if (entries.length === 0 && /^account$/i.test(fields[0]) && /^amount$/i.test(fields[1] ?? "")) return;
    const where = `${file} line ${i + 1}`;
    if (fields.length !== 2) throw new UsageError(`${where}: expected "account,amount", not "${line}"`);
    entries.push({ account: parseAccount(fields[0], `${where}: account`), amount: parseAmount(fields[1], `${where}: amount`) });
  });
  if (entries.length === 0) throw new UsageError(`${file} holds no "account,amount" line`);
  return entries;
}

export async function run(market: Market, options: IssueBulkOptions, onEach?: (row: BulkRow) => void): Promise<BulkResult> {
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  const rows = options.all !== undefined ? await everyCustomer(market, options.all) : await listed(market, options.entries ?? []);
  await checkCap(market, rows);
  return eachAccount(rows, (row) => market.sendCarbonToCustomer(row.account, row.amount!, from), onEach);
}

/** Every registered customer, read page by page; the frozen ones are skipped. */
async function everyCustomer(market: Market, amount: bigint): Promise<BulkRow[]> {
  const source = customerSource(market);
  const rows: BulkRow[] = [];
  for (let offset: number | undefined = 0; offset !== undefined; ) {
    const page = await source.page(offset, 100);
    const frozen = await Promise.all(page.accounts.map((account) => market.isFrozen(account)));
    rows.push(...page.accounts.map((account, i) => (frozen[i] ? { account, amount, skipped: true, error: "frozen: skipped" } : { account, amount })));
    offset = page.next;
  }
  if (rows.length === 0) throw new UsageError("no customer is registered yet: nobody to issue to");
  return rows;
}

async function listed(market: Market, entries: Array<{ account: AccountRef; amount: bigint }>): Promise<BulkRow[]> {
  return Promise.all(entries.map(async ({ account, amount }) => ({ account: await market.resolve(account, "account"), amount })));
}

/** An open period counts every issue against its cap: the batch must fit whole, or nothing is sent. */
async function checkCap(market: Market, rows: BulkRow[]): Promise<void> {
  const room = await new Compliance(market).issuingRoom();
  if (!room) return;
  const sending = rows.filter((row) => !row.skipped);
  const total = sending.reduce((sum, row) => sum + row.amount!, 0n);
  if (room.ended) throw new UsageError(`period "${room.label}" is past its surrender deadline: the market issues nothing until it is closed (\`carbon period close\`)`);
  if (total > room.remaining) {
    const each = sending.length > 0 ? `, at most ${room.remaining / BigInt(sending.length)} each for ${sending.length} accounts` : "";
    throw new UsageError(`issuing ${total} in all would pass period "${room.label}"'s cap: ${room.remaining} of ${room.cap} left${each}; nothing was sent`);
  }
}
