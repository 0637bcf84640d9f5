// The market's ABI codec: call data for views and writes, and decoding of results, logs and revert
// data. Written for the types the market's ABI uses (address, bool, uintN/intN, bytesN, string,
// bytes, arrays and tuples of them), because a general codec costs its load time on every command:
// web3-eth-abi takes ~190 ms to load, this ~1 ms. Selectors and event topics (keccak256 of the
// signatures) are computed once per compiled artifact and kept in its slim copy (artifacts.ts), so a
// read loads no hashing code at all.

/** The parts of a Solidity ABI entry the codec reads, as solc writes them. */
export interface AbiParameter {
  name: string;
  type: string;
  indexed?: boolean;
  internalType?: string;
  components?: AbiParameter[];
}

export interface AbiItem {
  type: "function" | "event" | "error" | "constructor" | "fallback" | "receive";
  name?: string;
  inputs?: AbiParameter[];
  outputs?: AbiParameter[];
  stateMutability?: string;
  anonymous?: boolean;
}

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

/** `name(type1,type2)` with tuples spelled out, as selectors and topics hash it. */
export function signature(item: Pick<AbiItem, "name" | "inputs">): string {
  return `${item.name}(${(item.inputs ?? []).map(canonicalType).join(",")})`;
}

function canonicalType(param: AbiParameter): string {
  if (param.type.startsWith("tuple")) return `(${(param.components ?? []).map(canonicalType).join(",")})${param.type.slice(5)}`;
  return param.type;
}

/** keccak256 of every signature in the ABI, for the slim artifact (artifacts.ts). */
export function hashSignatures(abi: AbiItem[]): Record<string, string> {
  const { keccak_256: keccak256 } = require("@noble/hashes/sha3") as typeof import("@noble/hashes/sha3");
  const hashes: Record<string, string> = {};
  for (const item of abi) {
    if (!item.name || !["function", "event", "error"].includes(item.type)) continue;
    const text = signature(item);
    hashes[text] = "0x" + Buffer.from(keccak256(Buffer.from(text))).toString("hex");
  }
  return hashes;
}

export class MarketCodec {
  private readonly functions = new Map<string, AbiItem>();
  private readonly events = new Map<string, AbiItem>();
  private readonly eventsByTopic = new Map<string, AbiItem>();
  private readonly errorsBySelector = new Map<string, AbiItem>();
  private readonly hashes: Record<string, string>;

  constructor(abi: AbiItem[], hashes?: Record<string, string>) {
    this.hashes = hashes ?? hashSignatures(abi);
    for (const item of abi) {
      if (!item.name) continue;
      if (item.type === "function") this.functions.set(item.name, item);
      if (item.type === "event") {
        this.events.set(item.name, item);
        this.eventsByTopic.set(this.hash(item), item);
      }
      if (item.type === "error") this.errorsBySelector.set(this.hash(item).slice(0, 10), item);
    }
  }

  private hash(item: AbiItem): string {
    const text = signature(item);
    const found = this.hashes[text];
    if (found) return found;
    return (this.hashes[text] = hashSignatures([item])[text]);
  }

  private function(name: string): AbiItem {
    const item = this.functions.get(name);
    if (!item) throw new Error(`the Carbon ABI has no function ${name}; rebuild with \`npm run build\``);
    return item;
  }

  /** Whether the ABI has this function (a contract built before a view was added lacks it). */
  hasFunction(name: string): boolean {
    return this.functions.has(name);
  }

  encodeCall(name: string, args: unknown[] = []): string {
    const item = this.function(name);
    return this.hash(item).slice(0, 10) + encode(item.inputs ?? [], args).toString("hex");
  }

  /** The outputs of a view, in order; uint256 as a decimal string, addresses in lower case, tuples as objects with names. */
  decodeResult(name: string, data: string): unknown[] {
    return decode(this.function(name).outputs ?? [], bytes(data));
  }

  eventTopic(name: string): string {
    const item = this.events.get(name);
    if (!item) throw new Error(`the Carbon ABI has no event ${name}; rebuild with \`npm run build\``);
    return this.hash(item);
  }

