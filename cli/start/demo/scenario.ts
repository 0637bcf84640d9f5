// The classroom scenario `npm run demo` seeds (through migrations/2_demo_scenario.js): two customers
// and two sellers registered with known passwords, quota issued, lots published, one purchase and
// one settlement, so a class starts from a market with something in it; then either a resting order
// book (book.ts) and a compliance period (compliance.ts), or, with --lesson, a lesson in progress
// (lesson.ts).
//
// Each step is checked on the chain before it is sent, so a second run sends nothing, and a run
// interrupted half-way finishes the rest. Whatever already on the chain contradicts the scenario (an
// account registered with another password, a lot ID someone else owns) stops it before any
// transaction, with the way out.
import { RefusedError, UnavailableError } from "../../support/errors";
import { connect } from "../../chain/connect";
import type { ActivityRecord } from "../../chain/activity-history";
import type { Market } from "../../chain/market";
import { planDemoBook } from "./book";
import { complianceSteps, DEMO_COMPLIANCE } from "./compliance";
import { lessonLeft, seedDemoLesson } from "./lesson";
import type { DemoStep } from "./step";

export interface DemoCustomer {
  index: number;
  password: string;
  /** The display name the others see (Carbon.newNamedCustomer). */
  name: string;
  quota: bigint;
}

export interface DemoSeller {
  index: number;
  password: string;
  name: string;
  lots: Array<{ carbonId: string; price: bigint }>;
}

/** Account 0 is the regulator (the deployer); 1–2 are customers and 3–4 sellers, as the README lists. */
export const DEMO_SCENARIO = {
  customers: [
    { index: 1, password: "customer1", name: "Ana", quota: 1000n },
    { index: 2, password: "customer2", name: "Ben", quota: 500n },
  ] satisfies DemoCustomer[],
  sellers: [
    { index: 3, password: "seller1", name: "Chen Energy", lots: [{ carbonId: "CEA-001", price: 300n }, { carbonId: "CEA-002", price: 200n }] },
    { index: 4, password: "seller2", name: "Dora Power", lots: [{ carbonId: "CEA-003", price: 150n }] },
  ] satisfies DemoSeller[],
  purchase: { customer: 1, carbonId: "CEA-001" },
  settlement: { seller: 3, amount: 100n },
} as const;

export const ALREADY_SEEDED = "The demo scenario is already on this chain; nothing changed.";

export interface DemoOptions {
  /** A lesson in progress in place of the compliance period (`npm run demo -- --lesson`). */
  lesson?: boolean;
}

export async function seedDemoScenario(log: (line: string) => void, options: DemoOptions = {}): Promise<void> {
  const market = await connect();
  try {
    const accounts = await market.accounts();
    if (accounts.length < 5) {
      throw new UnavailableError(`the demo needs 5 accounts and ${market.label} offers ${accounts.length}; set CARBON_MNEMONIC to a wallet's mnemonic`);
    }
    const again = `npm run demo${options.lesson ? " -- --lesson" : ""}`;
    const conflict = (what: string) =>
      new RefusedError(`the demo scenario does not fit this chain: ${what}; start from an empty chain (\`npm start -- --reset\`) and run \`${again}\` again`);
    const steps = await plan(market, accounts, conflict, options);
    const lesson = options.lesson ? await lessonLeft(market, DEMO_SCENARIO.customers.map(({ index }) => accounts[index]), conflict) : undefined;
    if (steps.length === 0 && !(lesson && (lesson.setup || lesson.open || lesson.play))) {
      log(ALREADY_SEEDED);
    } else {
      log(`Seeding the demo scenario (${steps.length} transactions${lesson ? ", then the lesson" : ""}):`);
      for (const step of steps) {
        const outcome = await step.send();
        if (!outcome.ok) throw new RefusedError(`${step.describe}: the market said "${outcome.message}"`);
        log(`  ✔ ${step.describe.padEnd(44)} gas ${outcome.gasUsed.toLocaleString("en-US")}`);
      }
      if (lesson) await seedDemoLesson(market, lesson, log);
      log("The demo scenario is on the chain.");
    }
    log(demoAccountsTable(accounts, market.regulator, options));
  } finally {
    market.close();
  }
}

