// How long the scaled tests run. `npm test` runs the property tests, the 10,000-entry listing, the
// class simulation and the lesson of automatic firms at a moderate size, so that the whole suite stays within minutes;
// `npm run test:long` (CARBON_TEST_LONG=1) runs the same tests, asserting the same things, at full size.

export const LONG = process.env.CARBON_TEST_LONG === "1";

/** `long` in the long run, else `moderate`. */
export function scaled(long: number, moderate: number): number {
  return LONG ? long : moderate;
}

/** The files whose size depends on the run: what `npm run test:long` runs (names contain these). */
export const SCALED_FILES = {
  contracts: ["auction-property.test", "conservation.test", "invariants.test", "order-book-property.test", "pagination.test"],
  product: ["start/class.test", "cli/lesson-automatic.test"],
} as const;
