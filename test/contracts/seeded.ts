// Seeded randomness for the property tests: each prints its seed, and a failing run replays from it
// with CARBON_PROPERTY_SEED. A run takes its long number of steps in `npm run test:long`, a moderate
// one in `npm test`; CARBON_PROPERTY_STEPS sets it.
import { scaled } from "../support/test-size";

/** The replayed seed, or a fresh one for each test file that asks (each explores its own run). */
export function propertySeed(): number {
  return Number(process.env.CARBON_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 32));
}

export function propertySteps(long: number, moderate: number): number {
  return Number(process.env.CARBON_PROPERTY_STEPS ?? scaled(long, moderate));
}

/** mulberry32: a small, fast, seedable PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
