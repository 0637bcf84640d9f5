// One conservation law across every layer of the market, as a property: random sequences that mix the
// thesis's lot shop (issuing, publishing, buying, settling), the compliance cycle (periods under a cap,
// verified reports, surrenders, issuance refused past a surrender deadline, closing, the regulator's
// estimates of silent accounts, enforcement that freezes, in any order of periods) and the order book (bids, asks,
// crossing orders, cancels), with accounts frozen and unfrozen and the clock moving on. Whatever each
// step's outcome, after it:
//   customers' + sellers' balances + the asks' escrow = issued − settled − surrendered,
//   the book's ether is exactly its open bids' escrow, the book is not crossed (expectConserved),
//   and the ether of the accounts and the book changes only by the gas the accounts paid.
// The layers' own property tests (invariants, order-book-property) predict each outcome; this one
// checks that, together, they never create or lose quota or ether. CARBON_PROPERTY_SEED replays a run;
// CARBON_PROPERTY_STEPS changes its length.
import { DAY, deployedCompliance, EVIDENCE } from "./compliance-helpers";
import { digestOf, isolate } from "./helpers";
import { advance, ask, bid, deployedBook, etherOf, expectConserved, gasFee, type BookMarket, fundTraders } from "./order-book-helpers";
import { prng, propertySeed, propertySteps } from "./seeded";

const SEED = propertySeed();
const STEPS = propertySteps(100, 30);

