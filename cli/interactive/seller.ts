// The seller's menu: balance, publish a lot, own lots, settle, history.
import { accountLabel } from "../render/account-label";
import * as addCarbon from "../commands/add-carbon";
import * as balance from "../commands/balance";
import * as settle from "../commands/settle";
import { parseAmount, parseCarbonId } from "../input/values";
import { palette } from "../render/colours";
import * as text from "../render/text";
import { browseLots, browseRecords } from "./browse";
import { input, menu } from "./prompt";
import { LOG_OUT, roleMenuLoop, perform, say, type Action, type Session } from "./session";
import { UsageError } from "../support/errors";

export async function sellerMenu(session: Session): Promise<void> {
  const { market, account } = session;
  const me = { address: account };
  await roleMenuLoop(
    () => `${palette().heading("Seller")} ${palette().name(accountLabel(account))}`,
    () =>
      menu<Action>("What would you like to do?", [
        { name: "My balance", value: () => perform(() => balance.run(market, { account: me }), text.balance) },
        { name: "Publish a lot", value: () => publish(session) },
        { name: "My lots", value: () => browseLots(session, "My lots", { seller: me }) },
        { name: "Settle with the authority", value: () => settleProceeds(session) },
        { name: "My records", value: () => browseRecords(session, "My records", me) },
        LOG_OUT,
      ]),
  );
}

async function publish({ market, account }: Session): Promise<void> {
  // The thesis's lot shop surprises a newcomer: said where it applies.
  say(palette().dim("The lot shop is the thesis's: a lot is priced in quota, the buyer pays it from its own quota, and you hold what it paid until you settle. Publishing needs no quota of your own."));
  // Esc (or nothing) at the price goes back one step, to the ID.
  for (;;) {
    const carbonId = await input("Carbon ID (1 to 32 bytes)", parseCarbonId, (t) => `${Buffer.byteLength(t)}/32 bytes`);
    if (carbonId === undefined) return;
    const price = await input("Price, in quota (what the buyer's quota pays)", (t) => parseAmount(t, "price"));
    if (price === undefined) continue;
    await perform(() => addCarbon.run(market, { seller: { address: account }, carbonId: parseCarbonId(carbonId), price: parseAmount(price, "price") }), text.outcome);
    return;
  }
}

async function settleProceeds({ market, account }: Session): Promise<void> {
  const held = await market.sellerCarbonAmount(account);
  // More than the sales brought is refused in the field, as the chain would refuse it.
  const withinHeld = (t: string) => {
    const value = parseAmount(t);
    if (value > held) throw new UsageError(`you hold ${held} quota from your sales`);
    return value;
  };
  const amount = await input(`Amount to settle (you hold ${held} quota from your sales)`, withinHeld);
  if (amount !== undefined) await perform(() => settle.run(market, { seller: { address: account }, amount: parseAmount(amount) }), text.outcome);
}
