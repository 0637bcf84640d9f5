// The regulator's menu: issue quota, freeze and unfreeze, supervise, and look at any account or lot.
import * as freeze from "../commands/freeze";
import * as fund from "../commands/fund";
import * as issue from "../commands/issue";
import * as marketCommand from "../commands/market";
import * as unfreeze from "../commands/unfreeze";
import { parseEther } from "../input/order-book";
import { parseAccount, parseAmount } from "../input/values";
import { palette } from "../render/colours";
import * as text from "../render/text";
import { browseAccounts, browseLots, browseRecords } from "./browse";
import { complianceRegulatorMenu } from "./compliance-regulator";
import { handoverMenu } from "./handover";
import { knownAccounts, pickAccount } from "./pick";
import { input, menu } from "./prompt";
import { LOG_OUT, roleMenuLoop, perform, type Action, type Session } from "./session";

export async function regulatorMenu(session: Session): Promise<void> {
  const { market, account } = session;
  await roleMenuLoop(
    () => `${palette().heading("Regulator")} ${palette().name(account)}`,
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
        LOG_OUT,
      ]),
  );
}

async function issueQuota({ market }: Session): Promise<void> {
  const accounts = await knownAccounts(market);
  // Esc at the amount goes back one step, to the choice of customer.
  for (;;) {
    const customer = await pickAccount("Issue to which customer?", accounts, (a) => a.roles.customer, "No customers yet: register one first.");
    if (!customer) return;
    const amount = await input("Amount", (t) => parseAmount(t));
    if (amount === undefined) continue;
    await perform(() => issue.run(market, { customer: { address: customer }, amount: parseAmount(amount) }), text.outcome);
    return;
  }
}

async function accountRecords(session: Session): Promise<void> {
  const account = await pickAccount("Whose records?", await knownAccounts(session.market), () => true, "No accounts.");
  if (account) await browseRecords(session, "Records", { address: account });
}

async function freezeAccount({ market }: Session): Promise<void> {
  const account = await pickAccount("Freeze which account?", await knownAccounts(market), (a) => !a.roles.regulator && !a.roles.frozen, "Every account is already frozen.");
  if (account) await perform(() => freeze.run(market, { account: { address: account } }), text.outcome);
}

async function unfreezeAccount({ market }: Session): Promise<void> {
  const account = await pickAccount("Unfreeze which account?", await knownAccounts(market), (a) => a.roles.frozen, "No account is frozen.");
  if (account) await perform(() => unfreeze.run(market, { account: { address: account } }), text.outcome);
}

/** `carbon fund`: a student's address typed or pasted (they are not the node's accounts), then the ether. */
async function sendEther({ market }: Session): Promise<void> {
  for (;;) {
    const account = await input("Send ether to (an address, or an index into the node's accounts)", (t) => parseAccount(t));
    if (account === undefined) return;
    const amount = await input("Ether (for bids' escrow and gas)", (t) => parseEther(t, "amount"));
    if (amount === undefined) continue;
    await perform(() => fund.run(market, { account: parseAccount(account), wei: parseEther(amount, "amount") }), text.funded);
    return;
  }
}
