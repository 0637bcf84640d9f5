// `carbon carbon <carbonId>`: one lot.
import type { Market } from "../chain/market";
import type { Lot } from "../chain/market-lists";
import { RefusedError } from "../support/errors";
import { parseCarbonId } from "../input/values";

export interface CarbonOptions {
  carbonId: string;
}

export function parse([carbonId]: string[]): CarbonOptions {
  return { carbonId: parseCarbonId(carbonId) };
}

export async function run(market: Market, options: CarbonOptions): Promise<Lot> {
  const lot = await market.lot(options.carbonId);
  if (!lot) throw new RefusedError(`no lot has the carbon ID "${options.carbonId}"`);
  return lot;
}
