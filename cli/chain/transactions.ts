// Transactions: the market's methods sent through @truffle/contract over the endpoint's provider.
// Loaded only by commands that send (@truffle/contract takes ~1 s to load; see market.ts).
import type { AbiItem } from "./artifacts";
import type { LegacyProvider } from "./endpoint";

export interface SentTransaction {
  txHash: string;
  block: number;
  gasUsed: number;
  /** The receipt's logs as @truffle/contract decoded them. */
  events: Array<{ event: string; args: Record<string, unknown> }>;
}

interface TruffleInstance {
  [method: string]: (...args: unknown[]) => Promise<{
    tx: string;
    receipt: { blockNumber: number; gasUsed: number };
    logs: Array<{ event: string; args: Record<string, unknown> }>;
  }>;
}

export class TransactionSender {
  private instance?: Promise<TruffleInstance>;

  constructor(
    private readonly provider: LegacyProvider,
    private readonly abi: AbiItem[],
    private readonly address: string,
  ) {}

  private bind(): Promise<TruffleInstance> {
    if (!this.instance) {
      const contract = require("@truffle/contract") as (artifact: object) => {
        setProvider(provider: LegacyProvider): void;
        at(address: string): Promise<TruffleInstance>;
        disableConfirmationListener: boolean;
      };
      const Carbon = contract({ contractName: "Carbon", abi: this.abi });
      Carbon.setProvider(this.provider);
      // Otherwise web3 polls for 24 confirmations after the receipt, keeping the process alive for
      // minutes on a chain that only mines when it is sent something.
      Carbon.disableConfirmationListener = true;
      this.instance = Carbon.at(this.address);
    }
    return this.instance;
  }

  async send(method: string, args: unknown[], from: string): Promise<SentTransaction> {
    const instance = await this.bind();
    const result = await instance[method](...args, { from });
    return {
      txHash: result.tx,
      block: Number(result.receipt.blockNumber),
      gasUsed: Number(result.receipt.gasUsed),
      events: result.logs.map(({ event, args }) => ({ event, args })),
    };
  }
}
