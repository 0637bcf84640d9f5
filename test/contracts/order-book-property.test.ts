// A property test of the order book: random sequences of bids, asks, cancels, expiries, sweeps and
// withdrawals by four customers and a hostile contract customer (test/fixtures/HostileTrader.sol:
// from every payment it takes it tries to re-enter the book, and now and then it refuses ether)
// around one price, with the clock moving, accounts frozen and unfrozen,
// trading halted and the band set now and then. After every step: the book is not crossed; the book's
// ether is exactly the open bids' escrow plus the traders' credits, and its quota exactly the open
// asks' (expectConserved); quota is conserved (balances
// plus escrow = issued - settled - surrendered); and ether is conserved: what the accounts and the
// book hold changes only by the gas the accounts paid. Every honest call succeeds whatever the hostile
// trader does, and none of its re-entries does. CARBON_PROPERTY_SEED replays a run;
// CARBON_PROPERTY_STEPS changes its length.
import { isolate } from "./helpers";
import { advance, ask, bid, type BookMarket, deployedBook, etherOf, expectConserved, gasFee, latestTime, orderOf, price, Status, fundTraders } from "./order-book-helpers";
import { prng, propertySeed, propertySteps } from "./seeded";
import { Trader } from "./hostile-trader";
import { Answer, ATTEMPTS } from "../support/hostile-trader";

const SEED = propertySeed();
const STEPS = propertySteps(120, 30);

