// The walkthrough's lesson chapter: why trading lowers the cost of a cut. Two firms of the lesson
// (contracts/Lesson.sol) emit the same, but one abates cheaply and the other dearly, and a round asks
// them to cut 40 % together. The narrator first prices the uniform standard (each firm cuts its own
// share), then firm A abates more than its share and sells the quota it spares to firm B through the
// order book, while B abates only its tonnes cheaper than that quota; both report through the lesson
// and surrender, the round closes, and the narrator sets what they paid beside the uniform standard
// and the least cost. Every figure is computed from what the chain holds (the schedules, the
// payments, the trade) by the lesson's own theory and results (cli/lesson/).
//
// It shares the chain with a class and the demo. A lesson's firms can never be removed, and every
// firm's baseline enters every round's cut, so the chapter plays only on a lesson of its own: one
// with no firms yet (it adds its two) or with the firms an earlier walkthrough added. Like the
// compliance chapter, it also needs no period open and a clock it may move; and its trade's price
// must sit inside the book's spread, so that it can only meet its own offer.
import { Compliance } from "../chain/compliance";
import { Lesson, type AbatementBlock, type LessonFirm } from "../chain/lesson";
import type { Market } from "../chain/market";
import { OrderBook } from "../chain/order-book";
import { formatEther } from "../chain/order-book-prices";
import { MIN_QUANTITY, TICK_WEI } from "../chain/order-book-types";
import * as ask from "../commands/ask";
import * as bid from "../commands/bid";
import * as abate from "../commands/lesson-abate";
import { reportFirm } from "../commands/lesson-report";
import * as roundClose from "../commands/lesson-round-close";
import * as roundOpen from "../commands/lesson-round-open";
import * as register from "../commands/register";
import * as surrender from "../commands/surrender";
import * as timeAdvance from "../commands/time-advance";
import * as withdraw from "../commands/withdraw";
import { lessonResults } from "../lesson/results";
import { cheapestCost, equilibrium, lastAbatedCost, nextTonneCost, uniformStandard } from "../lesson/theory";
import { shortAddress } from "../render/format";
import { table } from "../render/table";
import * as text from "../render/text";
import { UnavailableError } from "../support/errors";
import { pickPlayer, WALKTHROUGH_PASSWORD, type Cast, type Player } from "./cast";
import { periodObstacle } from "./compliance-chapter";
import { say, WIDTH, wrap } from "./narrator";
import { address, transact, transactEach, type Step } from "./scene";

const tick = (ticks: bigint) => ticks * TICK_WEI;

/** The story: the same baseline, and every tonne of A's schedule cheaper than any of B's. */
export const LESSON_STORY = {
  baseline: 100n,
  schedules: [
    [{ tonnes: 30n, costPerTonne: tick(20n) }, { tonnes: 30n, costPerTonne: tick(60n) }],
    [{ tonnes: 30n, costPerTonne: tick(80n) }, { tonnes: 30n, costPerTonne: tick(120n) }],
  ] satisfies AbatementBlock[][],
  cutBps: 4_000n,
} as const;
const DAY = 86_400;
const NAMES = ["A", "B"] as const;

/** The chapter's firms: A, the cheap abater, then B; `added` says which this run must still add. */
interface Stage {
  lesson: Lesson;
  players: [Player, Player];
  added: [boolean, boolean];
}

/** Ether, exact but with at least two decimals so that a column of costs lines up; what a firm earns is negative. */
export function costText(wei: bigint): string {
  const [whole, fraction = ""] = formatEther(wei < 0n ? -wei : wei).split(".");
  return `${wei < 0n ? "-" : ""}${whole}.${fraction.padEnd(2, "0")}`;
}
const eth = costText;
/** To a tenth of a per cent, rounded. */
const percent = (part: bigint, whole: bigint) => (whole === 0n ? "-" : `${(Number((part * 1000n + whole / 2n) / whole) / 10).toFixed(1)} %`);
const accountOf = (firm: LessonFirm) => ({ address: firm.account });
const scheduleWords = (blocks: readonly AbatementBlock[]) => blocks.map((block) => `${block.tonnes} t at ${eth(block.costPerTonne)}`).join(", ");

