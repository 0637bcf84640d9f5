// Seeded randomness for the property tests: each prints its seed, and a failing run replays from it
// with CARBON_PROPERTY_SEED. A run takes its long number of steps in `npm run test:long`, a moderate
// one in `npm test`; CARBON_PROPERTY_STEPS sets it.
import { mulberry32 } from "../../cli/lesson/draw";
import { scaled } from "../support/test-size";

/** The replayed seed, or a fresh one for each test file that asks (each explores its own run). */
export function propertySeed(): number {
  return Number(process.env.CARBON_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 32));
}

export function propertySteps(long: number, moderate: number): number {
  return Number(process.env.CARBON_PROPERTY_STEPS ?? scaled(long, moderate));
}

/** mulberry32, the generator the lesson draws its firms with: a small, fast, seedable PRNG, uniform in [0, 1). */
export const prng = mulberry32;
