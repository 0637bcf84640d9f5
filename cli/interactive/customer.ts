// The customer's menu: balance, lots for sale, buy, own lots, history.
import { accountLabel } from "../render/account-label";
import * as balance from "../commands/balance";
import * as buy from "../commands/buy";
import { palette } from "../render/colours";
import { displayId } from "../render/sanitize";
import * as text from "../render/text";
import { browseLots, browseRecords } from "./browse";
import { complianceCustomerMenu } from "./compliance-customer";
import { pickLot } from "./pick";
import { agree, menu } from "./prompt";
import { LOG_OUT, roleMenuLoop, perform, type Action, type Session } from "./session";

export async function customerMenu(session: Session): Promise<void> {
  const { market, account } = session;
  const me = { address: account };
  await roleMenuLoop(
    () => `${palette().heading("Customer")} ${palette().name(accountLabel(account))}`,
    async () =>
      menu<Action>("What would you like to do?", [
        { name: "My balance", value: () => perform(() => balance.run(market, { account: me }), text.balance) },
        { name: "Lots for sale", value: () => browseLots(session, "Lots for sale", { unsold: true }) },
        { name: "Buy a lot", value: () => buyLot(session) },
        { name: "My lots", value: () => browseLots(session, "My lots", { customer: me }) },
        { name: "My records", value: () => browseRecords(session, "My records", me) },
        { name: "Order book: bid, offer, cancel", value: () => (require("./order-book") as typeof import("./order-book")).customerOrderBook(session) },
        { name: "Compliance (report, surrender)", value: () => complianceCustomerMenu(session) },
        // Only a firm of the lesson sees it: a class without a lesson keeps the thesis's menu.
        ...((await isFirm(session)) ? [{ name: "My firm in the lesson (abate, report, auction)", value: () => (require("./lesson") as typeof import("./lesson")).lessonCustomerMenu(session) }] : []),
        LOG_OUT,
      ]),
  );
}

async function isFirm({ market, account }: Session): Promise<boolean> {
  const { Lesson } = require("../chain/lesson") as typeof import("../chain/lesson");
  const lesson = await Lesson.attach(market).catch(() => undefined);
  return lesson !== undefined && (await lesson.firm(account)) !== undefined;
}

/** The lots for sale with their sellers, under the customer's balance; the ones dearer than it cannot be chosen. */
async function buyLot({ market, account }: Session): Promise<void> {
  const balance = await market.customerCarbonAmount(account);
  const carbonId = await pickLot(market, "Which lot?", { filter: { unsold: true }, balance, none: "No lots are for sale." });
  if (carbonId === undefined) return;
  // The thesis's lot shop pays in quota: a lot's price comes off the buyer's quota, no ether moves.
  if (!(await agree(`Buy ${displayId(carbonId)}? Its price comes off your quota (the lot shop pays in quota, not ether).`, false))) return;
  await perform(() => buy.run(market, { customer: { address: account }, carbonId }), text.outcome);
}
