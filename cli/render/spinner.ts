// The spinner shown on stderr while a transaction is mined, in a terminal only: piped output and
// --json stay free of it. Driven by Market.watch, so commands and menus need not know about it.
import type { Market } from "../chain/market";
import type { TransactionEvent } from "../chain/outcome";
import { colourLevel } from "./colours";

const LABELS: Record<string, string> = {
  newCustomer: "Registering the customer",
  newSeller: "Registering the seller",
  newNamedCustomer: "Registering the customer",
  newNamedSeller: "Registering the seller",
  setName: "Changing the name",
  sendCarbonToCustomer: "Issuing quota",
  addCarbon: "Publishing the lot",
  buyCarbon: "Buying the lot",
  settleCarbon: "Settling",
  freezeAccount: "Freezing the account",
  unfreezeAccount: "Unfreezing the account",
};

/** Shows a spinner for each of the market's transactions; returns the function that stops it. */
export function spinWhileMining(market: Market, stream: NodeJS.WriteStream = process.stderr): () => void {
  if (!stream.isTTY) return () => undefined;
  type Spinner = { start(): Spinner; stop(): Spinner };
  let spinner: Spinner | undefined;
  const stop = market.watch((event: TransactionEvent) => {
    if (event.phase === "sending") {
      const ora = (require("ora") as typeof import("ora")).default;
      // ora colours through chalk, which ignores NO_COLOR: the spinner's colour follows the palette's rule.
      const color = colourLevel(stream) > 0 ? "cyan" : (false as unknown as undefined);
      spinner = ora({ text: `${LABELS[event.method] ?? event.method}: waiting for the transaction to be mined…`, stream, discardStdin: false, color }).start();
    } else {
      spinner?.stop();
      spinner = undefined;
    }
  });
  return () => {
    spinner?.stop();
    stop();
  };
}
