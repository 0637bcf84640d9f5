// The regulator's menu: issue quota, freeze and unfreeze, supervise, and look at any account or lot.
import * as freeze from "../commands/freeze";
import * as fund from "../commands/fund";
import * as issue from "../commands/issue";
import * as issueBulk from "../commands/issue-bulk";
import * as marketCommand from "../commands/market";
import * as unfreeze from "../commands/unfreeze";
import type { Market } from "../chain/market";
import { parseEther } from "../input/order-book";
import { parseAccount, parseAmount } from "../input/values";
import { formatEther } from "../render/format";
import { palette } from "../render/colours";
import * as text from "../render/text";
import { accountLabel } from "../render/account-label";
import { browseAccounts, browseLots, browseRecords } from "./browse";
import { complianceRegulatorMenu } from "./compliance-regulator";
import { handoverMenu } from "./handover";
import { customerSource, frozenSource, registeredSource } from "../chain/account-sources";
import { Compliance } from "../chain/compliance";
import { bulkLine, bulkSummary } from "../render/bulk";
import { EVERY, pickMarketAccount } from "./account-pick";
import { agree, input, menu } from "./prompt";
import { LOG_OUT, roleMenuLoop, perform, type Action, type Session } from "./session";
import { say } from "./say";
import { UsageError } from "../support/errors";

export async function regulatorMenu(session: Session): Promise<void> {
  const { market, account } = session;
  await roleMenuLoop(
    () => `${palette().heading("Regulator")} ${palette().name(accountLabel(account))}`,
    () =>
      menu<Action>("What would you like to do?", [
        { name: "Issue quota to a customer", value: () => issueQuota(session) },
        { name: "Market supervision", value: () => perform(() => marketCommand.run(market), (s) => text.market(s)) },
        { name: "Accounts", value: () => browseAccounts(session, "Accounts") },
        { name: "All lots", value: () => browseLots(session, "All lots", {}) },
        { name: "An account's records", value: () => accountRecords(session) },
        { name: "Freeze an account", value: () => freezeAccount(session) },
        { name: "Unfreeze an account", value: () => unfreezeAccount(session) },
        { name: "Order book: band, halt, resume", value: () => (require("./order-book") as typeof import("./order-book")).regulatorOrderBook(session) },
        { name: "Compliance cycle", value: () => complianceRegulatorMenu(session) },
        { name: "Hand over the regulator", value: () => handoverMenu(session) },
        { name: "Send ether to an account", value: () => sendEther(session) },
        { name: "The lesson: firms, rounds, results", value: () => (require("./lesson") as typeof import("./lesson")).lessonRegulatorMenu(session) },
        LOG_OUT,
      ]),
  );
}

async function issueQuota({ market }: Session): Promise<void> {
  // Esc at the amount goes back one step, to the choice of customer.
  for (;;) {
    const customer = await pickMarketAccount(market, "Issue to which customer?", customerSource(market), { none: "No customers yet: register one first.", every: "Every customer, the same amount each ›" });
    if (!customer) return;
    if (customer === EVERY) {
      if (await issueToEveryCustomer(market)) return;
      continue;
    }
    const [room, holds] = await Promise.all([new Compliance(market).issuingRoom(), market.customerCarbonAmount(customer)]);
    const period = room ? `; period ${room.label}: ${room.remaining} of ${room.cap} left` : "";
    // Over the period's cap is refused in the field, as the chain would refuse it, before anything is sent.
    const withinCap = (t: string) => {
      const value = parseAmount(t);
      if (room && !room.ended && value > room.remaining) throw new UsageError(`period ${room.label} has ${room.remaining} of its cap of ${room.cap} left`);
      return value;
    };
    const amount = await input(`Amount for ${accountLabel(customer)} (holds ${holds}${period})`, withinCap);
    if (amount === undefined) continue;
    await perform(() => issue.run(market, { customer: { address: customer }, amount: parseAmount(amount) }), text.outcome);
    return;
  }
}

/**
 * The same amount to each registered customer, one transaction each, each outcome said as it comes.
 * False when the user went back before anything was sent.
 */
async function issueToEveryCustomer(market: Market): Promise<boolean> {
  const { total } = await market.customerPage(0, 1);
  const room = await new Compliance(market).issuingRoom();
  const hint = room ? ` (period ${room.label}: ${room.remaining} of ${room.cap} left)` : "";
  // Esc at the confirmation goes back one step, to the amount.
  for (;;) {
    const amount = await input(`Amount for each of the ${total} customers${hint}`, (t) => parseAmount(t));
    if (amount === undefined) return false;
    const go = await menu<"yes" | null>(`${amount} to each of the ${total} customers (frozen ones are skipped): issue?`, [
      { name: `Yes: ${total} transactions`, value: "yes" },
      { name: "Back", value: null },
    ]);
    if (!go) continue;
    await perform(() => issueBulk.run(market, { all: parseAmount(amount) }, (row) => say(bulkLine(row))), bulkSummary);
    return true;
  }
}

async function accountRecords(session: Session): Promise<void> {
  const account = await pickMarketAccount(session.market, "Whose records?", registeredSource(session.market), { none: "No account is registered yet." });
  if (account) await browseRecords(session, "Records", { address: account });
}

async function freezeAccount({ market }: Session): Promise<void> {
  const account = await pickMarketAccount(market, "Freeze which account?", registeredSource(market), {
    none: "No account is registered yet.",
    refuse: ({ roles }) => (roles.regulator ? "the regulator" : roles.frozen ? "frozen already" : undefined),
  });
  if (!account) return;
  if (!(await agree(`Freeze ${accountLabel(account)}? It can buy, publish, settle and trade nothing until it is unfrozen.`, false))) return;
  await perform(() => freeze.run(market, { account: { address: account } }), text.outcome);
}

async function unfreezeAccount({ market }: Session): Promise<void> {
  const account = await pickMarketAccount(market, "Unfreeze which account?", frozenSource(market), { none: "No account is frozen.", paste: false });
  if (account) await perform(() => unfreeze.run(market, { account: { address: account } }), text.outcome);
}

/**
 * `carbon fund`: to a registered account picked by name, or any address pasted (a student's new key
 * needs ether before it can register), then the ether.
 */
async function sendEther({ market }: Session): Promise<void> {
  for (;;) {
    const account = await etherRecipient(market);
    if (account === undefined) return;
    const balance = await market.etherBalance(account);
    const amount = await input(`Ether for ${accountLabel(account)} (for bids' escrow and gas; it holds ${formatEther(balance)} ETH)`, (t) => parseEther(t, "amount"));
    if (amount === undefined) continue;
    await perform(() => fund.run(market, { account: { address: account }, wei: parseEther(amount, "amount") }), text.funded);
    return;
  }
}

/** A registered account from the list (or pasted); with nobody registered yet, a typed address. */
async function etherRecipient(market: Market): Promise<string | undefined> {
  const source = registeredSource(market);
  if ((await source.page(0, 1)).total > 0) return pickMarketAccount(market, "Send ether to which account?", source, { none: "No account is registered yet." });
  const typed = await input("Send ether to (nobody is registered yet: a student's address, or an index into the node's accounts)", (t) => parseAccount(t));
  return typed === undefined ? undefined : market.resolve(parseAccount(typed));
}