  /** One log of the market, decoded; undefined for a log of another contract or event. */
  decodeLog(log: Pick<RawLog, "topics" | "data">): DecodedLog | undefined {
    const item = this.eventsByTopic.get(log.topics[0]?.toLowerCase() ?? "");
    if (!item) return undefined;
    const inputs = item.inputs ?? [];
    const plain = decode(inputs.filter((input) => !input.indexed), bytes(log.data));
    const args: Record<string, unknown> = {};
    let topic = 1;
    let datum = 0;
    inputs.forEach((input, i) => {
      // An indexed dynamic value is only its hash in the topic.
      const value = input.indexed ? (isDynamic(input) ? log.topics[topic++] : decode([input], bytes(log.topics[topic++]))[0]) : plain[datum++];
      args[input.name || String(i)] = value;
    });
    return { name: item.name!, args };
  }

  /** A custom error from revert data, e.g. `CarbonNotSeller(0x…)`; undefined if it is not one of the market's. */
  decodeError(data: string): DecodedLog | undefined {
    const item = this.errorsBySelector.get(data.slice(0, 10).toLowerCase());
    if (!item) return undefined;
    const inputs = item.inputs ?? [];
    const values = decode(inputs, bytes("0x" + data.slice(10)));
    const args: Record<string, unknown> = {};
    inputs.forEach((input, i) => (args[input.name || String(i)] = values[i]));
    return { name: item.name!, args };
  }

  /** A value as a topic: an address or a small integer, left-padded to 32 bytes. */
  topic(value: string | number): string {
    return "0x" + encode([{ name: "", type: typeof value === "number" ? "uint256" : "address" }], [value]).toString("hex");
  }
}

// ------------------------------------------------------------------ encoding

function bytes(hex: string): Buffer {
  return Buffer.from(hex.replace(/^0x/, ""), "hex");
}

function arrayOf(type: string): { inner: string; length?: number } | undefined {
  const match = /^(.*)\[(\d*)\]$/.exec(type);
  return match ? { inner: match[1], ...(match[2] ? { length: Number(match[2]) } : {}) } : undefined;
}

function isDynamic(param: AbiParameter): boolean {
  if (param.type === "string" || param.type === "bytes") return true;
  const array = arrayOf(param.type);
  if (array) return array.length === undefined || isDynamic({ ...param, type: array.inner });
  if (param.type === "tuple") return (param.components ?? []).some(isDynamic);
  return false;
}

function word(value: bigint): Buffer {
  const normalized = value < 0n ? (1n << 256n) + value : value;
  if (normalized < 0n || normalized >= 1n << 256n) throw new RangeError(`${value} does not fit in 256 bits`);
  return Buffer.from(normalized.toString(16).padStart(64, "0"), "hex");
}

function padRight(data: Buffer): Buffer {
  const padded = Buffer.alloc(Math.ceil(data.length / 32) * 32);
  data.copy(padded);
  return padded;
}

/** abi.encode of `values` as `types` (e.g. a commitment's preimage), without a selector. */
export function encodeParameters(types: string[], values: unknown[]): Buffer {
  return encode(types.map((type) => ({ name: "", type })), values);
}

function encode(params: AbiParameter[], values: unknown[]): Buffer {
  const heads: Buffer[] = [];
  const tails: Buffer[] = [];
  const headSize = params.reduce((size, param) => size + (isDynamic(param) ? 32 : staticSize(param)), 0);
  let tailOffset = headSize;
  params.forEach((param, i) => {
    const encoded = encodeOne(param, values[i]);
    if (isDynamic(param)) {
      heads.push(word(BigInt(tailOffset)));
      tails.push(encoded);
      tailOffset += encoded.length;
    } else heads.push(encoded);
  });
  return Buffer.concat([...heads, ...tails]);
}

function staticSize(param: AbiParameter): number {
  const array = arrayOf(param.type);
  if (array && array.length !== undefined) return array.length * staticSize({ ...param, type: array.inner });
  if (param.type === "tuple") return (param.components ?? []).reduce((size, c) => size + staticSize(c), 0);
  return 32;
}

