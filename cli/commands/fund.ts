// `carbon fund <account> <ether>`: the teacher sends an account ether for bids' escrow and gas. On a
// class chain it comes from the chain's faucet, which pays this machine's callers any amount it holds
// (a student's own request gets one fixed grant); on any other chain, or with --from, it is a plain
// transfer from an account whose key is here, the regulator unless --from says otherwise.
import type { Market } from "../chain/market";
import { FUND_METHOD } from "../gate/policy";
import { RpcError } from "../chain/rpc";
import { parseEther } from "../input/order-book";
import { parseAccount, type AccountRef } from "../input/values";
import { RefusedError } from "../support/errors";
import { optionalString, type Flags } from "./command";

export interface FundOptions {
  account: AccountRef;
  wei: bigint;
  from?: AccountRef;
}

export interface Funded {
  account: string;
  wei: bigint;
  /** "faucet" (the class chain's), or the address that sent it. */
  source: string;
  balance: bigint;
  txHash: string;
}

/** A node without the method: not a class chain's gate (Ganache's own server says so in words, code -32000). */
const NO_SUCH_METHOD = -32601;
const NO_SUCH_METHOD_TEXT = /does not exist|is not available|method not found|not supported/i;

export function parse([account, amount]: string[], flags: Flags): FundOptions {
  const from = optionalString(flags, "from");
  return { account: parseAccount(account), wei: parseEther(amount ?? "", "amount"), ...(from === undefined ? {} : { from: parseAccount(from, "--from") }) };
}

export async function run(market: Market, options: FundOptions): Promise<Funded> {
  const account = await market.resolve(options.account);
  if (options.from === undefined) {
    const fromFaucet = await faucetPayment(market, account, options.wei);
    if (fromFaucet) return fromFaucet;
  }
  const from = options.from ? await market.resolve(options.from, "--from") : market.regulator;
  const mined = await market.sendEther(account, options.wei, from);
  return { account, wei: options.wei, source: from, balance: await market.etherBalance(account), txHash: mined.txHash };
}

/** The class chain's faucet pays, or undefined when the node has none. */
async function faucetPayment(market: Market, account: string, wei: bigint): Promise<Funded | undefined> {
  let paid: { txHash?: string };
  try {
    paid = await market.rpc.request<{ txHash?: string }>(FUND_METHOD, [account, "0x" + wei.toString(16)]);
  } catch (error) {
    if (error instanceof RpcError && (error.code === NO_SUCH_METHOD || NO_SUCH_METHOD_TEXT.test(error.message))) return undefined;
    if (error instanceof RpcError) throw new RefusedError(`the class chain's faucet did not pay: ${error.message}`);
    throw error;
  }
  if (!paid.txHash) throw new RefusedError("the class chain's faucet answered without a transaction");
  await market.waitForTransaction(paid.txHash);
  return { account, wei, source: "faucet", balance: await market.etherBalance(account), txHash: paid.txHash };
}
