// One conservation law across every layer of the market, as a property: random sequences that mix the
// thesis's lot shop (issuing, publishing, buying, settling), the compliance cycle (periods under a cap,
// verified reports, surrenders, issuance refused past a surrender deadline, closing, the regulator's
// estimates of silent accounts, enforcement that freezes, in any order of periods), the order book (bids, asks,
// crossing orders, cancels) and the allowance auction (auctions opened, bids sealed with extra escrow and
// sealed again, revealed or never, reveals that do not count, clearing in batches by anyone, bidders
// settled by themselves or by others, under a period's cap or not, frozen or not, refunds withdrawn),
// with accounts frozen and unfrozen and the clock moving on past every kind of deadline. Whatever each
// step's outcome, after it:
//   customers' + sellers' balances + the asks' escrow = issued − settled − surrendered (expectConserved),
//   where issued is the regulator's issues plus what the auctions' winners were issued, as the
//   auction's views count it,
//   the book's ether is exactly its open bids' escrow, the book is not crossed (expectConserved),
//   the auction's ether is exactly the escrow of the bidders not yet settled plus the credits not
//   withdrawn, each as its views say and as the test counts them from the bidders' calls,
//   and the ether of the accounts, the book and the auction changes only by the gas the accounts paid.
// The layers' own property tests (invariants, order-book-property, auction-property) predict each
// outcome; this one checks that, together, they never create or lose quota or ether. Every run begins
// with a scripted opening that issues, buys, bids, asks, surrenders, and takes one auction from opening
// to a winner settled and a credit withdrawn; the rest is the seed's. CARBON_PROPERTY_SEED replays a run;
// CARBON_PROPERTY_STEPS changes its length.
import { DAY, deployedCompliance, EVIDENCE } from "./compliance-helpers";
import { digestOf, isolate, viewBatch } from "./helpers";
import { advance, ask, bid, deployedBook, etherOf, expectConserved, gasFee, type BookMarket, fundTraders, TICK } from "./order-book-helpers";
import { prng, propertySeed, propertySteps } from "./seeded";

const SEED = propertySeed();
const STEPS = propertySteps(100, 30);
/** Bids are sealed only this long before the commitment deadline: the call's block comes a little after the step reads the clock. */
const SEALING_MARGIN = 600;
/**
 * The auction's calls name their gas limit: Truffle would otherwise estimate each, running it twice
 * on the node, and the auction's calls are its heaviest (a settlement issues through the market).
 */
const GAS = 1_000_000;

/** What a bidder sealed in one auction, as the test knows it. */
interface Sealed {
  quantities: bigint[];
  prices: bigint[];
  salt: string;
  escrow: bigint;
  /** Whether it means to reveal: some bidders never do. */
  reveals: boolean;
  revealed: boolean;
  settled: boolean;
  won: bigint;
}

interface Sale {
  id: number;
  reserve: bigint;
  maxWin: bigint;
  commitBy: number;
  revealBy: number;
  price?: bigint; // once cleared
  bidders: Map<string, Sealed>;
}

type AuctionKind = "open auction" | "seal" | "reveal" | "clear" | "settle bids" | "withdraw";