/**
 * The price A offers and B bids at: halfway between the cost of A's last tonne in the least-cost
 * split and B's next tonne's, in whole ticks, so both gain by trading rather than abating.
 */
function tradePrice(schedules: readonly (readonly AbatementBlock[])[], abatement: readonly bigint[]): bigint {
  const floor = lastAbatedCost(schedules[0], abatement[0]) ?? TICK_WEI;
  const ceiling = nextTonneCost(schedules[1], abatement[1]) ?? floor;
  return ((floor + ceiling) / 2n / TICK_WEI) * TICK_WEI;
}

/** The least-cost split of the story's cut between the two schedules, as the chain would hold them. */
function plannedSplit(schedules: readonly (readonly AbatementBlock[])[]): bigint[] {
  const firms = schedules.map((blocks, i) => ({ account: NAMES[i], baseline: LESSON_STORY.baseline, blocks: [...blocks] }));
  const cut = (LESSON_STORY.baseline * 2n * LESSON_STORY.cutBps) / 10_000n;
  const split = equilibrium(firms, cut).abatement;
  return NAMES.map((name) => split.get(name) ?? 0n);
}

const isStoryFirm = (firm: LessonFirm, i: number) =>
  firm.baseline === LESSON_STORY.baseline &&
  firm.blocks.length === LESSON_STORY.schedules[i].length &&
  firm.blocks.every((block, k) => block.tonnes === LESSON_STORY.schedules[i][k].tonnes && block.costPerTonne === LESSON_STORY.schedules[i][k].costPerTonne);

/** The lesson, the firms and what is left to add; or why the chapter cannot play on this chain. */
async function prepare(market: Market, cast: Cast): Promise<Stage | string> {
  let lesson: Lesson;
  try {
    lesson = await Lesson.attach(market);
  } catch (error) {
    if (error instanceof UnavailableError) return error.message;
    throw error;
  }
  const [firms, accounts] = await Promise.all([lesson.firms(), market.accounts()]);
  // An earlier walkthrough's firms: the story's schedules, in order, on accounts it registered.
  const own: Player[] = [];
  for (const [i, firm] of firms.entries()) {
    const index = accounts.indexOf(firm.account);
    if (i >= 2 || index < 0 || !isStoryFirm(firm, i) || !(await market.checkPassword(firm.account, WALKTHROUGH_PASSWORD)).customer) {
      return "this chain's lesson has firms the walkthrough did not add (a class's, or the demo's): two more would join its rounds and enlarge every cut, and a firm cannot be removed";
    }
    if (await market.isFrozen(firm.account)) return `its firm ${shortAddress(firm.account)}, added by an earlier walkthrough, is frozen: \`carbon unfreeze ${firm.account}\` first`;
    own.push({ index, address: firm.account });
  }
  // After the lesson's own check: a lesson of others is the lasting obstacle, an open period passes.
  const blocked = await periodObstacle(market);
  if (blocked) return blocked;
  const compliance = new Compliance(market);
  const verifiers = (await Promise.all(accounts.map(async (account) => ((await compliance.isVerifier(account)) ? account : undefined)))).filter((account): account is string => account !== undefined);
  const taken = [market.regulator, cast.customer.address, cast.seller.address, ...verifiers, ...own.map((player) => player.address)];
  while (own.length < 2) {
    const player = await pickPlayer(market, "customer", taken);
    if (!player) return "no two accounts are free to play its firms";
    own.push(player);
    taken.push(player.address);
  }
  const book = new OrderBook(market);
  const price = tradePrice(LESSON_STORY.schedules, plannedSplit(LESSON_STORY.schedules));
  const [{ bid: best, ask: lowest }, halted, band] = await Promise.all([book.best(), book.halted(), book.band()]);
  if (halted) return "trading on the order book is halted";
  if (band.active && (price < band.low || price > band.high)) return `the book's price band (${eth(band.low)} to ${eth(band.high)} ETH) leaves out the firms' price of ${eth(price)} ETH`;
  if ((best && best.price >= price) || (lowest && lowest.price <= price)) {
    return `resting orders on the book (${best ? `a bid at ${eth(best.price)}` : "no bid"}, ${lowest ? `an ask at ${eth(lowest.price)}` : "no ask"}) would meet the firms' trade at ${eth(price)} ETH`;
  }
  return { lesson, players: [own[0], own[1]], added: [firms.length < 1, firms.length < 2] };
}

