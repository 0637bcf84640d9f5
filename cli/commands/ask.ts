// `carbon ask <customer> <quantity> <price> [--expires 1d] [--max-matches N]`: a customer offers its
// quota at no less than `price` ether a unit; the quantity is escrowed, and it trades at once with the
// highest bids (at their prices) before its rest waits on the book.
import { placeOrder } from "./place-order";

export const { parse, run } = placeOrder("ask");
