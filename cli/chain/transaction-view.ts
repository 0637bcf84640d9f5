// A transaction as a block explorer shows it: status, block and time, from and to, the market method
// it called with its arguments, the decoded events (the thesis's outcome event and Activity), gas used
// and what it cost in ether. `carbon tx <hash>` prints it, and settles a write whose outcome the CLI
// could not learn when it was sent (exit 4).
//
//   const view = await transactionView(market, "0x…", { waitSeconds: 30 });
//   view.status   // "success" | "reverted" | "pending"
//
// It reads over the market's JSON-RPC client and decodes with the market's ABI: no web3 and no
// @truffle/contract.
import { RefusedError } from "../support/errors";
import { MarketCodec, type AbiItem } from "./abi";
import { allMarketAbi } from "./artifacts";
import { OPERATIONS } from "./activity-history";
import type { Market } from "./market";
import type { Rpc } from "./rpc";

export interface ViewEvent {
  name: string;
  /** The contract that emitted it. */
  address: string;
  /** Decoded fields as display values: addresses lower-case, quantities decimal strings, IDs as text. */
  args: Record<string, string | boolean>;
}

export interface TransactionView {
  txHash: string;
  status: "success" | "reverted" | "pending";
  block?: number;
  /** Unix seconds of the block. */
  time?: number;
  from: string;
  to: string | null;
  /** The market method called, if the call data is one of the market's. */
  method?: string;
  arguments?: Record<string, string>;
  gasUsed?: number;
  /** Wei per gas actually paid (the receipt's effective price, else the transaction's). */
  gasPrice: bigint;
  /** gasUsed × gasPrice, in wei. */
  cost?: bigint;
  events: ViewEvent[];
  /** The business outcome: false for a revert or an isSuccess=false outcome event. */
  ok: boolean;
  /** The outcome event's message, or why the transaction is not a success. */
  message: string;
}

export interface ViewOptions {
  /** Wait up to this many seconds for a pending (or not yet seen) transaction to be mined. */
  waitSeconds?: number;
  pollMs?: number;
}

export const NOT_FOUND = "not found; it may never have been sent or was dropped";

type RawTransaction = { hash: string; from: string; to: string | null; input: string; gasPrice: string; blockNumber: string | null };
type RawReceipt = {
  status?: string;
  blockNumber: string;
  gasUsed: string;
  effectiveGasPrice?: string;
  logs: Array<{ address: string; topics: string[]; data: string; logIndex: string }>;
};

