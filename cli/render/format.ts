// Small formatting shared by the text renderers and the interactive session.
import type { Roles } from "../chain/market";

/** The role column: regulator, customer, seller, "customer, seller" or unregistered, "(frozen)" after it. */
export function roleLabel(roles: Roles): string {
  const names = [roles.regulator && "regulator", roles.customer && "customer", roles.seller && "seller"].filter(Boolean);
  // A frozen account that never registered is just "frozen": the shorter label keeps a table in 80 columns.
  if (names.length === 0) return roles.frozen ? "frozen" : "unregistered";
  return roles.frozen ? `${names.join(", ")} (frozen)` : names.join(", ");
}

/** Wei as ether with up to 2 decimals, truncated: 1000 ETH shows as "1000", 999.98512 as "999.98". */
export function formatEther(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const fraction = ((wei % 10n ** 18n) / 10n ** 16n).toString().padStart(2, "0").replace(/0+$/, "");
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
  // The order book
  PlaceBid: "bid",
  PlaceAsk: "ask",
  CancelOrder: "cancel order",
  ExpireOrder: "order expired",
  Trade: "trade",
  SetPriceBand: "price band",
  HaltTrading: "halt trading",
  ResumeTrading: "resume trading",
  // The compliance cycle
  OpenPeriod: "open period", ClosePeriod: "close period", AccreditVerifier: "accredit", RevokeVerifier: "revoke", AppointVerifier: "appoint", AcceptAppointment: "accept",
  ReportEmissions: "report", ApproveReport: "approve", RejectReport: "reject", CorrectEmissions: "correct", SurrenderCarbon: "surrender", EnforceCompliance: "enforce",
  EstimateEmissions: "estimate",
  // The regulator's handover
  ProposeRegulator: "propose regulator", AcceptRegulator: "accept regulator",
  // The order book's withdrawals and sweeps
  Withdraw: "withdraw", PruneLevel: "prune level",
  // A new display name
  SetName: "rename",
};