contract("The market's one conservation law", (accounts) => {
  const [regulator] = accounts;
  const customers = accounts.slice(1, 5);
  const sellers = accounts.slice(5, 7);
  const verifier = accounts[7];
  let m: BookMarket;
  let compliance: ComplianceInstance;

  before(async () => {
    m = await deployedBook();
    compliance = await deployedCompliance();
    await fundTraders(m, regulator, customers, 300);
    for (const account of sellers) await m.carbon.newSeller(account, digestOf(account), { from: account });
    await compliance.accreditVerifier(verifier, { from: regulator });
  });

  describe("random sequences over the lot shop, the compliance cycle and the order book", () => {
    isolate();

    it(`create and lose nothing (${STEPS} steps)`, async function () {
      this.timeout(900_000);
      console.log(`      seed ${SEED} (CARBON_PROPERTY_SEED=${SEED} replays it)`);
      const random = prng(SEED);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const between = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
      const { carbon, book } = m;
      const everyone = [regulator, ...customers, ...sellers, verifier];
      const totalEther = async (): Promise<bigint> => (await Promise.all([...everyone, book.address].map(etherOf))).reduce((sum, wei) => sum + wei, 0n);
      const startEther = await totalEther();
      let fees = 0n;
      let lots = 0;
      const unsold: string[] = [];
      const orders: Array<{ id: number; owner: string }> = [];
      const kinds = new Map<string, number>();
      let period: number | undefined;
      let periodEnds = 0;
      const closed: number[] = [];

      /** The regulator estimates some of the silent accounts (the others cannot be enforced yet) and enforces everyone. */
      const estimateAndEnforce = async (p: number, accounts: readonly string[]): Promise<void> => {
        for (const account of accounts) {
          if (random() < 0.6) await step("estimate", () => compliance.estimateEmissions(account, p, between(1, 200), "inspection", { from: regulator }));
          const tx = await step("enforce", () => compliance.enforceCompliance(account, p, { from: regulator }));
          const outcome = tx.logs.find((log) => log.event === "EnforceCompliance");
          if (outcome?.args.isSuccess) kinds.set("enforced", (kinds.get("enforced") ?? 0) + 1);
        }
      };

      /** Sends one step; a custom-error revert would be this test's own mistake, so it fails the test. */
      const step = async (kind: string, send: () => Promise<TruffleTransaction>): Promise<TruffleTransaction> => {
        const tx = await send();
        fees += await gasFee(tx);
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        return tx;
      };

      // Every run opens with an issue, a lot published and bought, a bid, an ask and a surrender, so that
      // whatever the seed it exercises each; the rest is the seed's.
      const opening = [0.0, 0.1, 0.2, 0.3, 0.3, 0.65];
      for (let n = 0; n < STEPS; n++) {
        const roll = n < opening.length ? opening[n] : random();
        const customer = pick(customers);
        const seller = pick(sellers);
        const now = Number((await web3.eth.getBlock("latest")).timestamp);
        if (roll < 0.08) {
          await step("issue", () => carbon.sendCarbonToCustomer(customer, between(1, 120), { from: regulator }));
        } else if (roll < 0.16) {
          const id = `LOT-${lots++}`;
          await step("publish", () => carbon.addCarbon(seller, id, between(1, 60), { from: seller }));
          unsold.push(id);
        } else if (roll < 0.24 && unsold.length > 0) {
          const id = unsold[Math.floor(random() * unsold.length)];
          const tx = await step("buy", () => carbon.buyCarbon(customer, id, { from: customer }));
          if (tx.logs.some((log) => log.event === "BuyCarbon" && log.args.isSuccess)) unsold.splice(unsold.indexOf(id), 1);
        } else if (roll < 0.29) {
          await step("settle", () => carbon.settleCarbon(seller, between(1, 80), { from: seller }));
        } else if (roll < 0.42) {
          // Bids and asks around one price, so that they often cross.
          const isBid = n < opening.length ? n === 3 : random() < 0.5;
          const place = isBid ? bid : ask;
          const tx = await step(isBid ? "bid" : "ask", () => place(book, customer, between(10, 60), between(95, 105), { maxMatches: between(1, 5) }));
          const placed = tx.logs.find((log) => log.event === "OrderPlaced");
          if (placed) orders.push({ id: Number(String(placed.args.id)), owner: customer });
        } else if (roll < 0.47 && orders.length > 0) {
          const order = orders.splice(Math.floor(random() * orders.length), 1)[0];
          await step("cancel", () => book.cancelOrder(order.id, { from: order.owner }));
        } else if (roll < 0.52 && period === undefined) {
          const opened = await step("open period", () =>
            compliance.openPeriod(`P${n}`, between(200, 2_000), now + 2 * DAY, now + 4 * DAY, between(1, 50), { from: regulator }),
          );
          if (opened.logs.some((log) => log.event === "OpenPeriod" && log.args.isSuccess)) {
            period = Number(await compliance.periodCount()) - 1;
            periodEnds = now + 4 * DAY;
          }
        } else if (roll < 0.62 && period !== undefined) {
          const p = period;
          const which = random();
          if (which < 0.25) await step("appoint", () => compliance.appointVerifier(customer, p, verifier, { from: customer }));
          else if (which < 0.45) await step("accept", () => compliance.acceptAppointment(verifier, customer, p, { from: verifier }));
          else if (which < 0.7) await step("report", () => compliance.reportEmissions(customer, p, between(1, 150), EVIDENCE, { from: customer }));
          else await step("approve", () => compliance.approveReport(verifier, customer, p, { from: verifier }));
        } else if (roll < 0.72) {
          await step("surrender", () => compliance.surrenderCarbon(customer, between(1, 60), { from: customer }));
        } else if (roll < 0.78 && period !== undefined) {
          if (now <= periodEnds) await advance(periodEnds - now + 1);
          const p = period;
          const closing = await step("close", () => compliance.closePeriod(p, { from: regulator }));
          if (closing.logs.some((log) => log.event === "ClosePeriod" && log.args.isSuccess)) {
            // Some accounts now, the rest later: periods get enforced out of order.
            await estimateAndEnforce(p, customers.filter(() => random() < 0.6));
            closed.push(p);
            period = undefined;
          }
        } else if (roll < 0.8 && closed.length > 0) {
          await estimateAndEnforce(pick(closed), [customer]);
        } else if (roll < 0.84) {
          const account = pick([...customers, ...sellers]);
          const frozen = await carbon.isFrozen(account);
          await step(frozen ? "unfreeze" : "freeze", () => (frozen ? carbon.unfreezeAccount(account, { from: regulator }) : carbon.freezeAccount(account, { from: regulator })));
        } else {
          await advance(between(1, DAY));
        }

        await expectConserved(m, customers, sellers);
        assert.equal((await totalEther()) + fees, startEther, `step ${n}: ether only leaves as gas (seed ${SEED})`);
      }
      console.log(`      ${[...kinds.entries()].map(([kind, count]) => `${kind} ${count}`).join(", ")}`);
      for (const kind of ["issue", "buy", "bid", "ask", "surrender"]) assert.isAbove(kinds.get(kind) ?? 0, 0, `the run exercised ${kind}`);
    });
  });
});