export async function transactionView(market: Market, txHash: string, options: ViewOptions = {}): Promise<TransactionView> {
  // The market's client; Market keeps it private because only reads like this one need it raw.
  const rpc = market["endpoint"].rpc as Rpc;
  const deadline = Date.now() + (options.waitSeconds ?? 0) * 1000;
  for (;;) {
    const [transaction, receipt] = await Promise.all([
      rpc.request<RawTransaction | null>("eth_getTransactionByHash", [txHash]),
      rpc.request<RawReceipt | null>("eth_getTransactionReceipt", [txHash]),
    ]);
    if (transaction && receipt) return mined(rpc, transaction, receipt);
    if (Date.now() >= deadline) {
      if (!transaction) throw new RefusedError(`transaction ${txHash} ${NOT_FOUND}`);
      return pending(transaction);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}

function pending(transaction: RawTransaction): TransactionView {
  const call = decodeCall(transaction.input);
  return {
    txHash: transaction.hash,
    status: "pending",
    from: transaction.from.toLowerCase(),
    to: transaction.to?.toLowerCase() ?? null,
    ...call,
    gasPrice: BigInt(transaction.gasPrice),
    events: [],
    ok: false,
    message: "pending: sent but not yet mined",
  };
}

async function mined(rpc: Rpc, transaction: RawTransaction, receipt: RawReceipt): Promise<TransactionView> {
  const block = await rpc.request<{ timestamp: string }>("eth_getBlockByNumber", [receipt.blockNumber, false]);
  const codec = new MarketCodec(abi());
  const events = receipt.logs.map((log): ViewEvent => {
    const decoded = codec.decodeLog(log);
    if (!decoded) return { name: "(unknown event)", address: log.address.toLowerCase(), args: { topic: log.topics[0] ?? "" } };
    return { name: decoded.name, address: log.address.toLowerCase(), args: displayArgs(decoded.name, decoded.args) };
  });
  const gasUsed = Number(receipt.gasUsed);
  const gasPrice = BigInt(receipt.effectiveGasPrice ?? transaction.gasPrice);
  const reverted = receipt.status !== undefined && Number(receipt.status) === 0;
  const call = decodeCall(transaction.input);
  // The thesis's outcome event is named after the method: buyCarbon emits BuyCarbon.
  const outcomeName = call.method ? call.method[0].toUpperCase() + call.method.slice(1) : undefined;
  const outcome = events.find((e) => e.name === outcomeName && "isSuccess" in e.args);
  return {
    txHash: transaction.hash,
    status: reverted ? "reverted" : "success",
    block: Number(receipt.blockNumber),
    time: Number(block.timestamp),
    from: transaction.from.toLowerCase(),
    to: transaction.to?.toLowerCase() ?? null,
    ...call,
    gasUsed,
    gasPrice,
    cost: BigInt(gasUsed) * gasPrice,
    events,
    ok: !reverted && (outcome ? outcome.args.isSuccess === true : true),
    message: reverted ? "reverted: the transaction changed nothing, and its gas was paid" : outcome ? String(outcome.args.message) : "mined",
  };
}

let cachedAbi: AbiItem[] | undefined;
function abi(): AbiItem[] {
  cachedAbi ??= allMarketAbi();
  return cachedAbi;
}

/** The market method a transaction's call data names, with its arguments; nothing for other calls. */
function decodeCall(input: string): { method?: string; arguments?: Record<string, string> } {
  const loaded = require("web3-eth-abi") as { default?: typeof import("web3-eth-abi").default };
  const coder = (loaded.default ?? loaded) as typeof import("web3-eth-abi").default;
  const selector = input.slice(0, 10).toLowerCase();
  const item = abi().find((i) => i.type === "function" && coder.encodeFunctionSignature(i as never) === selector);
  if (!item) return {};
  const inputs = item.inputs ?? [];
  const decoded = coder.decodeParameters(inputs as never[], "0x" + input.slice(10));
  const args: Record<string, string> = {};
  inputs.forEach((parameter, i) => (args[parameter.name || String(i)] = String(display(parameter.name, decoded[i]))));
  return { method: item.name, arguments: args };
}

function displayArgs(event: string, args: Record<string, unknown>): Record<string, string | boolean> {
  const shown: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(args)) {
    shown[name] = event === "Activity" && name === "operation" ? (OPERATIONS[Number(value)] ?? String(value)) : display(name, value);
  }
  return shown;
}

function display(name: string, value: unknown): string | boolean {
  if (typeof value === "boolean") return value;
  const text = String(value);
  if (/^0x[0-9a-fA-F]{40}$/.test(text)) return text.toLowerCase();
  // IDs travel as bytes32, zero-padded UTF-8 (CarbonId.pack).
  if (/carbonId/i.test(name) && /^0x[0-9a-fA-F]{64}$/.test(text)) {
    const bytes = Buffer.from(text.slice(2), "hex");
    // A word that starts with a zero byte holds no lot ID (IDs are left-aligned): the order book's order ID.
    if (bytes[0] === 0 && BigInt(text) !== 0n) return `#${BigInt(text)}`;
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
    return bytes.subarray(0, end).toString("utf8");
  }
  return text;
}

/** Wei as ether, exactly, without trailing zeros: 2105480000000000 → "0.00210548". */
export function exactEther(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const fraction = (wei % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}
