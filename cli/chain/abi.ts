// The market's ABI codec: call data for views, and decoding of results, logs and revert data, all
// through web3.js's codec (web3-eth-abi). Reads use this over plain JSON-RPC, so a read command never
// loads web3 or @truffle/contract (see market.ts).
import type { AbiItem, AbiParameter } from "./artifacts";

type Coder = typeof import("web3-eth-abi").default;

export interface DecodedLog {
  name: string;
  args: Record<string, unknown>;
}

export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
  logIndex: string;
}

export class MarketCodec {
  private readonly coder: Coder;
  private readonly abi: AbiItem[];
  private readonly functions = new Map<string, AbiItem>();
  private readonly events = new Map<string, AbiItem>();
  private readonly eventsByTopic = new Map<string, AbiItem>();
  private readonly errorsBySelector = new Map<string, AbiItem>();

  constructor(abi: AbiItem[]) {
    // Loaded here, not at the top, so that --help and bad input never pay for it.
    const loaded = require("web3-eth-abi") as Coder | { default: Coder };
    this.coder = "default" in loaded && loaded.default ? loaded.default : (loaded as Coder);
    for (const item of abi) {
      if (!item.name) continue;
      if (item.type === "function") this.functions.set(item.name, item);
      if (item.type === "event") this.events.set(item.name, item);
    }
    this.abi = abi;
  }

  private function(name: string): AbiItem {
    const item = this.functions.get(name);
    if (!item) throw new Error(`the Carbon ABI has no function ${name}; rebuild with \`npm run build\``);
    return item;
  }

  encodeCall(name: string, args: unknown[] = []): string {
    return this.coder.encodeFunctionCall(this.function(name) as never, args as string[]);
  }

  /** The outputs of a view, in order; uint256 comes back as a decimal string, tuples as arrays with names. */
  decodeResult(name: string, data: string): unknown[] {
    const outputs = this.function(name).outputs ?? [];
    const decoded = this.coder.decodeParameters(outputs as never[], data);
    return outputs.map((_, i) => decoded[i]);
  }

  eventTopic(name: string): string {
    const item = this.events.get(name);
    if (!item) throw new Error(`the Carbon ABI has no event ${name}; rebuild with \`npm run build\``);
    return this.coder.encodeEventSignature(item as never);
  }

  /** One log of the market, decoded; undefined for a log of another contract or event. */
  decodeLog(log: Pick<RawLog, "topics" | "data">): DecodedLog | undefined {
    if (this.eventsByTopic.size === 0) {
      for (const item of this.events.values()) this.eventsByTopic.set(this.coder.encodeEventSignature(item as never), item);
    }
    const item = this.eventsByTopic.get(log.topics[0]?.toLowerCase() ?? "");
    if (!item) return undefined;
    const decoded = this.coder.decodeLog((item.inputs ?? []) as never[], log.data, log.topics.slice(1));
    return { name: item.name!, args: named(item.inputs ?? [], decoded) };
  }

  /** A custom error from revert data, e.g. `CarbonNotSeller(0x…)`; undefined if it is not one of the market's. */
  decodeError(data: string): DecodedLog | undefined {
    if (this.errorsBySelector.size === 0) {
      for (const item of this.abi) {
        if (item.type === "error") this.errorsBySelector.set(this.coder.encodeFunctionSignature(item as never), item);
      }
    }
    const item = this.errorsBySelector.get(data.slice(0, 10).toLowerCase());
    if (!item) return undefined;
    const decoded = this.coder.decodeParameters((item.inputs ?? []) as never[], "0x" + data.slice(10));
    return { name: item.name!, args: named(item.inputs ?? [], decoded) };
  }

  /** A value as a topic: an address or a small integer, left-padded to 32 bytes. */
  topic(value: string | number): string {
    return this.coder.encodeParameter(typeof value === "number" ? "uint256" : "address", value);
  }
}

function named(inputs: AbiParameter[], decoded: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  inputs.forEach((input, i) => (args[input.name || String(i)] = decoded[i]));
  return args;
}
