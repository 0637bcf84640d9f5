// How the market sends a write and reads what came of it: the sender's key checked first, the
// call encoded for its contract, signed and sent through the Writer (transactions.ts, loaded on
// the first write), each stage told to the watchers, and the outcome event read from the receipt;
// a revert the checks did not foresee is replayed to name its custom error.
import { RefusedError, UsageError } from "../support/errors";
import type { MarketCodec } from "./abi";
import type { ContractName } from "./artifacts";
import type { Endpoint } from "./endpoint";
import { addressOf, contractAt, type MarketContracts } from "./market-contracts";
import type { Outcome, TransactionEvent, TransactionStatus } from "./outcome";
import { hexQuantity } from "./signer";
import type { Mined, Writer } from "./transactions";

/** How a write is sent: to which of the market's contracts, and what its outcome event is called. */
export interface SendOptions {
  /** Carbon unless a module's method. */
  contract?: ContractName;
  /** The outcome event `(sender, isSuccess, message)`; by default the method's name capitalised. */
  event?: string;
  /** Ether sent with the call, in wei. */
  value?: bigint;
  /** A gas limit for a method whose gas depends on an argument (gas.ts's fixed limit otherwise). */
  gas?: bigint;
}

/** A write on a market taken on trust that the chain then did not prove (connectEarly): nothing was sent. */
export class UnconfirmedMarketError extends Error {
  constructor() {
    super("the market remembered from the last connect is not on this chain any more; connect afresh");
  }
}

/** What the sender needs of the market: the endpoint, the chain, the contracts and their codecs, the accounts. */
export interface SenderParts {
  endpoint: Endpoint;
  chainId: number;
  label: string;
  contracts: MarketContracts;
  codecOf(contract: ContractName): MarketCodec;
  accounts(): Promise<string[]>;
  /** A market taken on trust from the last connect (connect.ts connectEarly): whether the chain proved it. Nothing is signed before. */
  confirmed?: Promise<boolean>;
}

export class MarketSender {
  private writerInstance?: Writer;
  private readonly watchers = new Set<(event: TransactionEvent) => void>();

  constructor(private readonly parts: SenderParts) {}