contract("The market's one conservation law", (accounts) => {
  const [regulator] = accounts;
  const customers = accounts.slice(1, 5);
  const sellers = accounts.slice(5, 7);
  const verifier = accounts[7];
  let m: BookMarket;
  let compliance: ComplianceInstance;
  let auction: AuctionInstance;

  before(async () => {
    m = await deployedBook();
    compliance = await deployedCompliance();
    auction = await artifacts.require("Auction").deployed();
    await fundTraders(m, regulator, customers, 300);
    for (const account of sellers) await m.carbon.newSeller(account, digestOf(account), { from: account });
    await compliance.accreditVerifier(verifier, { from: regulator });
  });

  describe("random sequences over the lot shop, the compliance cycle, the order book and the auction", () => {
    isolate();

    it(`create and lose nothing (${STEPS} steps)`, async function () {
      this.timeout(900_000);
      console.log(`      seed ${SEED} (CARBON_PROPERTY_SEED=${SEED} replays it)`);
      const random = prng(SEED);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const between = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
      const { carbon, book } = m;
      const everyone = [regulator, ...customers, ...sellers, verifier];
      const totalEther = async (): Promise<bigint> =>
        (await Promise.all([...everyone, book.address, auction.address].map(etherOf))).reduce((sum, wei) => sum + wei, 0n);
      const startEther = await totalEther();
      const issuedAtStart = BigInt(String(await carbon.issuedCarbonAmount()));
      let issuedByRegulator = 0n;
      let fees = 0n;
      let lots = 0;
      const unsold: string[] = [];
      const orders: Array<{ id: number; owner: string }> = [];
      const kinds = new Map<string, number>();
      const tally = (kind: string): void => void kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      let period: number | undefined;
      let periodEnds = 0;
      const closed: number[] = [];
      const sales: Sale[] = [];
      /** The auction's credits as the settlements made them: revenue to the regulator, a refund to a bidder settled by another. */
      const credits = new Map<string, bigint>(everyone.map((account) => [account, 0n]));

      /** The regulator estimates some of the silent accounts (the others cannot be enforced yet) and enforces everyone. */
      const estimateAndEnforce = async (p: number, accounts: readonly string[]): Promise<void> => {
        for (const account of accounts) {
          if (random() < 0.6) await step("estimate", () => compliance.estimateEmissions(account, p, between(1, 200), "inspection", { from: regulator }));
          const tx = await step("enforce", () => compliance.enforceCompliance(account, p, { from: regulator }));
          const outcome = tx.logs.find((log) => log.event === "EnforceCompliance");
          if (outcome?.args.isSuccess) tally("enforced");
        }
      };

      /** Sends one step; a custom-error revert would be this test's own mistake, so it fails the test. */
      const step = async (kind: string, send: () => Promise<TruffleTransaction>): Promise<TruffleTransaction> => {
        const tx = await send();
        fees += await gasFee(tx);
        tally(kind);
        return tx;
      };
      const succeeded = (tx: TruffleTransaction, event: string): boolean => tx.logs.some((log) => log.event === event && log.args.isSuccess);

      // ------------------------------------------------------------ the auction's steps

      const saleUnderWay = (): Sale | undefined => (sales.length > 0 && sales[sales.length - 1].price === undefined ? sales[sales.length - 1] : undefined);
      const unsettled = (): Array<{ sale: Sale; account: string; sealed: Sealed }> =>
        sales.flatMap((sale) => (sale.price === undefined ? [] : [...sale.bidders].filter(([, sealed]) => !sealed.settled).map(([account, sealed]) => ({ sale, account, sealed }))));
      const commitment = (id: number, account: string, sealed: Sealed): string =>
        web3.utils.keccak256(
          web3.eth.abi.encodeParameters(
            ["address", "uint256", "address", "uint256[]", "uint256[]", "bytes32"],
            [auction.address, id, account, sealed.quantities.map(String), sealed.prices.map(String), sealed.salt],
          ),
        );
      const salt = (): string => "0x" + Array.from({ length: 8 }, () => between(0, 0xffffffff).toString(16).padStart(8, "0")).join("");

      /** A random demand schedule: up to four bids at falling prices from the reserve up, for at most what one bidder may win. */
      const demand = (sale: Sale): Pick<Sealed, "quantities" | "prices"> => {
        const bids = between(1, 4);
        let price = sale.reserve + BigInt(between(bids, 60 + bids)) * TICK;
        const quantities: bigint[] = [];
        const prices: bigint[] = [];
        let total = 0n;
        for (let i = 0; i < bids && price >= sale.reserve && total < sale.maxWin; i++) {
          const quantity = BigInt(between(1, Number(sale.maxWin - total)));
          quantities.push(quantity);
          prices.push(price);
          total += quantity;
          price -= BigInt(between(1, 10)) * TICK;
        }
        return { quantities, prices };
      };

      const openAuction = async (now: number): Promise<void> => {
        const supply = between(20, 300);
        const shareBps = pick([2_500, 5_000, 10_000]);
        const reserve = BigInt(between(1, 20)) * TICK;
        // Sealing and revealing take days, as the clock's other steps do (a period's close moves it four
        // days on): else the clock would pass most deadlines before a bidder's turn came.
        const commitBy = now + between(DAY, 3 * DAY);
        const revealBy = commitBy + between(2 * DAY, 5 * DAY);
        const tx = await step("open auction", () => auction.openAuction(supply, String(reserve), shareBps, commitBy, revealBy, { from: regulator, gas: GAS }));
        const opened = tx.logs.find((log) => log.event === "AuctionOpened");
        assert.isTrue(succeeded(tx, "OpenAuction") && opened !== undefined, `an auction opens when none is under way (seed ${SEED})`);
        sales.push({ id: Number(String(opened!.args.id)), reserve, maxWin: BigInt(String(opened!.args.maxWin)), commitBy, revealBy, bidders: new Map() });
      };

      /**
       * A customer not frozen seals random bids, with escrow of at least their cost, now and then under it (its
       * reveal will not count); in the random part it may seal again, replacing its bids and adding
       * escrow. The opening's first bidder bids above every random bid, so that it wins.
       */
      const seal = async (sale: Sale, opening: boolean): Promise<void> => {
        const frozen = await viewBatch<boolean>(carbon, "isFrozen", customers.map((account) => [account]));
        const free = customers.filter((account, i) => !frozen[i] && (!opening || !sale.bidders.has(account)));
        if (free.length === 0) return;
        const fresh = free.filter((account) => !sale.bidders.has(account));
        const account = fresh.length > 0 && random() < 0.7 ? pick(fresh) : pick(free);
        const winner = opening && sale.bidders.size === 0;
        const bids = winner ? { quantities: [BigInt(between(1, Number(sale.maxWin)))], prices: [sale.reserve + BigInt(between(70, 80)) * TICK] } : demand(sale);
        const cost = bids.quantities.reduce((sum, quantity, i) => sum + quantity * bids.prices[i], 0n);
        const target = !winner && random() < 0.1 ? cost - 1n : cost + BigInt(between(0, 3)) * 7n * TICK;
        const before = sale.bidders.get(account)?.escrow ?? 0n;
        const value = target > before ? target - before : 0n;
        const sealed: Sealed = { ...bids, salt: salt(), escrow: before + value, reveals: winner || random() < 0.8, revealed: false, settled: false, won: 0n };
        const sealedAs = commitment(sale.id, account, sealed);
        if (winner) {
          const theContracts = await auction.commitmentOf(sale.id, account, sealed.quantities.map(String), sealed.prices.map(String), sealed.salt);
          assert.equal(sealedAs, theContracts, "the test seals bids as the contract computes their commitment");
        }
        const tx = await step("seal", () => auction.commitBids(sale.id, sealedAs, { from: account, value: String(value), gas: GAS }));
        assert.isTrue(succeeded(tx, "CommitBids"), `bids are sealed (seed ${SEED})`);
        if (before > 0n) tally("sealed again");
        sale.bidders.set(account, sealed);
      };

      /** After the commitment deadline (the clock moved on to it if need be), a bidder that means to reveal does, now and then with the wrong salt. */
      const reveal = async (sale: Sale, now: number, opening: boolean): Promise<boolean> => {
        const waiting = [...sale.bidders].filter(([, sealed]) => sealed.reveals && !sealed.revealed);
        if (waiting.length === 0) return false;
        if (now <= sale.commitBy) await advance(sale.commitBy - now + 1);
        const [account, sealed] = opening ? waiting[0] : pick(waiting);
        const wrongSalt = !opening && random() < 0.1;
        const tx = await step("reveal", () =>
          auction.revealBids(sale.id, sealed.quantities.map(String), sealed.prices.map(String), wrongSalt ? salt() : sealed.salt, { from: account, gas: GAS }),
        );
        if (succeeded(tx, "RevealBids")) {
          sealed.revealed = true;
          tally("revealed");
        }
        return true;
      };

      /** After the reveal deadline (the clock moved on to it if need be), anyone clears a random number of price levels. */
      const clear = async (sale: Sale, now: number): Promise<void> => {
        if (now <= sale.revealBy) await advance(sale.revealBy - now + 1);
        const tx = await step("clear", () => auction.clearAuction(sale.id, between(1, 8), { from: pick(everyone), gas: GAS }));
        const cleared = tx.logs.find((log) => log.event === "AuctionCleared");
        if (cleared) {
          sale.price = BigInt(String(cleared.args.clearingPrice));
          tally("cleared");
        }
      };

      /** The bidder or anyone else settles a bidder of a cleared auction: its escrow is what it paid plus its refund. */
      const settle = async (opening: boolean): Promise<void> => {
        const waiting = unsettled();
        if (waiting.length === 0) return;
        const { sale, account, sealed } = opening ? waiting[0] : pick(waiting);
        const caller = random() < 0.5 ? account : pick(everyone);
        const tx = await step("settle bids", () => auction.settleBidder(sale.id, account, { from: caller, gas: GAS }));
        const settled = tx.logs.find((log) => log.event === "BidderSettled");
        assert.isDefined(settled, `a bidder of a cleared auction is settled (seed ${SEED})`);
        const [won, paid, refund] = ["won", "paid", "refund"].map((name) => BigInt(String(settled!.args[name])));
        assert.equal(paid + refund, sealed.escrow, `seed ${SEED}: what ${account} paid plus its refund is its escrow`);
        assert.equal(paid, won * sale.price!, `seed ${SEED}: ${account} pays the clearing price for each unit won`);
        Object.assign(sealed, { settled: true, won });
        credits.set(regulator, credits.get(regulator)! + paid);
        if (caller !== account) credits.set(account, credits.get(account)! + refund);
        if (won > 0n) tally("won");
        if (tx.logs.some((log) => log.event === "SettleBidder" && String(log.args.message).includes("the market refused"))) tally("refused quota");
      };

      const withdraw = async (opening: boolean): Promise<void> => {
        const owed = [...credits].filter(([, amount]) => amount > 0n).map(([account]) => account);
        const account = owed.length > 0 && (opening || random() < 0.8) ? pick(owed) : pick(everyone);
        const tx = await step("withdraw", () => auction.withdrawRefund({ from: account, gas: GAS }));
        if (succeeded(tx, "WithdrawRefund")) tally("withdrawn");
        credits.set(account, 0n);
      };

      /** The auction step the random part takes, from where the auction is. */
      const auctionKind = (now: number): AuctionKind => {
        const sale = saleUnderWay();
        const roll = random();
        if (roll < 0.15 && unsettled().length > 0) return "settle bids";
        if (roll >= 0.15 && roll < 0.22) return "withdraw";
        if (sale === undefined) return roll < 0.7 && unsettled().length > 0 ? "settle bids" : "open auction";
        if (now + SEALING_MARGIN < sale.commitBy) return roll < 0.85 ? "seal" : "reveal";
        if (now < sale.revealBy) return roll < 0.85 ? "reveal" : "clear";
        return "clear";
      };

      /** Takes an auction step; one that needs an auction under way, when none is (the opening's clear may come after the auction cleared), settles a bidder instead. */
      const auctionStep = async (kind: AuctionKind, now: number, opening: boolean): Promise<void> => {
        const sale = saleUnderWay();
        if (kind === "open auction") await openAuction(now);
        else if (kind === "withdraw") await withdraw(opening);
        else if (sale === undefined || kind === "settle bids") await settle(opening);
        else if (kind === "seal") await seal(sale, opening);
        else if (kind === "clear" || !(await reveal(sale, now, opening))) await clear(sale, now);
      };

      /**
       * The auction's ether is the escrow not yet settled plus the credits, by its views and by the
       * test's count; and the market's issued total, which the quota law reads, counts what the
       * auction's winners were issued, once, beside the regulator's issues.
       */
      const expectAuctionConserved = async (n: number): Promise<void> => {
        const [held, views, credited, owed, issued] = await Promise.all([
          etherOf(auction.address),
          viewBatch<AuctionResult>(auction, "getAuction", sales.map((sale) => [sale.id])),
          auction.withdrawableEther().then(String),
          viewBatch<string>(auction, "withdrawable", everyone.map((account) => [account])),
          carbon.issuedCarbonAmount().then(String),
        ]);
        const escrow = views.reduce((sum, view) => sum + BigInt(view.escrow), 0n);
        assert.equal(held.toString(), (escrow + BigInt(credited)).toString(), `step ${n}: the auction's ether is its escrow plus its credits (seed ${SEED})`);
        sales.forEach((sale, i) => {
          const bidders = [...sale.bidders.values()];
          const unsettledEscrow = bidders.filter((sealed) => !sealed.settled).reduce((sum, sealed) => sum + sealed.escrow, 0n);
          assert.equal(views[i].escrow, unsettledEscrow.toString(), `step ${n}: auction ${sale.id}'s escrow is its unsettled bidders' (seed ${SEED})`);
          assert.equal(views[i].issued, bidders.reduce((sum, sealed) => sum + sealed.won, 0n).toString(), `step ${n}: auction ${sale.id} issued what its winners won`);
        });
        assert.deepEqual(owed.map(String), everyone.map((account) => credits.get(account)!.toString()), `step ${n}: each account's credit (seed ${SEED})`);
        assert.equal(credited, owed.reduce((sum, amount) => sum + BigInt(amount), 0n).toString(), `step ${n}: withdrawableEther() is the accounts' credits`);
        const auctioned = views.reduce((sum, view) => sum + BigInt(view.issued), 0n);
        assert.equal(issued, (issuedAtStart + issuedByRegulator + auctioned).toString(), `step ${n}: issued is the regulator's issues plus the auctions' (seed ${SEED})`);
      };

      /** A step of the lot shop, the compliance cycle, the order book or the clock, chosen by `roll`. */
      const marketStep = async (n: number, roll: number, now: number, scripted: boolean): Promise<void> => {
        const customer = pick(customers);
        const seller = pick(sellers);
        if (roll < 0.08) {
          const amount = between(1, 120);
          const tx = await step("issue", () => carbon.sendCarbonToCustomer(customer, amount, { from: regulator }));
          if (succeeded(tx, "SendCarbonToCustomer")) issuedByRegulator += BigInt(amount);
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
          const isBid = scripted ? roll === 0.3 : random() < 0.5;
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
      };

      // Every run opens with a script: an issue, a lot published and bought, a bid, an ask and a
      // surrender, and one auction from opening to a winner settled (clearing as many batches as it
      // takes) and a credit withdrawn, so that whatever the seed it exercises each; the rest is the seed's.
      const opening: Array<number | AuctionKind> = ["open auction", 0.0, "seal", 0.1, 0.2, "seal", 0.3, 0.31, "reveal", 0.65, "reveal", "clear", "settle bids", "withdraw"];
      for (let n = 0; n < STEPS || opening.length > 0; n++) {
        const scripted = opening.shift();
        const now = Number((await web3.eth.getBlock("latest")).timestamp);
        if (typeof scripted === "string" || (scripted === undefined && random() < 0.3)) {
          await auctionStep(scripted ?? auctionKind(now), now, scripted !== undefined);
          if (scripted === "clear" && saleUnderWay() !== undefined) opening.unshift("clear");
        } else {
          await marketStep(n, scripted ?? random(), now, scripted !== undefined);
        }
        await expectConserved(m, customers, sellers);
        await expectAuctionConserved(n);
        assert.equal((await totalEther()) + fees, startEther, `step ${n}: ether only leaves as gas (seed ${SEED})`);
      }
      console.log(`      ${[...kinds.entries()].map(([kind, count]) => `${kind} ${count}`).join(", ")}`);
      for (const kind of ["issue", "buy", "bid", "ask", "surrender", "open auction", "seal", "revealed", "cleared", "won", "withdrawn"]) assert.isAbove(kinds.get(kind) ?? 0, 0, `the run exercised ${kind}`);
    });
  });
});
