// The market's contracts: their addresses, which of them is at an address, and reading them (each
// one's codec, its views, its events). The readers beside Market (market-lists.ts,
// activity-history.ts, market-sender.ts) are handed these, so that none of them needs Market itself.
import type { MarketCodec, RawLog } from "./abi";
import type { ContractName } from "./artifacts";
import type { MarketContracts } from "./discovery";
import type { Rpc } from "./rpc";
import { hexQuantity } from "./signer";

export const ZERO_ADDRESS = "0x" + "0".repeat(40);

/** Where each of the market's contracts is (lower-case addresses; Customer and Seller are Carbon's registries). */
export type { MarketContracts };

/** A view of one of the market's contracts (Carbon by default), decoded. */
export type ContractView = <T extends unknown[]>(name: string, args?: unknown[], contract?: ContractName) => Promise<T>;

/** Which of the market's contracts is at `address` (Carbon or a module), if any. */
export function contractAt(contracts: MarketContracts, address: string): ContractName | undefined {
  const lower = address.toLowerCase();
  if (lower === contracts.Carbon) return "Carbon";
  if (lower === contracts.Compliance) return "Compliance";
  if (lower === contracts.OrderBook) return "OrderBook";
  if (contracts.Lesson !== undefined && lower === contracts.Lesson) return "Lesson";
  if (contracts.Auction !== undefined && lower === contracts.Auction) return "Auction";
  return undefined;
}

/** The address of one of the market's contracts; the lesson's modules only once attached (Market.lessonModule). */
export function addressOf(contracts: MarketContracts, contract: ContractName): string {
  const address = contracts[contract];
  if (address === undefined) throw new Error(`the market's ${contract} is not attached: call Market.lessonModule first`);
  return address;
}

/** A decoded event of one of the market's contracts, and where it is. */
export interface ContractEvent {
  name: string;
  args: Record<string, unknown>;
  block: number;
  txHash: string;
  logIndex: number;
}

/** Views and events of the market's contracts, each decoded with its contract's codec. */
export class ContractReader {
  private readonly moduleCodecs = new Map<ContractName, MarketCodec>();

  constructor(
    private readonly rpc: Rpc,
    private readonly contracts: MarketContracts,
    private readonly codec: MarketCodec,
  ) {}

  /** The codec of one of the market's contracts (a module's artifact is read on first use). */
  codecOf(contract: ContractName): MarketCodec {
    if (contract === "Carbon") return this.codec;
    let codec = this.moduleCodecs.get(contract);
    if (!codec) {
      const { contractArtifact } = require("./artifacts") as typeof import("./artifacts");
      const { MarketCodec: Codec } = require("./abi") as typeof import("./abi");
      const artifact = contractArtifact(contract);
      this.moduleCodecs.set(contract, (codec = new Codec(artifact.abi, artifact.hashes)));
    }
    return codec;
  }

  async view<T extends unknown[]>(name: string, args: unknown[] = [], contract: ContractName = "Carbon"): Promise<T> {
    const codec = this.codecOf(contract);
    const data = await this.rpc.request<string>("eth_call", [{ to: addressOf(this.contracts, contract), data: codec.encodeCall(name, args) }, "latest"]);
    return codec.decodeResult(name, data) as T;
  }

  /**
   * One contract's events of one kind from `fromBlock` to `toBlock` (inclusive), decoded, oldest
   * first: what order-book.ts reads trades and new orders with. `topics` filter the indexed arguments
   * after the event's own topic (null for any). One eth_getLogs: the caller bounds the range.
   */
  async events(contract: ContractName, name: string, fromBlock: number, toBlock: number | "latest", topics: Array<string | null> = []): Promise<ContractEvent[]> {
    const codec = this.codecOf(contract);
    const logs = await this.rpc.request<RawLog[]>("eth_getLogs", [
      { address: addressOf(this.contracts, contract), fromBlock: hexQuantity(BigInt(fromBlock)), toBlock: toBlock === "latest" ? toBlock : hexQuantity(BigInt(toBlock)), topics: [codec.eventTopic(name), ...topics] },
    ]);
    return logs.map((log) => ({ ...codec.decodeLog(log)!, block: Number(log.blockNumber), txHash: log.transactionHash, logIndex: Number(log.logIndex) }));
  }

  /** One contract's events in a mined transaction, decoded, in order (e.g. the order ID a placeBid got). */
  async transactionEvents(txHash: string, contract: ContractName): Promise<ContractEvent[]> {
    const receipt = await this.rpc.request<{ logs: RawLog[] } | null>("eth_getTransactionReceipt", [txHash]);
    const codec = this.codecOf(contract);
    return (receipt?.logs ?? [])
      .filter((log) => log.address.toLowerCase() === addressOf(this.contracts, contract))
      .map((log) => ({ ...codec.decodeLog(log)!, block: Number(log.blockNumber), txHash: log.transactionHash, logIndex: Number(log.logIndex) }))
      .filter((event) => event.name !== undefined);
  }
}