/** The transactions still missing, in the scenario's order; throws if the chain contradicts it. */
async function plan(market: Market, accounts: string[], conflict: (what: string) => Error, options: DemoOptions): Promise<DemoStep[]> {
  const { customers, sellers, purchase, settlement } = DEMO_SCENARIO;
  const steps: DemoStep[] = [];

  for (const { index } of [...customers, ...sellers]) {
    if (accounts[index] === market.regulator) throw conflict(`account ${index} is the regulator`);
    if (await market.isFrozen(accounts[index])) throw conflict(`account ${index} is frozen`);
  }
  if (!accounts.includes(market.regulator)) throw conflict(`the market's regulator ${market.regulator} is not one of the accounts`);

  for (const [role, people] of [["customer", customers], ["seller", sellers]] as const) {
    for (const { index, password, name } of people) {
      const account = accounts[index];
      const check = await market.checkPassword(account, password);
      if (check[role]) continue;
      if (check.registered[role]) throw conflict(`account ${index} is already a ${role}, with another password`);
      steps.push({
        describe: `${role} ${index} registered (password "${password}")`,
        send: () => (role === "customer" ? market.newCustomer(account, password, name) : market.newSeller(account, password, name)),
      });
    }
  }

  for (const { index, quota } of customers) {
    const account = accounts[index];
    if (hasRecord(await market.activity(account), "SendCarbonToCustomer", account, quota)) continue;
    steps.push({ describe: `${quota} quota issued to customer ${index}`, send: () => market.sendCarbonToCustomer(account, quota) });
  }

  for (const { index, lots } of sellers) {
    const account = accounts[index];
    for (const { carbonId, price } of lots) {
      const lot = await market.lot(carbonId);
      if (lot && lot.seller !== account) throw conflict(`lot ${carbonId} was published by ${lot.seller}`);
      if (lot) continue;
      steps.push({ describe: `lot ${carbonId} published by seller ${index} at ${price}`, send: () => market.addCarbon(account, carbonId, price) });
    }
  }

  const buyer = accounts[purchase.customer];
  const sold = await market.lot(purchase.carbonId);
  if (sold?.buyer && sold.buyer !== buyer) throw conflict(`lot ${purchase.carbonId} was bought by ${sold.buyer}`);
  if (!sold?.buyer) {
    steps.push({ describe: `lot ${purchase.carbonId} bought by customer ${purchase.customer}`, send: () => market.buyCarbon(buyer, purchase.carbonId) });
  }

  const settler = accounts[settlement.seller];
  if (!hasRecord(await market.activity(settler), "SettleCarbon", settler, settlement.amount)) {
    steps.push({ describe: `${settlement.amount} settled by seller ${settlement.seller}`, send: () => market.settleCarbon(settler, settlement.amount) });
  }
  // With the lesson, its round takes the compliance period's place (one period is open at a time),
  // and its firms' orders the resting book's: the automatic firms' offers, made at the round's
  // expected price, would otherwise fill the demo's old bids rather than meet each other's.
  if (options.lesson) return steps;
  steps.push(...(await planDemoBook(market, accounts)));
  steps.push(...(await complianceSteps(market, accounts, conflict)));
  return steps;
}

function hasRecord(records: ActivityRecord[], operation: ActivityRecord["operation"], account: string, amount: bigint): boolean {
  return records.some((r) => r.operation === operation && r.account === account && r.amount === amount && r.ok);
}

/** Who is who in the scenario, with the passwords to log in with. */
function demoAccountsTable(accounts: string[], regulator: string, options: DemoOptions): string {
  const rows: Array<[string, string, string, string]> = [[String(accounts.indexOf(regulator)), "regulator", regulator, "(the deployer; no password)"]];
  for (const { index, password, name } of DEMO_SCENARIO.customers) rows.push([String(index), "customer", accounts[index], `${password}  ${name}`]);
  for (const { index, password, name } of DEMO_SCENARIO.sellers) rows.push([String(index), "seller", accounts[index], `${password}  ${name}`]);
  if (!options.lesson && accounts[DEMO_COMPLIANCE.verifier]) rows.push([String(DEMO_COMPLIANCE.verifier), "verifier", accounts[DEMO_COMPLIANCE.verifier], "(its key; no password)"]);
  const lines = rows.map(([index, role, address, password]) => `  ${index.padStart(2)}  ${role.padEnd(9)}  ${address}  ${password}`);
  const lesson = options.lesson
    ? ["", "The customers are firms of the lesson, beside automatic ones (auto-1, …) that this machine plays. `carbon lesson results` for the round so far; `carbon lesson firm ana` for Ana's firm."]
    : [];
  return ["", "Demo accounts (log in with `npm start`; the last column is the name others see):", ...lines, ...lesson].join("\n");
}
