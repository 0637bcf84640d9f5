// What a remote caller's signed transaction must be before the gate hands it to the chain: small,
// bounded in gas, and paying at least the class chain's minimum gas price. Without a floor a legacy
// transaction pays only the base fee, which falls toward zero on a quiet chain, so a flood of
// block-filling transactions would cost a student nothing; at the floor it costs faucet ether.
import { TransactionFactory } from "@ethereumjs/tx";
import { placeOrderGas } from "../chain/gas";

/**
 * Every market write's fixed limit is under this (cli/chain/gas.ts), and so is a place call filling
 * up to 12 resting orders (the default is 10) beside its 20 removals. A transaction runs without
 * yielding like a call, so the cap bounds how long one can hold the chain (about 2 s of a looping
 * contract on Ganache); how long a student can keep doing it is bounded by the gas price floor.
 */
export const MAX_TX_GAS = 2_000_000n;
/** The most resting orders a remote student's place call may meet under MAX_TX_GAS. */
export const REMOTE_MAX_MATCHES = Number((MAX_TX_GAS - placeOrderGas(0)) / (placeOrderGas(1) - placeOrderGas(0)));
/** The product's largest call data is a few hundred bytes (a 256-byte reason); deployments are the teacher's. */
export const MAX_TX_BYTES = 8 * 1024;
/** 1 gwei: below Ganache's own default price (2 gwei), which is what eth_gasPrice tells every client. */
export const DEFAULT_MIN_GAS_PRICE = 10n ** 9n;

export function rawTransactionProblem(raw: unknown, minGasPrice: bigint): string | undefined {
  if (typeof raw !== "string" || !/^0x([0-9a-fA-F]{2})+$/.test(raw)) return "eth_sendRawTransaction takes one signed transaction as 0x hex";
  const bytes = (raw.length - 2) / 2;
  if (bytes > MAX_TX_BYTES) return `a transaction here is at most ${MAX_TX_BYTES} bytes (this one is ${bytes})`;
  let tx: ReturnType<typeof TransactionFactory.fromSerializedData>;
  try {
    tx = TransactionFactory.fromSerializedData(Buffer.from(raw.slice(2), "hex"));
  } catch {
    return "eth_sendRawTransaction: not a signed transaction this chain can read";
  }
  const gas = BigInt(tx.gasLimit.toString());
  if (gas > MAX_TX_GAS) return `a transaction here may use at most ${MAX_TX_GAS} gas (this one asks for ${gas}; a place call may meet up to ${REMOTE_MAX_MATCHES} orders)`;
  const price = BigInt(("maxFeePerGas" in tx ? tx.maxFeePerGas : (tx as { gasPrice: { toString(): string } }).gasPrice).toString());
  if (price < minGasPrice) return `this class chain's minimum gas price is ${minGasPrice} wei (this transaction offers ${price}); ask eth_gasPrice`;
  return undefined;
}
