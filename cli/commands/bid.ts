// `carbon bid <customer> <quantity> <price> [--expires 1d] [--max-matches N]`: a customer bids for
// quota at up to `price` ether a unit; quantity × price is escrowed, and it trades at once with the
// cheapest asks (at their prices) before its rest waits on the book.
import { placeOrder } from "./place-order";

export const { parse, run } = placeOrder("bid");
