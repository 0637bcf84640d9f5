// The walkthrough's script: the thesis's modules in its order, each a sentence on what happens and
// why, and the action itself, done with the carbon CLI's own commands (the same `run` the scripted
// commands and the menus call) and shown with its renderers. Each transaction is announced, then the
// walkthrough pauses so the class can predict the answer, then shows it (scene.ts transact): the
// outcome, the decoded events of its receipt, and what it cost.
import type { Outcome } from "../chain/outcome";
import * as addCarbon from "../commands/add-carbon";
import * as balance from "../commands/balance";
import * as buy from "../commands/buy";
import * as freeze from "../commands/freeze";
import * as login from "../commands/login";
import * as supervision from "../commands/market";
import * as records from "../commands/records";
import * as register from "../commands/register";
import * as settle from "../commands/settle";
import * as issue from "../commands/issue";
import * as unfreeze from "../commands/unfreeze";
import { shortAddress } from "../render/format";
import * as text from "../render/text";
import { WALKTHROUGH_PASSWORD, type Cast } from "./cast";
import { COMPLIANCE_CHAPTER } from "./compliance-chapter";
import { LESSON_CHAPTER } from "./lesson-chapter";
import { address, transact, who, type Step } from "./scene";
import { say, WIDTH } from "./narrator";
import { MATCHMAKING } from "./matchmaking";

/** The amounts of the story: issued quota covers the lot's price, and part of the proceeds is settled. */
export const STORY = { quota: 500n, price: 200n, settled: 150n, secondPrice: 100n } as const;

/** The lot the frozen customer tries to buy: published in the same step, so it is for sale. */
const secondLot = (cast: Cast) => `${cast.lotId}-2`;

const alreadyRegistered = (outcome: Outcome) =>
  outcome.ok ? undefined : "  (an earlier walkthrough registered it: the contract refuses a second\n  registration, and changes nothing)";

