// What a remote caller may ask of a class chain. Ganache answers its development and admin methods
// (evm_*, personal_*, miner_*...) and signs with its unlocked keys for anyone who reaches it, so a
// served chain passes a remote caller only what reads state and what carries its own signature
// (eth_sendRawTransaction), plus the gate's own faucet method. Everything else is refused.
//
// An allow list, not a deny list: a method Ganache adds later is refused until someone decides.

/** Reads, and the one write that needs no key of the node's. */
export const REMOTE_METHODS = new Set([
  "eth_chainId",
  "net_version",
  "net_listening",
  "web3_clientVersion",
  "eth_blockNumber",
  "eth_call",
  "eth_estimateGas",
  "eth_gasPrice",
  "eth_feeHistory",
  "eth_maxPriorityFeePerGas",
  "eth_getBalance",
  "eth_getCode",
  "eth_getStorageAt",
  "eth_getTransactionCount",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getBlockTransactionCountByNumber",
  "eth_getBlockTransactionCountByHash",
  "eth_getLogs",
  "eth_syncing",
  "eth_sendRawTransaction",
]);

/** Answered by the gate itself for remote callers: the node's accounts are not theirs to use. */
export const REMOTE_EMPTY_ACCOUNTS = new Set(["eth_accounts"]);

/** The gate's own method: ether for gas, for a new address (faucet.ts). */
export const FUND_METHOD = "carbon_fund";

/**
 * The gate's own method for this machine only: the machines that used the class chain lately, so the
 * teacher's session can say who would lose it before stopping it.
 */
export const CLASS_STATUS_METHOD = "carbon_classStatus";

/** How recently a machine must have asked something to count as using the class chain. */
export const RECENT_CALLER_MS = 5 * 60_000;

/** The widest block range one eth_getLogs may ask for: a remote caller cannot make the node scan the whole chain at once. */
export const MAX_LOG_RANGE = 10_000;

/**
 * The gas a remote eth_call or eth_estimateGas may use. Ganache runs a call's EVM without yielding,
 * so a looping call at its default (50 M gas) held everyone for about a minute. Measured on this
 * machine: a loop at 300,000 gas ran 0.3 to 0.8 s, at 1 M 1.6 to 2.1 s. The market's reads are view
 * calls over mappings and bounded pages, and the product's clients estimate no gas (cli/chain/gas.ts
 * fixes each write's limit); the class tests' sessions read through this cap.
 */
export const REMOTE_CALL_GAS = 300_000n;

/** JSON-RPC error codes the gate answers with. */
export const ERRORS = {
  parse: -32700,
  invalidRequest: -32600,
  /** "method not found" is what a client expects of a method a node does not offer. */
  refused: -32601,
  invalidParams: -32602,
  internal: -32603,
} as const;

export type Verdict = { pass: true } | { pass: false; code: number; message: string };

/** Whether a remote caller may send this request; eth_getLogs ranges are checked by the gate, which knows the head. */
export function remoteVerdict(method: unknown): Verdict {
  if (typeof method !== "string") return { pass: false, code: ERRORS.invalidRequest, message: "invalid request: no method" };
  if (REMOTE_METHODS.has(method)) return { pass: true };
  return {
    pass: false,
    code: ERRORS.refused,
    message: `${method} is not available to remote callers of this class chain: sign transactions locally and send them with eth_sendRawTransaction`,
  };
}

/** Callers on this machine keep everything (the teacher's session, the clock for a class): loopback, and this machine's own addresses. */
export function isLocalCaller(address: string | undefined, ownAddresses: ReadonlySet<string>): boolean {
  if (!address) return false;
  const plain = address.replace(/^::ffff:/, "");
  return plain === "127.0.0.1" || plain === "::1" || ownAddresses.has(plain);
}
