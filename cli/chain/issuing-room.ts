// What the open compliance period still lets the regulator issue, as Compliance.allocate counts it:
// read in its own module so that the market's issue (market.ts) and the compliance client
// (compliance.ts) both ask it without either needing the other.
import type { ContractView } from "./market-contracts";

export interface IssuingRoom {
  label: string;
  cap: bigint;
  remaining: bigint;
  /** Its surrender deadline has passed: the contract refuses any issue until the period is closed. */
  ended: boolean;
  surrenderDeadline: number;
  /** The chain's clock when read. */
  now: number;
}

/** Undefined when no period counts issuing (none opened, or the latest closed). */
export async function issuingRoom(view: ContractView): Promise<IssuingRoom | undefined> {
  const [[open, periodId], [time]] = await Promise.all([view<[boolean, string]>("currentPeriod", [], "Compliance"), view<[string]>("currentTime", [], "Compliance")]);
  if (!open) return undefined;
  const [period] = await view<[Record<string, string>]>("getPeriod", [periodId], "Compliance");
  const [cap, allocated, surrenderDeadline, now] = [BigInt(period.cap), BigInt(period.allocated), Number(period.surrenderDeadline), Number(time)];
  return { label: String(period.label), cap, remaining: cap - allocated, ended: now > surrenderDeadline, surrenderDeadline, now };
}
