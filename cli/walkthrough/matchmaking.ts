// The walkthrough's matchmaking chapter (ours: the thesis names matchmaking, its code has only the
// lot shop): the customer offers quota at two prices, the seller's account (a customer too) bids for
// more than the cheaper offer holds, and its order crosses the book: it trades at once with the
// resting offers at their prices, cheapest first, and the rest of the second offer stays. The book is
// shown before and after; the customer then cancels that rest, so the book is left as it was found,
// and withdraws what its offers earned: the book credits a maker, it never sends it ether.
//
// It runs on used chains too (the demo's book, earlier runs): its prices are chosen inside the spread
// of whatever book is there, so its crossing order can only meet its own offers.
import { OrderBook } from "../chain/order-book";
import { TICK_WEI } from "../chain/order-book-types";
import * as ask from "../commands/ask";
import * as bid from "../commands/bid";
import * as bookCommand from "../commands/book";
import * as cancel from "../commands/cancel";
import * as withdraw from "../commands/withdraw";
import * as register from "../commands/register";
import { formatEther } from "../input/order-book";
import type { Placement } from "../render/order-book";
import * as text from "../render/text";
import { WALKTHROUGH_PASSWORD } from "./cast";
import { say, WIDTH, wrap } from "./narrator";
import { transact, type Scene, type Step } from "./scene";

/** The story's quantities: the crossing bid takes all of the first offer and part of the second. */
export const BOOK_STORY = { first: 30n, second: 20n, crossing: 40n } as const;
/** The cheaper offer's price on an empty book. */
const EMPTY_BOOK_PRICE = 120n * TICK_WEI;

/** A price for the cheaper offer such that both offers sit inside the spread; undefined if it is too narrow. */
async function storyPrice(book: OrderBook): Promise<bigint | undefined> {
  const { bid: best, ask: lowest } = await book.best();
  if (!best && !lowest) return EMPTY_BOOK_PRICE;
  if (!best) return lowest!.price - 2n * TICK_WEI >= TICK_WEI ? lowest!.price - 2n * TICK_WEI : undefined;
  if (!lowest) return best.price + TICK_WEI;
  const ticks = (lowest.price - best.price) / TICK_WEI;
  return ticks >= 3n ? best.price + (ticks / 2n) * TICK_WEI - (ticks % 2n === 0n ? TICK_WEI : 0n) : undefined;
}

async function showBook({ market }: Scene, title: string): Promise<void> {
  say(title);
  say(text.book(await bookCommand.run(market), { width: WIDTH }));
  say("");
}

export const MATCHMAKING: Step = {
  module: "Matchmaking",
  says: () =>
    "Beside the lot shop, an order book matches buyers and sellers of quota (the thesis names matchmaking; the book is ours). " +
    `The customer offers ${BOOK_STORY.first} units at one price and ${BOOK_STORY.second} a tick dearer; its quota is held in escrow. ` +
    `The seller's account, registered as a customer too, bids for ${BOOK_STORY.crossing} at the dearer price, its ether held in escrow: ` +
    "its order crosses the book and trades at once, cheapest offer first, each at the resting offer's price, and what it leaves of the second offer stays on the book.",
  run: async (scene) => {
    const { market, cast } = scene;
    const book = new OrderBook(market);
    const price = await storyPrice(book);
    if (price === undefined) {
      await showBook(scene, "The book:");
      return wrap("Its spread is too narrow for the story (two offers must fit inside it without meeting a bid), so this chapter stops here.");
    }
    const dearer = price + TICK_WEI;
    const seller = { address: cast.seller.address };
    const customer = { address: cast.customer.address };
    if (!(await market.roles(cast.seller.address)).customer) {
      await transact(scene, `newCustomer(${cast.seller.address.slice(0, 6)}…, digest)  (the seller's account becomes a customer too)`, () =>
        register.run(market, { role: "customer", account: seller, password: { value: WALKTHROUGH_PASSWORD } }),
      );
    }
    await transact(scene, `placeAsk(${BOOK_STORY.first}, ${formatEther(price)} ETH)  by the customer`, () => ask.run(market, { customer, quantity: BOOK_STORY.first, price }));
    let rest: Placement | undefined;
    await transact(scene, `placeAsk(${BOOK_STORY.second}, ${formatEther(dearer)} ETH)  by the customer`, async () => (rest = await ask.run(market, { customer, quantity: BOOK_STORY.second, price: dearer })));
    await showBook(scene, "The book before (asks above, bids below; the customer's offers are the lowest asks):");
    const escrow = formatEther(BOOK_STORY.crossing * dearer);
    await transact(scene, `placeBid(${BOOK_STORY.crossing}, ${formatEther(dearer)} ETH)  by the seller's account, sending ${escrow} ETH`, () =>
      bid.run(market, { customer: seller, quantity: BOOK_STORY.crossing, price: dearer }),
    );
    const paid = BOOK_STORY.first * price + (BOOK_STORY.crossing - BOOK_STORY.first) * dearer;
    say(wrap(`Two Trade events: ${BOOK_STORY.first} at ${formatEther(price)} and ${BOOK_STORY.crossing - BOOK_STORY.first} at ${formatEther(dearer)}, ${formatEther(paid)} ETH credited to the customer (the book pays a maker only when it asks, so no account's code can stop a trade); the bid's unused escrow came back.`));
    say("");
    await showBook(scene, "The book after: the cheaper offer is gone, the dearer one partly filled:");
    if (rest?.orderId !== undefined) {
      const id = rest.orderId;
      await transact(scene, `cancelOrder(${id})  by the customer: the rest of its offer and its escrowed quota come back`, () => cancel.run(market, { customer, orderId: id }));
    }
    await transact(scene, `withdraw()  by the customer: the ${formatEther(paid)} ETH its offers earned`, () => withdraw.run(market, { customer }));
  },
};
