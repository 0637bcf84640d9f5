// The transaction log `npm run chain` prints: one line per transaction mined, with the market's
// outcome when there is one ("BuyCarbon ✔ Buy successfully"), so a teacher running the chain in one
// terminal sees the class's trades arrive.
import { MarketCodec } from "../../chain/abi";
import { allMarketAbi } from "../../chain/artifacts";
import type { Rpc } from "../../chain/rpc";
import { palette } from "../../render/colours";
import { shortAddress } from "../../render/format";

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

/** Prints each new block's transactions until the returned function is called. */
export function watchTransactions(rpc: Rpc, print: (line: string) => void): () => void {
  let codec: MarketCodec | undefined;
  try {
    codec = new MarketCodec(allMarketAbi());
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
  const c = palette();
  if (Number(receipt.status) !== 1) return `${c.dim(head)} ${c.fail("reverted")} ${receipt.transactionHash.slice(0, 18)}…`;
  if (receipt.contractAddress) return `${c.dim(head)} new contract at ${shortAddress(receipt.contractAddress)}`;
  const outcome = receipt.logs
    .map((log) => codec?.decodeLog(log))
    .find((decoded) => decoded && "isSuccess" in decoded.args && "message" in decoded.args);
  if (!outcome) return `${c.dim(head)} call to ${receipt.to ? shortAddress(receipt.to) : "?"}`;
  const mark = outcome.args.isSuccess ? c.ok("✔") : c.fail("✘");
  // One line each, even in an 80-column terminal: the longest thesis messages are cut.
  const room = (process.stdout.columns || 80) - head.length - outcome.name.length - 4;
  const message = String(outcome.args.message);
  const fitted = message.length > room ? `${message.slice(0, Math.max(room - 1, 8))}…` : message;
  return `${c.dim(head)} ${outcome.name} ${mark} ${fitted}`;
}
