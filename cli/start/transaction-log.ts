// The transaction log `npm run chain` prints: one line per transaction mined, with the market's
// outcome when there is one ("BuyCarbon ✔ Buy successfully"), so a teacher running the chain in one
// terminal sees the class's trades arrive.
import { chalkStderr as chalk } from "chalk";
import { MarketCodec } from "../chain/abi";
import { marketArtifact } from "../chain/artifacts";
import type { Rpc } from "../chain/rpc";

const POLL_MS = 500;

interface Receipt {
  transactionHash: string;
  from: string;
  to: string | null;
  contractAddress: string | null;
  gasUsed: string;
  status: string;
  logs: Array<{ address: string; topics: string[]; data: string; blockNumber: string; transactionHash: string; logIndex: string }>;
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** Prints each new block's transactions until the returned function is called. */
export function watchTransactions(rpc: Rpc, print: (line: string) => void): () => void {
  let codec: MarketCodec | undefined;
  try {
    codec = new MarketCodec(marketArtifact().abi);
  } catch {
    // Not compiled: the log still shows transactions, without the market's outcomes.
  }
  let next: number | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const poll = async () => {
    try {
      const latest = Number(await rpc.request<string>("eth_blockNumber"));
      if (next === undefined) next = latest + 1;
      for (; next <= latest && !stopped; next++) {
        const block = await rpc.request<{ transactions: string[] }>("eth_getBlockByNumber", ["0x" + next.toString(16), false]);
        for (const hash of block.transactions) {
          const receipt = await rpc.request<Receipt>("eth_getTransactionReceipt", [hash]);
          print(describe(next, receipt, codec));
        }
      }
    } catch {
      // The chain is stopping, or busy: try again at the next tick.
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  };
  void poll();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

function describe(block: number, receipt: Receipt, codec: MarketCodec | undefined): string {
  const gas = Number(receipt.gasUsed).toLocaleString("en-US");
  const head = `${`#${block}`.padStart(5)} ${shortAddress(receipt.from)} ${gas.padStart(9)} gas`;
  if (Number(receipt.status) !== 1) return `${chalk.dim(head)} ${chalk.red("reverted")} ${receipt.transactionHash}`;
  if (receipt.contractAddress) return `${chalk.dim(head)} created contract ${receipt.contractAddress}`;
  const outcome = receipt.logs
    .map((log) => codec?.decodeLog(log))
    .find((decoded) => decoded && "isSuccess" in decoded.args && "message" in decoded.args);
  if (!outcome) return `${chalk.dim(head)} → ${receipt.to ?? "?"}`;
  const mark = outcome.args.isSuccess ? chalk.green("✔") : chalk.yellow("✖");
  // One line each, even in an 80-column terminal: the longest thesis messages are cut.
  const room = (process.stdout.columns || 80) - head.length - outcome.name.length - 4;
  const message = String(outcome.args.message);
  const fitted = message.length > room ? `${message.slice(0, Math.max(room - 1, 8))}…` : message;
  return `${chalk.dim(head)} ${outcome.name} ${mark} ${fitted}`;
}