  /** Calls `listener` as each transaction is sent and mined; returns the function that stops it. */
  watch(listener: (event: TransactionEvent) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** Before anything is signed: a market taken on trust must have been proved by the chain. */
  private async requireConfirmed(): Promise<void> {
    if (this.parts.confirmed && !(await this.parts.confirmed)) throw new UnconfirmedMarketError();
  }

  /** A key for the sender must be here: a wallet, CARBON_MNEMONIC, or the node's accounts. */
  /** Whether a key for `from` is here (a wallet, CARBON_MNEMONIC or the node's accounts). */
  async holdsKey(from: string): Promise<boolean> {
    await this.requireConfirmed();
    return this.writer().canSend(from);
  }

  async requireSigner(from: string): Promise<void> {
    await this.requireConfirmed();
    const writer = this.writer();
    if (!(await writer.canSend(from))) {
      throw new UsageError(`cannot send from ${from.toLowerCase()}: no key for it here${await this.noKeyHint()}`);
    }
    writer.prepare(from);
  }

  /** Plain ether from `from` (a key here) to `to`: `carbon fund` where there is no class faucet. */
  async sendEther(to: string, wei: bigint, from: string): Promise<Mined> {
    await this.requireSigner(from);
    this.notify({ phase: "sending", method: "transfer" });
    try {
      const mined = await this.writer().send({ method: "transfer", to, data: "0x", from, value: wei }, { onHash: (txHash, resumed) => this.notify({ phase: "sent", method: "transfer", txHash, resumed }) });
      this.notify({ phase: "mined", method: "transfer", txHash: mined.txHash });
      if (!mined.status) throw new RefusedError(`the transfer to ${to} failed in ${mined.txHash} (block ${mined.block})`);
      return mined;
    } catch (error) {
      this.notify({ phase: "failed", method: "transfer" });
      throw error;
    }
  }

  async send(method: string, args: unknown[], from: string, options: SendOptions = {}): Promise<Outcome> {
    const contract = options.contract ?? "Carbon";
    const event = options.event ?? method[0].toUpperCase() + method.slice(1);
    const data = this.parts.codecOf(contract).encodeCall(method, args);
    await this.requireConfirmed();
    this.notify({ phase: "sending", method });
    let mined: Mined;
    try {
      mined = await this.writer().send(
        { method, to: addressOf(this.parts.contracts, contract), data, from, ...(options.value ? { value: options.value } : {}), ...(options.gas ? { gas: options.gas } : {}) },
        {
          onHash: (txHash, resumed) => this.notify({ phase: "sent", method, txHash, resumed }),
          onAccepted: (txHash) => this.notify({ phase: "accepted", method, txHash }),
          onQueued: () => this.notify({ phase: "queued", method }),
        },
      );
    } catch (error) {
      this.notify({ phase: "failed", method });
      throw error;
    }
    this.notify({ phase: "mined", method, txHash: mined.txHash });
    if (!mined.status) throw await this.explainRevert(method, data, from, mined, contract, options);
    const outcome = this.outcomeOf(mined, event);
    if (!outcome) throw new RefusedError(`${method} was mined in ${mined.txHash} (block ${mined.block}) without a ${event} event: it is not a transaction of this market's ${method}`);
    return outcome;
  }

  /**
   * A transaction's state now: mined (with the market's outcome if it is one of its writes),
   * pending in the node's pool, or unknown to the node. Never waits.
   */
  async transactionStatus(hash: string): Promise<TransactionStatus> {
    const status = await this.writer().status(hash.toLowerCase());
    if (status.state !== "mined") return { state: status.state, txHash: hash.toLowerCase() };
    return this.minedStatus(status.mined);
  }

  /** Waits up to `timeoutMs` for a transaction to be mined; OutcomeUnknownError (exit 4) if it is not. */
  async waitForTransaction(hash: string, timeoutMs?: number): Promise<TransactionStatus> {
    return this.minedStatus(await this.writer().wait(hash.toLowerCase(), timeoutMs));
  }

  private writer(): Writer {
    if (!this.writerInstance) {
      const { Writer } = require("./transactions") as typeof import("./transactions");
      this.writerInstance = new Writer({
        rpc: this.parts.endpoint.rpc,
        chainId: this.parts.chainId,
        keys: this.parts.endpoint.keys(this.parts.endpoint.signsLocally ? undefined : this.parts.accounts()),
        label: this.parts.label,
        noKeyHint: () => this.noKeyHint(),
      });
    }
    return this.writerInstance;
  }

  /** Why no key was found, with what to do: a node without accounts needs CARBON_MNEMONIC. */
  private async noKeyHint(): Promise<string> {
    if (this.parts.endpoint.hasMnemonic) return ` (it is not among CARBON_MNEMONIC's ${(await this.parts.accounts()).length} addresses; see \`carbon accounts\`)`;
    const accounts = await this.parts.accounts();
    if (accounts.length === 0) return `: the node at ${this.parts.label} holds no accounts; sign with a key of your own (\`carbon wallet create\` or \`carbon wallet import\`), or set CARBON_MNEMONIC`;
    return ` (${this.parts.label} holds no key for it; import yours with \`carbon wallet import\`, see \`carbon accounts\`, or set CARBON_MNEMONIC)`;
  }

  /** The thesis's outcome event in a mined transaction, if it has one (from any of the market's contracts). */
  private outcomeOf(mined: Mined, event?: string): Outcome | undefined {
    for (const log of mined.logs) {
      const contract = contractAt(this.parts.contracts, log.address);
      if (!contract) continue;
      const decoded = this.parts.codecOf(contract).decodeLog(log);
      if (!decoded || !("isSuccess" in decoded.args) || !("message" in decoded.args) || (event && decoded.name !== event)) continue;
      return { ok: Boolean(decoded.args.isSuccess), message: String(decoded.args.message), event: decoded.name, txHash: mined.txHash, block: mined.block, gasUsed: mined.gasUsed };
    }
    return undefined;
  }

  /**
   * A transaction that reverted despite the checks (a race, another client): replayed as a call on
   * the state before its block to read the custom error, which is named (exit 1, with the hash).
   */
  private async explainRevert(method: string, data: string, from: string, mined: Mined, contract: ContractName = "Carbon", options: SendOptions = {}): Promise<Error> {
    const { gasLimit } = require("./gas") as typeof import("./gas");
    const where = `in ${mined.txHash} (block ${mined.block})`;
    const limit = options.gas ?? gasLimit(method);
    if (BigInt(mined.gasUsed) >= limit) {
      return new RefusedError(`${method} ran out of gas ${where} at its fixed limit of ${mined.gasUsed}: the limits in cli/chain/gas.ts are too low for this contract`);
    }
    let reason = "";
    try {
      await this.parts.endpoint.rpc.request("eth_call", [{ from, to: addressOf(this.parts.contracts, contract), data, gas: hexQuantity(limit), ...(options.value ? { value: hexQuantity(options.value) } : {}) }, hexQuantity(BigInt(mined.block - 1))]);
    } catch (error) {
      const revert = revertData(error);
      const decoded = revert ? this.parts.codecOf(contract).decodeError(revert) : undefined;
      if (decoded) reason = `: ${decoded.name}(${Object.values(decoded.args).map(String).join(", ")})`;
      else if (revert?.startsWith("0x4e487b71")) reason = `: Panic(0x${revert.slice(-2)})${revert.endsWith("11") ? ", an arithmetic overflow" : ""}`;
    }
    return new RefusedError(`the market reverted ${method} ${where}${reason}`);
  }

  private minedStatus(mined: Mined): TransactionStatus {
    return { state: "mined", txHash: mined.txHash, block: mined.block, gasUsed: mined.gasUsed, reverted: !mined.status, outcome: this.outcomeOf(mined) };
  }

  private notify(event: TransactionEvent): void {
    for (const watcher of this.watchers) watcher(event);
  }
}

/** The revert data inside whatever web3 or @truffle/contract threw, if any. */
function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const search = (value: unknown, depth: number): string | undefined => {
    if (depth > 5 || value === null || value === undefined || seen.has(value)) return undefined;
    if (typeof value === "string") return /^0x[0-9a-fA-F]{8}/.test(value) && value.length % 2 === 0 && value.length < 4000 ? value : undefined;
    if (typeof value !== "object") return undefined;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of ["data", "result", "return", "error", "originalError", "innerError", "cause"]) {
      const found = search(record[key], depth + 1);
      if (found) return found;
    }
    if (typeof record.message === "string") {
      const match = /0x[0-9a-fA-F]{8,}/.exec(record.message);
      if (match && match[0].length !== 66) return match[0];
    }
    return undefined;
  };
  return search(error, 0);
}
