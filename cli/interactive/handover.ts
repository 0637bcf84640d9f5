// The regulator's handover in the session: the regulator sees and proposes its successor (or withdraws
// the proposal); the proposed account, signing in as the regulator, is offered to accept. The same
// commands as `carbon regulator propose|accept|show`.
import type { Market } from "../chain/market";
import * as accept from "../commands/regulator-accept";
import * as propose from "../commands/regulator-propose";
import * as show from "../commands/regulator-show";
import { parseAccount } from "../input/values";
import { palette } from "../render/colours";
import * as text from "../render/text";
import { knownAccounts, pickAccount } from "./pick";
import { input, menu } from "./prompt";
import { menuLoop, perform, type Action, type Session } from "./session";

export async function handoverMenu(session: Session): Promise<void> {
  const { market } = session;
  await menuLoop(
    () => `${palette().heading("Hand over the regulator")} ${palette().dim("(two steps: you propose, the successor accepts)")}`,
    () =>
      menu<Action>("What would you like to do?", [
        { name: "The regulator and its proposed successor", value: () => perform(() => show.run(market), text.regulator) },
        { name: "Propose a node account as successor", value: () => proposeKnown(market) },
        { name: "Propose an address as successor", value: () => proposeAddress(market) },
        { name: "Withdraw the proposal", value: () => perform(() => propose.run(market, {}), text.outcome) },
        { name: "Back", value: null },
      ]),
  );
}

/**
 * Before the regulator's session: if a handover to one of this node's accounts is pending, offer to
 * accept it. Returns the account the regulator's session is for (the new one after an acceptance).
 */
export async function offerAcceptance(market: Market): Promise<string> {
  const [regulator, view] = await Promise.all([market.refreshRegulator(), show.run(market)]);
  if (!view.pending || !(await market.accounts()).includes(view.pending)) return regulator;
  const choice = await menu<string>("A handover of the regulator is pending", [
    { name: `Accept it as ${view.pending}`, value: "accept" },
    { name: `Sign in as the regulator now, ${regulator}`, value: "current" },
  ]);
  if (choice !== "accept") return regulator;
  await perform(() => accept.run(market, { from: { address: view.pending! } }), text.outcome);
  return market.regulator;
}

async function proposeKnown(market: Market): Promise<void> {
  const account = await pickAccount("Propose which account?", await knownAccounts(market), (a) => !a.roles.regulator && !a.roles.frozen, "No other unfrozen account on this node.");
  if (account) await perform(() => propose.run(market, { proposed: { address: account } }), text.outcome);
}

async function proposeAddress(market: Market): Promise<void> {
  const address = await input("The successor's address (0x and 40 hex digits)", (t) => parseAccount(t, "address"));
  if (address !== undefined) await perform(() => propose.run(market, { proposed: parseAccount(address, "address") }), text.outcome);
}
