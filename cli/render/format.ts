// Small formatting shared by the text renderers and the interactive session.
import type { Roles } from "../chain/market";

/** The role column: regulator, customer, seller, "customer, seller", or unregistered; "(frozen)" appended. */
export function roleLabel(roles: Roles): string {
  const names = [roles.regulator && "regulator", roles.customer && "customer", roles.seller && "seller"].filter(Boolean);
  const label = names.length ? names.join(", ") : "unregistered";
  return roles.frozen ? `${label} (frozen)` : label;
}

/** Wei as ether with up to 4 decimals: 1000 ETH shows as "1000", 999.99812 as "999.9981". */
export function formatEther(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const fraction = ((wei % 10n ** 18n) / 10n ** 14n).toString().padStart(4, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}

/** A block time as local "YYYY-MM-DD HH:MM:SS". */
export function formatTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** formatTime's output without the year and the seconds, for narrow tables: "11-24 05:35". */
export function shortTime(formatted: string): string {
  return formatted.replace(/^\d{4}-(\d\d-\d\d \d\d:\d\d):\d\d$/, "$1");
}

/** An address cut to 0x1234…abcd, where a table would otherwise not fit in 80 columns. */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** Operation names as the history shows them. */
export const OPERATION_LABELS: Record<string, string> = {
  NewCustomer: "new customer",
  NewSeller: "new seller",
  SendCarbonToCustomer: "issue",
  AddCarbon: "publish",
  BuyCarbon: "buy",
  SettleCarbon: "settle",
  FreezeAccount: "freeze",
  UnfreezeAccount: "unfreeze",
};