/** The firms as the lesson holds them on the chain, with their schedules. */
function schedulesTable(firms: LessonFirm[]): string {
  return table(
    [{ header: "firm" }, { header: "account" }, { header: "baseline t", align: "right" }, { header: "abatement schedule (t at ETH a tonne)" }],
    firms.map((firm, i) => [NAMES[i], shortAddress(firm.account), String(firm.baseline), scheduleWords(firm.blocks)]),
    { width: WIDTH },
  );
}

export const LESSON_CHAPTER: Step = {
  module: "Why trade (the lesson)",
  chapter: "lesson",
  says: () =>
    "The thesis's case for the market: the cost of cutting emissions varies between firms, and trading meets a cap at the least cost. " +
    "Two firms of the lesson emit as much as each other, but A cuts cheaply and B dearly, and a round asks them to cut 40 % together. " +
    "First what each would pay cutting its own share alone (a uniform standard), then A cuts more and sells the quota it spares to B on the order book. " +
    "Every figure is read from the chain.",
  run: async (scene) => {
    const { market, cast } = scene;
    const stage = await prepare(market, cast);
    if (typeof stage === "string") return wrap(`(This chapter is skipped: ${stage}.)`);
    const { lesson, players } = stage;
    const [a, b] = players;
    const compliance = new Compliance(market);

    if (stage.added.some(Boolean)) {
      say(wrap(`${shortAddress(a.address)} (account ${a.index}) becomes firm A and ${shortAddress(b.address)} (account ${b.index}) firm B: each registers as a customer, then the regulator gives it a baseline and an abatement schedule, blocks of tonnes at a cost a tonne, cheapest first.`));
      for (const [i, player] of players.entries()) {
        if (!stage.added[i]) continue;
        if (!(await market.roles(player.address)).customer) {
          await transact(scene, `newCustomer(${shortAddress(player.address)}, digest)`, () => register.run(market, { role: "customer", account: address(player), password: { value: WALKTHROUGH_PASSWORD } }));
        }
        const schedule = LESSON_STORY.schedules[i];
        await transact(scene, `addFirm(${shortAddress(player.address)}, ${LESSON_STORY.baseline}, ${scheduleWords(schedule)})  firm ${NAMES[i]}`, () => lesson.addFirm(player.address, LESSON_STORY.baseline, schedule));
      }
    } else {
      say(wrap(`Firms A, ${shortAddress(a.address)} (account ${a.index}), and B, ${shortAddress(b.address)} (account ${b.index}), are the lesson's already: an earlier walkthrough added them, and a firm stays.`));
    }
    const firms = await lesson.firms();
    const [firmA, firmB] = players.map((player) => firms.find((firm) => firm.account === player.address)!);
    say(schedulesTable([firmA, firmB]));
    if (!(await compliance.isVerifier(lesson.address))) {
      say("");
      await transact(scene, `accreditVerifier(${shortAddress(lesson.address)})  the lesson itself verifies its firms' reports`, () => compliance.accreditVerifier(lesson.address));
    }

    say("");
    const label = `${cast.lotId}-ROUND`;
    let opened: roundOpen.LessonRoundOpened | undefined;
    await transactEach(scene, `carbon lesson round open --cut ${LESSON_STORY.cutBps / 100n}%  (openPeriod, markRound, the cap issued free)`, async () => {
      opened = await roundOpen.run(market, roundOpen.parse([], { cut: `${LESSON_STORY.cutBps / 100n}%`, free: "100%", reportBy: "+1d", surrenderBy: "+2d", label }));
      return [opened.opened, ...(opened.marked ? [opened.marked] : []), ...opened.allocation.flatMap((row) => (row.outcome ? [row.outcome] : []))];
    });
    if (!opened?.ok) return wrap("(The round did not open, so the chapter stops here.)");
    const { cut, periodId } = opened;
    const allocated = (firm: LessonFirm) => opened!.allocation.find((row) => row.account === firm.account)?.amount ?? 0n;
    say(
      wrap(
        `The round ${label}: the firms emit ${firmA.baseline + firmB.baseline} t between them, a cut of ${LESSON_STORY.cutBps / 100n} % is ${cut} t, so the cap is ${opened.cap}, ` +
          `issued free in proportion to the baselines: ${allocated(firmA)} to A and ${allocated(firmB)} to B. Each must surrender a unit of quota for every tonne it emits.`,
      ),
    );

    // The uniform standard, from the schedules on the chain.
    const uniform = uniformStandard([firmA, firmB], cut);
    const share = (firm: LessonFirm) => uniform.shares.get(firm.account)!;
    const alone = (firm: LessonFirm) => cheapestCost(firm.blocks, share(firm));
    say("");
    say(
      wrap(
        `Alone, under a uniform standard, each cuts the same share of its own baseline with its own cheapest tonnes: A cuts ${share(firmA)} t for ${eth(alone(firmA))} ETH, ` +
          `B ${share(firmB)} t for ${eth(alone(firmB))} ETH, ${eth(uniform.cost)} ETH in all. Yet A's last tonne costs ${eth(lastAbatedCost(firmA.blocks, share(firmA))!)} ETH and B's ${eth(lastAbatedCost(firmB.blocks, share(firmB))!)}: ` +
          "every tonne A cuts in B's place saves the difference.",
      ),
    );

    // The least-cost split, and the trade that gets there.
    const theory = equilibrium([firmA, firmB], cut);
    const split = [firmA, firmB].map((firm) => theory.abatement.get(firm.account) ?? 0n);
    const price = tradePrice([firmA.blocks, firmB.blocks], split);
    say("");
    say(
      wrap(
        `With a market, a firm cuts every tonne cheaper than the price of quota, and buys rather than cut a dearer one. The cheapest ${cut} t of the two schedules are A's ${split[0]} and B's ${split[1]}: ` +
          `the least-cost split, and an equilibrium price of ${eth(theory.price)} ETH, the cost of the last tonne the cut needs. A abates ${split[0]} t and sells the quota it spares; B abates ${split[1]} t and buys the rest.`,
      ),
    );
    const emissions: bigint[] = [firmA.baseline, firmB.baseline];
    for (const [i, firm] of [firmA, firmB].entries()) {
      if (split[i] === 0n) continue;
      const quote = await lesson.abatementCost(firm.account, periodId, split[i]);
      let done: Awaited<ReturnType<typeof abate.run>> | undefined;
      await transact(scene, `abate(${split[i]})  by ${NAMES[i]}, sending ${eth(quote)} ETH, its schedule's price`, async () => (done = await abate.run(market, { firm: accountOf(firm), tonnes: split[i] })));
      if (done?.ok) emissions[i] = done.emissions;
    }
    const spare = allocated(firmA) - emissions[0];
    if (spare < MIN_QUANTITY) return wrap(`(A has ${spare} to spare, under the book's minimum order of ${MIN_QUANTITY}, so the chapter stops here.)`);
    const floor = lastAbatedCost(firmA.blocks, split[0])!;
    const ceiling = nextTonneCost(firmB.blocks, split[1]);
    say(wrap(`A now emits ${emissions[0]} t and holds ${allocated(firmA)} of the round's quota: ${spare} to spare. B emits ${emissions[1]} t against ${allocated(firmB)}: ${emissions[1] - allocated(firmB)} short.`));
    await transact(scene, `placeAsk(${spare}, ${eth(price)} ETH)  by A: more than its last tonne's ${eth(floor)}`, () => ask.run(market, { customer: accountOf(firmA), quantity: spare, price }));
    await transact(scene, `placeBid(${spare}, ${eth(price)} ETH)  by B, sending ${eth(spare * price)} ETH: ${ceiling === undefined ? "its schedule is spent" : `less than its next tonne's ${eth(ceiling)}`}`, () =>
      bid.run(market, { customer: accountOf(firmB), quantity: spare, price }),
    );
    await transact(scene, `withdraw()  by A: the ${eth(spare * price)} ETH its offer earned`, () => withdraw.run(market, { customer: accountOf(firmA) }));

    say("");
    say(wrap("Each firm covers its emissions: it reports through the lesson, which approves the figure the chain recorded, and surrenders as much quota. The compliance chapter shows these steps in full; here, a line each:"));
    for (const [i, firm] of [firmA, firmB].entries()) {
      await transactEach(scene, `carbon lesson report ${NAMES[i]}, then carbon surrender ${NAMES[i]} ${emissions[i]}`, async () => {
        const reported = await reportFirm(market, lesson, firm.account);
        return [...reported.steps, await surrender.run(market, { customer: accountOf(firm), amount: reported.emissions })];
      });
    }
    say("");
    say(wrap("Three days later on this development chain, past the round's surrender deadline, the regulator closes the round and enforces it, firm by firm:"));
    say(text.clock(await timeAdvance.run(market, { seconds: 3 * DAY })));
    await transactEach(scene, "carbon lesson round close  (closePeriod, then enforceCompliance for each firm)", async () => {
      const closed = await roundClose.run(market, {});
      return [closed.closed, ...closed.enforced.flatMap((row) => (row.outcome ? [row.outcome] : []))];
    });

    // The verdict, from the chain: what `carbon lesson results` shows for this round.
    const round = (await lessonResults(market)).rounds.find((result) => result.periodId === periodId)!;
    const rows = [firmA, firmB].map((firm) => round.firms.find((row) => row.account === firm.account)!);
    // What each firm paid in all for its part of the cut (a round with an auction would add what it paid there).
    const net = rows.map((row) => row.abatementPaid + row.auctionPaid + row.purchases - row.sales + row.penalty);
    const aloneCost = [alone(firmA), alone(firmB)];
    const both = (values: bigint[]) => values.reduce((sum, value) => sum + value, 0n);
    say("");
    say(
      table(
        [{ header: "ETH" }, { header: "A", align: "right" }, { header: "B", align: "right" }, { header: "both", align: "right" }],
        [
          ["cutting alone (uniform standard)", ...aloneCost.map(eth), eth(round.uniformCost)],
          ["abatement paid", ...rows.map((row) => eth(row.abatementPaid)), eth(round.actualCost)],
          ["quota bought less sold", ...rows.map((row) => eth(row.purchases - row.sales)), eth(both(rows.map((row) => row.purchases - row.sales)))],
          ["with trading", ...net.map(eth), eth(both(net))],
          ["least cost of the cut", "", "", eth(round.leastCost)],
        ],
        { width: WIDTH },
      ),
    );
    const saved = round.uniformCost - round.actualCost;
    // Efficiency as `carbon lesson results` counts it: the least cost of the abatement achieved ÷ what was paid.
    const efficiency = round.efficiency === undefined ? "-" : `${(round.efficiency * 100).toFixed(1)} %`;
    const least =
      round.actualCost === round.leastCost
        ? `exactly the least cost the schedules allow (efficiency ${efficiency})`
        : `against a least cost of ${eth(round.leastCost)} ETH (efficiency ${efficiency})`;
    const gains = net.every((cost, i) => cost < aloneCost[i])
      ? ` Both firms gain: A pays ${eth(net[0])} ETH net instead of ${eth(aloneCost[0])}, B ${eth(net[1])} instead of ${eth(aloneCost[1])}; the ${round.volume} t traded at ${round.averagePrice === undefined ? "-" : eth(round.averagePrice)} ETH, more than A's tonnes cost it and less than B's would have.`
      : "";
    say("");
    say(wrap(`The same cut of ${cut} t cost ${eth(round.actualCost)} ETH with trading instead of ${eth(round.uniformCost)} ETH alone: ${eth(saved)} ETH (${percent(saved, round.uniformCost)}) less, ${least}.${gains}`));
    return wrap(
      `\`carbon lesson results\` shows this round beside the lesson's others. The firms stay in this chain's lesson (a firm cannot be removed); sign in as A or B with the password "${WALKTHROUGH_PASSWORD}" for "My firm in the lesson".`,
    );
  },
};
