// A class's firms drawn from a seed: the same seed and ranges give the same firms on every machine,
// so a teacher can rerun a lesson, and a test can rebuild the schedules it plays against. Costs are
// whole order-book ticks, so that a firm's marginal cost is a price it can bid or ask.
import { TICK_WEI } from "../chain/order-book-types";
import type { AbatementBlock } from "../chain/lesson";

export interface Range {
  min: bigint;
  max: bigint;
}

export interface DrawSpec {
  seed: number;
  /** Emissions per round before abatement, tonnes. */
  baseline: Range;
  /** Blocks per schedule (1 to 8). */
  blocks: number;
  /** Tonnes per block. */
  tonnes: Range;
  /** Cost per tonne, wei (rounded to whole ticks). */
  cost: Range;
}

export interface DrawnFirm {
  baseline: bigint;
  blocks: AbatementBlock[];
}

/** mulberry32: a small, well-known 32-bit PRNG; plenty for drawing a classroom's costs. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function between(random: () => number, range: Range): bigint {
  const span = range.max - range.min + 1n;
  return range.min + (BigInt(Math.floor(random() * 2 ** 32)) * span) / 2n ** 32n;
}

/**
 * `count` firms. Each firm's costs are drawn around a level of its own (a quarter of the range to
 * all of it), so that some firms are cheap abaters and others dear ones, as the thesis's case for
 * trading needs; within a firm, blocks go cheapest first. A schedule never abates more than the
 * baseline: blocks are shortened to fit.
 */
export function drawFirms(count: number, spec: DrawSpec): DrawnFirm[] {
  const random = mulberry32(spec.seed);
  const firms: DrawnFirm[] = [];
  const minTicks = spec.cost.min / TICK_WEI > 0n ? spec.cost.min / TICK_WEI : 1n;
  const maxTicks = spec.cost.max / TICK_WEI > minTicks ? spec.cost.max / TICK_WEI : minTicks;
  for (let i = 0; i < count; i++) {
    const baseline = between(random, spec.baseline);
    const level = between(random, { min: minTicks + (maxTicks - minTicks) / 4n, max: maxTicks });
    const costs = Array.from({ length: spec.blocks }, () => between(random, { min: minTicks, max: level })).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let room = baseline;
    const blocks: AbatementBlock[] = [];
    for (const ticks of costs) {
      const tonnes = between(random, spec.tonnes);
      const fitted = tonnes < room ? tonnes : room;
      if (fitted <= 0n) break;
      blocks.push({ tonnes: fitted, costPerTonne: ticks * TICK_WEI });
      room -= fitted;
    }
    firms.push({ baseline, blocks });
  }
  return firms;
}
