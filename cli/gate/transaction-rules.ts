// What a remote caller's signed transaction must be before the gate hands it to the chain: a call or
// a transfer (no deployment), small, bounded in gas, and paying at least the class chain's minimum
// gas price. Without a floor a legacy transaction pays only the base fee, which falls toward zero on
// a quiet chain, so a flood of block-filling transactions would cost a student nothing; at the floor
// it costs faucet ether.
import { TransactionFactory } from "@ethereumjs/tx";
import { placeOrderGas } from "../chain/gas";

/**
 * Every market write's fixed limit is under this (cli/chain/gas.ts), and so is a place call filling
 * up to 12 resting orders (the default is 10) beside its 20 removals. A transaction runs without
 * yielding like a call; with no code of a student's own on the chain, what runs is the market's,
 * whose gas goes to storage rather than to a loop, so the cap holds the chain for far less time
 * than the same gas of a looping contract would (bench/read-latency.bench.ts measures both).
 */
export const MAX_TX_GAS = 2_000_000n;
/** The most resting orders a remote student's place call may meet under MAX_TX_GAS. */
export const REMOTE_MAX_MATCHES = Number((MAX_TX_GAS - placeOrderGas(0)) / (placeOrderGas(1) - placeOrderGas(0)));
/** The product's largest call data is a few hundred bytes (a 256-byte reason); deployments are the teacher's. */
export const MAX_TX_BYTES = 8 * 1024;
/** 1 gwei: below Ganache's own default price (2 gwei), which is what eth_gasPrice tells every client. */
export const DEFAULT_MIN_GAS_PRICE = 10n ** 9n;

/** What the gate needs of an admissible transaction: who sends it, and at which nonce. */
export interface AdmissibleTransaction {
  from: string;
  nonce: bigint;
}

/** Why `raw` may not be sent from a remote caller (a string), or its sender and nonce. */
export function checkRawTransaction(raw: unknown, minGasPrice: bigint): string | AdmissibleTransaction {
  if (typeof raw !== "string" || !/^0x([0-9a-fA-F]{2})+$/.test(raw)) return "eth_sendRawTransaction takes one signed transaction as 0x hex";
  const bytes = (raw.length - 2) / 2;
  if (bytes > MAX_TX_BYTES) return `a transaction here is at most ${MAX_TX_BYTES} bytes (this one is ${bytes})`;
  let tx: ReturnType<typeof TransactionFactory.fromSerializedData>;
  try {
    tx = TransactionFactory.fromSerializedData(Buffer.from(raw.slice(2), "hex"));
  } catch {
    return "eth_sendRawTransaction: not a signed transaction this chain can read";
  }
  // Every contract on a class chain is the teacher's: the market, deployed before the gate opened.
  // A student's deployment is the one way to make the chain run code the teacher did not choose,
  // and code of one's own is what holds the chain (a loop at the gas cap held it 1.3 s; the market's
  // heaviest call, a place meeting its most orders beside its removals, a fraction of that).
  if (tx.to === undefined) return "a transaction here must go to an address: deploying contracts is the teacher's (only the chain's own machine may deploy)";
  const gas = BigInt(tx.gasLimit.toString());
  if (gas > MAX_TX_GAS) return `a transaction here may use at most ${MAX_TX_GAS} gas (this one asks for ${gas}; a place call may meet up to ${REMOTE_MAX_MATCHES} orders)`;
  const price = BigInt(("maxFeePerGas" in tx ? tx.maxFeePerGas : (tx as { gasPrice: { toString(): string } }).gasPrice).toString());
  if (price < minGasPrice) return `this class chain's minimum gas price is ${minGasPrice} wei (this transaction offers ${price}); ask eth_gasPrice`;
  if (!tx.isSigned()) return "eth_sendRawTransaction: the transaction is not signed";
  return { from: tx.getSenderAddress().toString().toLowerCase(), nonce: BigInt(tx.nonce.toString()) };
}

/**
 * A nonce ahead of the sender's next one would wait in Ganache's pool for the gap to fill, and with
 * instant mining its eth_sendRawTransaction is not answered until then: the request would hold the
 * gate's lane, and with it every classmate's call, for ever. So it is refused.
 */
export function nonceProblem(nonce: bigint, next: bigint): string | undefined {
  if (nonce > next) return `this transaction's nonce ${nonce} is ahead of the account's next nonce ${next}: send the missing ones first`;
  return undefined;
}
