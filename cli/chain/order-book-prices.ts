// Prices and quantities of the order book as typed and shown: ether a unit to wei and back, and
// the checks the contract would revert on (whole ticks in range, no dust).
import { UsageError } from "../support/errors";
import { MAX_PRICE_WEI, MAX_QUANTITY, MIN_QUANTITY, TICK_WEI } from "./order-book-types";

/** "0.0525" (ether a unit) as wei, refusing what is not a whole tick from 1 tick to the highest price. */
export function priceFromEther(text: string): bigint {
  const trimmed = text.trim();
  const match = /^(\d+)(?:\.(\d{1,18}))?$/.exec(trimmed);
  if (!match) throw new UsageError(`price "${text}" is not an amount of ether a unit, like 0.05`);
  const wei = BigInt(match[1]) * 10n ** 18n + BigInt((match[2] ?? "").padEnd(18, "0"));
  checkPrice(wei);
  return wei;
}

/** Wei as ether, without trailing zeros: 52_500_000_000_000_000n → "0.0525". */
export function formatEther(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const fraction = (wei % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}

export function checkPrice(wei: bigint): void {
  if (wei < TICK_WEI || wei > MAX_PRICE_WEI || wei % TICK_WEI !== 0n) {
    throw new UsageError(`a price must be a whole number of ${formatEther(TICK_WEI)} ether from ${formatEther(TICK_WEI)} to ${formatEther(MAX_PRICE_WEI)} ether a unit, not ${formatEther(wei)}`);
  }
}

export function checkQuantity(quantity: bigint): void {
  if (quantity < MIN_QUANTITY) throw new UsageError(`an order is at least ${MIN_QUANTITY} units (not ${quantity}): smaller orders are dust`);
  if (quantity > MAX_QUANTITY) throw new UsageError(`an order is at most ${MAX_QUANTITY} units, not ${quantity}`);
}
