// A JSON file in CARBON_HOME that only its owner may read (0600, like the wallets): the automatic
// firms' keys, a bidder's sealed bids. Refused when others can read it; written whole, then renamed
// over the old one, so an interrupted write never leaves half a file.
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../support/errors";

/** The file's JSON, or undefined when there is none; `what` names its contents in the refusals. */
export function readPrivateJson<T>(file: string, what: string, isValid: (value: unknown) => value is T): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) throw new UsageError(`${file} can be read by others: \`chmod 600 ${file}\` (it holds ${what})`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isValid(value)) throw new UsageError(`${file} is damaged: it should hold ${what} as JSON`);
  return value;
}

export function writePrivateJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(value, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(temporary, file);
}
