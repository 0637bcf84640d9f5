// What economics says a class's round should come to, from the firms' schedules alone: the price at
// which the abatement firms would choose meets the cut (the equilibrium), the least total cost of the
// cut (the cheapest tonnes of the whole class), the cost of the same cut as a uniform standard (every
// firm cuts the same share of its baseline: the command-and-control the thesis contrasts trading
// with), the class's efficiency, and a firm's marginal costs (its last tonne abated, its next).
// Pure functions of bigints: the results command, the automatic firms, the walkthrough and the
// tests compute the same figures from the same schedules.
import type { AbatementBlock } from "../chain/lesson";

export interface Schedule {
  account: string;
  baseline: bigint;
  /** Cheapest first. */
  blocks: AbatementBlock[];
}

export interface Equilibrium {
  /** The cost per tonne of the last tonne the cut needs (the marginal abatement cost): permits trade here. */
  price: bigint;
  /** The cheapest `cut` tonnes of the class, in all. */
  leastCost: bigint;
  /** Tonnes each firm abates in the least-cost allocation (by account). */
  abatement: Map<string, bigint>;
  /** False when the schedules together cannot abate the cut: price and cost are of what they can. */
  feasible: boolean;
}

/** The cost of a firm's cheapest `tonnes` (all its schedule's if it holds fewer). */
export function cheapestCost(blocks: readonly AbatementBlock[], tonnes: bigint): bigint {
  let cost = 0n;
  let left = tonnes;
  for (const block of blocks) {
    if (left <= 0n) break;
    const take = block.tonnes < left ? block.tonnes : left;
    cost += take * block.costPerTonne;
    left -= take;
  }
  return cost;
}

/**
 * The least-cost way to abate `cut` tonnes: every block of the class, cheapest first, until the cut
 * is met. A firm facing a permit price abates every tonne cheaper than it, so this is also where the
 * market should end: the price is the cost of the last tonne taken. Blocks of equal cost are taken in
 * the firms' order: which firm abates a tonne at the margin changes no total.
 */
export function equilibrium(firms: readonly Schedule[], cut: bigint): Equilibrium {
  const blocks = firms.flatMap((firm) => firm.blocks.map((block) => ({ account: firm.account, ...block })));
  blocks.sort((a, b) => (a.costPerTonne < b.costPerTonne ? -1 : a.costPerTonne > b.costPerTonne ? 1 : 0));
  const abatement = new Map(firms.map((firm) => [firm.account, 0n]));
  let left = cut;
  let leastCost = 0n;
  let price = 0n;
  for (const block of blocks) {
    if (left <= 0n) break;
    const take = block.tonnes < left ? block.tonnes : left;
    abatement.set(block.account, (abatement.get(block.account) ?? 0n) + take);
    leastCost += take * block.costPerTonne;
    price = block.costPerTonne;
    left -= take;
  }
  return { price, leastCost, abatement, feasible: left <= 0n };
}

export interface UniformStandard {
  cost: bigint;
  /** Tonnes each firm must cut. */
  shares: Map<string, bigint>;
  /** False when some firm's schedule cannot cut its share: the cost counts what it can. */
  feasible: boolean;
}

/**
 * The same cut as a uniform standard: each firm cuts the same share of its baseline. Shares are
 * rounded by largest remainders so that they add up to the cut exactly.
 */
export function uniformStandard(firms: readonly Schedule[], cut: bigint): UniformStandard {
  const total = firms.reduce((sum, firm) => sum + firm.baseline, 0n);
  if (total === 0n) return { cost: 0n, shares: new Map(), feasible: cut === 0n };
  const shares = proportionalShares(firms, cut);
  let cost = 0n;
  let feasible = true;
  for (const firm of firms) {
    const share = shares.get(firm.account)!;
    const abatable = firm.blocks.reduce((sum, block) => sum + block.tonnes, 0n);
    if (share > abatable) feasible = false;
    cost += cheapestCost(firm.blocks, share);
  }
  return { cost, shares, feasible };
}

/**
 * `amount` split in proportion to the firms' baselines, whole tonnes that add up to it exactly: each
 * firm its share rounded down, then one more to the largest remainders (ties to the earlier firm).
 * The uniform standard's shares of the cut, and grandfathering's shares of the free allocation.
 */
export function proportionalShares(firms: ReadonlyArray<{ account: string; baseline: bigint }>, amount: bigint): Map<string, bigint> {
  const total = firms.reduce((sum, firm) => sum + firm.baseline, 0n);
  if (total === 0n) return new Map(firms.map((firm) => [firm.account, 0n]));
  const exact = firms.map((firm, order) => ({ account: firm.account, order, share: (firm.baseline * amount) / total, remainder: (firm.baseline * amount) % total }));
  let left = amount - exact.reduce((sum, entry) => sum + entry.share, 0n);
  const byRemainder = [...exact].sort((a, b) => (a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : a.order - b.order));
  for (const entry of byRemainder) {
    if (left <= 0n) break;
    entry.share += 1n;
    left -= 1n;
  }
  return new Map(exact.map((entry) => [entry.account, entry.share]));
}

/**
 * The class's efficiency: the least cost of the abatement it actually achieved, over what it paid
 * for it. 1 when every tonne abated was among the class's cheapest; below 1 when dear tonnes were
 * abated while cheaper ones were left. Counting on the abatement achieved (not the cut asked) keeps
 * it honest when the class under-abates and pays penalties instead: penalties are in the scores.
 * Undefined when nothing was abated.
 */
export function efficiency(firms: readonly Schedule[], abated: bigint, paid: bigint): number | undefined {
  if (abated <= 0n || paid <= 0n) return undefined;
  const least = equilibrium(firms, abated).leastCost;
  return Number((least * 1_000_000n) / paid) / 1_000_000;
}

/** The tonnes a firm abates at a permit price: every block dearer than nothing and cheaper than the price. */
export function abatementAt(blocks: readonly AbatementBlock[], price: bigint): bigint {
  return blocks.filter((block) => block.costPerTonne < price).reduce((sum, block) => sum + block.tonnes, 0n);
}

/** The cost of the last tonne a firm abated after `abated` tonnes (blocks go cheapest first); its cheapest block's if none yet. */
export function lastAbatedCost(blocks: readonly AbatementBlock[], abated: bigint): bigint | undefined {
  let left = abated;
  let cost = blocks[0]?.costPerTonne;
  for (const block of blocks) {
    if (left <= 0n) break;
    cost = block.costPerTonne;
    left -= block.tonnes;
  }
  return cost;
}

/** The cost of the next tonne a firm could abate after `abated` tonnes; undefined when its schedule is spent. */
export function nextTonneCost(blocks: readonly AbatementBlock[], abated: bigint): bigint | undefined {
  let left = abated;
  for (const block of blocks) {
    if (left < block.tonnes) return block.costPerTonne;
    left -= block.tonnes;
  }
  return undefined;
}