export const STEPS: Step[] = [
  {
    module: "Registration",
    says: ({ cast }) =>
      `A company joins the market: ${who(cast.customer)} registers as a customer (a buyer) and ${who(cast.seller)} as a seller. ` +
      "Each sends a salted digest of its password, never the password itself: everything sent to a chain is public.",
    run: async (scene) => {
      const { cast, market } = scene;
      const password = { value: WALKTHROUGH_PASSWORD };
      await transact(scene, `newCustomer(${shortAddress(cast.customer.address)}, digest)`, () => register.run(market, { role: "customer", account: address(cast.customer), password }), alreadyRegistered);
      await transact(scene, `newSeller(${shortAddress(cast.seller.address)}, digest)`, () => register.run(market, { role: "seller", account: address(cast.seller), password }), alreadyRegistered);
    },
  },
  {
    module: "Login",
    says: () =>
      "Logging in sends no transaction: the client derives the digest again and asks the contract to hash it (passwordHashOf), " +
      "then compares with the hash stored at registration. A wrong password simply does not match.",
    run: async ({ market, cast, pause }) => {
      say(`→ password "${WALKTHROUGH_PASSWORD}"`);
      await pause();
      say(text.login(await login.run(market, { account: address(cast.customer), password: { value: WALKTHROUGH_PASSWORD } })));
      say('→ password "not-the-password"');
      await pause();
      say(text.login(await login.run(market, { account: address(cast.customer), password: { value: "not-the-password" } })));
      return "(reads only: no transaction, no gas)";
    },
  },
  {
    module: "Quota allocation",
    says: ({ cast }) =>
      `The regulator ${who(cast.regulator)}, the authority that deployed the market, issues ${STORY.quota} units of carbon quota to the customer: ` +
      "the emissions it is allowed, which it can use or trade.",
    run: async (scene) => {
      const { market, cast } = scene;
      await transact(scene, `sendCarbonToCustomer(${shortAddress(cast.customer.address)}, ${STORY.quota})`, () => issue.run(market, { customer: address(cast.customer), amount: STORY.quota }));
    },
  },
  {
    module: "Release of carbon information",
    says: ({ cast }) =>
      `The seller publishes a lot, ${cast.lotId}, at a price of ${STORY.price} units of quota. From now on anyone can read it from the chain, ` +
      "and no one can change it but the market's rules.",
    run: async (scene) => {
      const { market, cast } = scene;
      await transact(scene, `addCarbon(${shortAddress(cast.seller.address)}, "${cast.lotId}", ${STORY.price})`, () =>
        addCarbon.run(market, { seller: address(cast.seller), carbonId: cast.lotId, price: STORY.price }),
      );
    },
  },
  {
    module: "Purchase",
    says: () =>
      "The customer buys the lot. In one transaction the price moves from the customer's quota to the seller's and the lot records its buyer: " +
      "both happen, or neither does, with no intermediary to trust.",
    run: async (scene) => {
      const { market, cast } = scene;
      await transact(scene, `buyCarbon(${shortAddress(cast.customer.address)}, "${cast.lotId}")`, () => buy.run(market, { customer: address(cast.customer), carbonId: cast.lotId }));
    },
  },
  {
    module: "Settlement",
    says: () =>
      `The seller settles ${STORY.settled} units of its proceeds with the authority: that quota leaves circulation, ` +
      "and the market's settled total rises by as much.",
    run: async (scene) => {
      const { market, cast } = scene;
      await transact(scene, `settleCarbon(${shortAddress(cast.seller.address)}, ${STORY.settled})`, () => settle.run(market, { seller: address(cast.seller), amount: STORY.settled }));
    },
  },
  {
    module: "Record and balance query",
    says: () =>
      "Every operation left an Activity event in its transaction: an account's history is read from the chain's logs and its balance from the contract's state. " +
      "Reads cost no gas.",
    run: async (scene) => {
      const { market, cast } = scene;
      const [customerBalance, sellerBalance, history] = await Promise.all([
        balance.run(market, { account: address(cast.customer) }),
        balance.run(market, { account: address(cast.seller) }),
        records.run(market, { account: address(cast.customer) }),
      ]);
      return [text.balance(customerBalance), text.balance(sellerBalance), "", text.records({ ...history, records: history.records.filter((r) => r.block > scene.startBlock) }, { width: WIDTH })].join("\n");
    },
  },
  {
    module: "Supervision",
    says: ({ cast }) =>
      `The regulator oversees the whole market and can freeze an account. The seller publishes a second lot, ${secondLot(cast)}; ` +
      "while the customer is frozen, its purchase of that lot, which is for sale and affordable, fails with 'This account is frozen' (freezing is ours: the thesis has none). " +
      "Then the regulator lifts the freeze.",
    run: async (scene) => {
      const { market, cast } = scene;
      say(text.market(await supervision.run(market), { width: WIDTH }));
      say("");
      const lot = secondLot(cast);
      await transact(scene, `addCarbon(${shortAddress(cast.seller.address)}, "${lot}", ${STORY.secondPrice})`, () =>
        addCarbon.run(market, { seller: address(cast.seller), carbonId: lot, price: STORY.secondPrice }),
      );
      await transact(scene, `freezeAccount(${shortAddress(cast.customer.address)})`, () => freeze.run(market, { account: address(cast.customer) }));
      // Sent past the CLI's own check on purpose (which would refuse it before sending): the class sees the contract refuse a frozen buyer.
      await transact(scene, `buyCarbon(${shortAddress(cast.customer.address)}, "${lot}")  (frozen)`, () => market.buyCarbon(cast.customer.address, lot, cast.customer.address, { precheck: false }));
      await transact(scene, `unfreezeAccount(${shortAddress(cast.customer.address)})`, () => unfreeze.run(market, { account: address(cast.customer) }));
    },
  },
  MATCHMAKING,
  COMPLIANCE_CHAPTER,
  LESSON_CHAPTER,
];