function encodeOne(param: AbiParameter, value: unknown): Buffer {
  const { type } = param;
  const array = arrayOf(type);
  if (array) {
    const items = value as unknown[];
    const inner = { ...param, type: array.inner };
    const body = encode(items.map(() => inner), items);
    return array.length === undefined ? Buffer.concat([word(BigInt(items.length)), body]) : body;
  }
  if (type === "tuple") {
    const components = param.components ?? [];
    const list = Array.isArray(value) ? value : components.map((c) => (value as Record<string, unknown>)[c.name]);
    return encode(components, list);
  }
  if (type === "address") {
    const text = String(value);
    if (!/^0x[0-9a-fA-F]{40}$/.test(text)) throw new TypeError(`"${text}" is not an address`);
    return word(BigInt(text));
  }
  if (type === "bool") return word(value ? 1n : 0n);
  if (/^u?int\d*$/.test(type)) return word(BigInt(value as string | number | bigint));
  if (type === "string" || type === "bytes") {
    const data = type === "string" ? Buffer.from(String(value), "utf8") : bytes(String(value));
    return Buffer.concat([word(BigInt(data.length)), padRight(data)]);
  }
  const fixed = /^bytes(\d+)$/.exec(type);
  if (fixed) {
    const data = bytes(String(value));
    if (data.length !== Number(fixed[1])) throw new TypeError(`"${value}" is not ${fixed[1]} bytes`);
    return padRight(data);
  }
  throw new TypeError(`the ABI type ${type} is not supported by cli/chain/abi.ts`);
}

// ------------------------------------------------------------------ decoding

function decode(params: AbiParameter[], data: Buffer, base = 0): unknown[] {
  let head = base;
  return params.map((param) => {
    let value: unknown;
    if (isDynamic(param)) value = decodeOne(param, data, base + Number(readWord(data, head)));
    else value = decodeOne(param, data, head);
    head += isDynamic(param) ? 32 : staticSize(param);
    return value;
  });
}

function readWord(data: Buffer, offset: number): bigint {
  if (offset + 32 > data.length) throw new RangeError(`the answer is too short to decode (${data.length} bytes, needed ${offset + 32})`);
  return BigInt("0x" + data.subarray(offset, offset + 32).toString("hex"));
}

function decodeOne(param: AbiParameter, data: Buffer, offset: number): unknown {
  const { type } = param;
  const array = arrayOf(type);
  if (array) {
    const inner = { ...param, type: array.inner };
    const length = array.length ?? Number(readWord(data, offset));
    const start = array.length === undefined ? offset + 32 : offset;
    if (length > data.length) throw new RangeError("an array longer than the answer");
    return decode(Array.from({ length }, () => inner), data, start);
  }
  if (type === "tuple") {
    const components = param.components ?? [];
    const values = decode(components, data, offset);
    const tuple: Record<string, unknown> = {};
    components.forEach((c, i) => {
      tuple[i] = values[i];
      if (c.name) tuple[c.name] = values[i];
    });
    return tuple;
  }
  if (type === "address") return "0x" + data.subarray(offset + 12, offset + 32).toString("hex");
  if (type === "bool") return readWord(data, offset) !== 0n;
  if (/^uint\d*$/.test(type)) return readWord(data, offset).toString();
  if (/^int\d*$/.test(type)) {
    const raw = readWord(data, offset);
    return (raw >= 1n << 255n ? raw - (1n << 256n) : raw).toString();
  }
  if (type === "string" || type === "bytes") {
    const length = Number(readWord(data, offset));
    if (offset + 32 + length > data.length) throw new RangeError("a string longer than the answer");
    const body = data.subarray(offset + 32, offset + 32 + length);
    return type === "string" ? body.toString("utf8") : "0x" + body.toString("hex");
  }
  const fixed = /^bytes(\d+)$/.exec(type);
  if (fixed) return "0x" + data.subarray(offset, offset + Number(fixed[1])).toString("hex");
  throw new TypeError(`the ABI type ${type} is not supported by cli/chain/abi.ts`);
}