contract("OrderBook", (accounts) => {
  const [regulator] = accounts;
  const players = accounts.slice(1, 5);
  const operator = accounts[6]; // drives the hostile trader; no customer itself
  let m: BookMarket;
  let hostile: Trader;

  before(async () => {
    m = await deployedBook();
    await fundTraders(m, regulator, players, 400);
    hostile = await Trader.deploy(m, operator, regulator, 400);
  });

  describe("random order sequences", () => {
    isolate();

    it(`never leave the book crossed, and conserve ether and quota with escrow (${STEPS} steps)`, async function () {
      this.timeout(900_000);
      console.log(`      seed ${SEED} (CARBON_PROPERTY_SEED=${SEED} replays it)`);
      const random = prng(SEED);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const between = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
      const book = m.book;
      const everyone = [regulator, ...players, operator, hostile.address];
      const totalEther = async (): Promise<bigint> =>
        (await Promise.all([...everyone, book.address].map(etherOf))).reduce((sum, wei) => sum + wei, 0n);
      const start = await totalEther();
      let fees = 0n;
      const frozen = new Set<string>();
      let halted = false;
      const tally = new Map<string, number>();
      const messages = new Map<string, number>();
      let refusing = false;

      /** The hostile trader's step: its calls may revert (a refused payment fails only its own call). */
      const hostileStep = async (): Promise<string> => {
        const r = random();
        const now = await latestTime();
        const openOrders = async (owner: string) => (await book.ordersOf(owner, 0, 1000)).filter((order) => Number(order.status) === Status.Open).map((order) => Number(order.id));
        let description: string;
        let send: () => Promise<unknown>;
        if (r < 0.3) {
          const [quantity, ticks, expiry] = [between(10, 40), between(95, 105), pick([0, 0, now + between(1, 300)])];
          description = `hostile bid ${quantity} @ ${ticks}`;
          send = () => hostile.bid(quantity, ticks, expiry);
        } else if (r < 0.6) {
          const [quantity, ticks, expiry] = [between(10, 40), between(95, 105), pick([0, 0, now + between(1, 300)])];
          description = `hostile ask ${quantity} @ ${ticks}`;
          send = () => hostile.ask(quantity, ticks, expiry);
        } else if (r < 0.7) {
          const own = await openOrders(hostile.address);
          if (own.length === 0) return "hostile idle";
          const id = pick(own);
          description = `hostile cancel ${id}`;
          send = () => hostile.onBook("cancelOrder", [id]);
        } else if (r < 0.8) {
          description = "hostile withdraw";
          send = () => hostile.onBook("withdraw", []);
        } else if (r < 0.92) {
          // Its re-entries aim at somebody else's open order, when there is one.
          const others = (await Promise.all(players.map(openOrders))).flat();
          const target = others.length > 0 ? pick(others) : 0;
          description = `hostile arms against ${target}`;
          send = () => hostile.arm(target);
        } else {
          refusing = !refusing;
          description = `hostile ${refusing ? "refuses" : "takes"} ether`;
          const value = refusing;
          send = () => hostile.setRefusing(value);
        }
        const before = await web3.eth.getBlockNumber();
        let reverted = false;
        try {
          await send();
        } catch {
          reverted = true;
          tally.set("hostile reverted", (tally.get("hostile reverted") ?? 0) + 1);
        }
        // The operator's gas, mined or reverted, read from the blocks it sent in.
        for (let n = before + 1; n <= (await web3.eth.getBlockNumber()); n++) {
          for (const hash of (await web3.eth.getBlock(n)).transactions as string[]) {
            const receipt = (await web3.eth.getTransactionReceipt(hash)) as unknown as { from: string; gasUsed: number; effectiveGasPrice: string | number };
            if (receipt.from.toLowerCase() === operator.toLowerCase()) fees += BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);
          }
        }
        const answers = await hostile.answers();
        for (const name of ATTEMPTS) assert.notEqual(answers[name], Answer.Succeeded, `${description}: its re-entry into ${name} succeeded (seed ${SEED})`);
        return reverted ? `${description} (reverted)` : description;
      };

      for (let step = 0; step < STEPS; step++) {
        const roll = random();
        const player = pick(players);
        let description: string;
        let tx: TruffleTransaction;
        // Every run opens with a hostile step, then a bid and an ask that cross, so that whatever the
        // seed it exercises the hostile trader and a trade; the rest is the seed's.
        if (step === 0 || (step > 2 && random() < 0.15)) {
          description = await hostileStep();
          tally.set("hostile", (tally.get("hostile") ?? 0) + 1);
          try {
            await expectConserved(m, [...players, hostile.address]);
            assert.equal((await totalEther()) + fees, start, "ether is conserved: only gas left the accounts and the book");
          } catch (error) {
            throw new Error(`after step ${step} (${description}), seed ${SEED}: ${(error as Error).message}`);
          }
          continue;
        }
        if (step === 1 || step === 2) {
          const isBid = step === 1;
          const trader = players[isBid ? 0 : 1];
          description = `opening ${isBid ? "bid" : "ask"} 20 @ 100 by ${trader}`;
          tx = await (isBid ? bid : ask)(book, trader, 20, 100, { maxMatches: 4 });
        } else if (halted && random() < 0.3) {
          // Halts and freezes are short, so that most steps trade (their refusals are still tried).
          description = "resume";
          tx = await book.resumeTrading({ from: regulator });
          halted = false;
        } else if (frozen.size > 0 && random() < 0.2) {
          const target = [...frozen][0];
          description = `unfreeze ${target}`;
          tx = await m.carbon.unfreezeAccount(target, { from: regulator });
          frozen.delete(target);
        } else if (roll < 0.7) {
          const isBid = random() < 0.5;
          const quantity = between(10, 40);
          const ticks = between(95, 105);
          const now = await latestTime();
          const expiry = pick([0, 0, 0, now + between(1, 300), 1]);
          const maxMatches = between(0, 4);
          description = `${isBid ? "bid" : "ask"} ${quantity} @ ${ticks} by ${player} (expiry ${expiry}, matches ${maxMatches})`;
          tx = await (isBid ? bid : ask)(book, player, quantity, ticks, { expiry, maxMatches });
        } else if (roll < 0.82) {
          const own = (await book.ordersOf(player, 0, 1000)).filter((order) => Number(order.status) === Status.Open);
          if (own.length === 0) continue;
          const id = pick(own).id;
          description = `cancel ${id} by ${player}`;
          tx = await book.cancelOrder(id, { from: player });
        } else if (roll < 0.84) {
          const count = Number(await book.orderCount());
          if (count === 0) continue;
          const id = between(1, count);
          description = `expireOrder ${id}`;
          tx = await book.expireOrder(id, { from: player });
        } else if (roll < 0.86) {
          description = `withdraw by ${player}`;
          tx = await book.withdraw({ from: player });
        } else if (roll < 0.875) {
          const isBid = random() < 0.5;
          const ticks = between(95, 105);
          description = `pruneLevel ${isBid ? "bids" : "asks"} @ ${ticks} by ${player}`;
          tx = await book.pruneLevel(isBid, price(ticks), between(1, 10), { from: player });
        } else if (roll < 0.9) {
          const seconds = pick([60, 600, 86_400]);
          await advance(seconds);
          tally.set("advance", (tally.get("advance") ?? 0) + 1);
          continue;
        } else if (roll < 0.95) {
          // At most one player frozen at a time, so that most orders come from accounts that may trade.
          const target = frozen.size > 0 ? pick([...frozen]) : player;
          description = `${frozen.has(target) ? "unfreeze" : "freeze"} ${target}`;
          tx = frozen.has(target)
            ? await m.carbon.unfreezeAccount(target, { from: regulator })
            : await m.carbon.freezeAccount(target, { from: regulator });
          if (frozen.has(target)) frozen.delete(target);
          else frozen.add(target);
        } else if (roll < 0.98) {
          description = halted ? "resume" : "halt";
          tx = halted ? await book.resumeTrading({ from: regulator }) : await book.haltTrading({ from: regulator });
          halted = !halted;
        } else {
          const bps = pick([0, 500, 2000]);
          description = `band ${bps}`;
          tx = await book.setPriceBand(bps, bps === 0 ? 0 : price(100), { from: regulator });
        }
        fees += await gasFee(tx);
        const kind = description.split(" ")[0];
        tally.set(kind, (tally.get(kind) ?? 0) + 1);
        for (const log of tx.logs.filter((l) => l.event === "PlaceBid" || l.event === "PlaceAsk")) {
          const message = String(log.args.message);
          messages.set(message, (messages.get(message) ?? 0) + 1);
        }
        try {
          await expectConserved(m, [...players, hostile.address]);
          assert.equal((await totalEther()) + fees, start, "ether is conserved: only gas left the accounts and the book");
        } catch (error) {
          throw new Error(`after step ${step} (${description}), seed ${SEED}: ${(error as Error).message}`);
        }
      }
      // The run exercised the book: trades happened and orders rested.
      const count = Number(await book.orderCount());
      const statuses = await Promise.all(Array.from({ length: count }, (_, i) => orderOf(book, i + 1).then((o) => o.status)));
      const filled = statuses.filter((status) => status === Status.Filled).length;
      console.log(`      ${count} orders, ${filled} filled; steps: ${JSON.stringify(Object.fromEntries(tally))}`);
      console.log(`      outcomes: ${JSON.stringify(Object.fromEntries(messages))}`);
      assert.isAtLeast(count, 2, "orders were placed");
      assert.isAbove(Number((await book.lastPrice()).price), 0, "trades happened");
      assert.isAbove(tally.get("hostile") ?? 0, 0, "the hostile trader took part");
    });
  });
});
