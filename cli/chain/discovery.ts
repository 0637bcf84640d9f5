// Finding the market from what the chain holds, not from local files: one market per chain, joined
// by anyone who points a clone at the node, whatever its deployment book or Truffle artifacts say.
//
// Every deployment wires its two registries with setMarket, and each registry then emits
// `MarketSet(address indexed market)`. So the candidates are read from those logs (from block 0, in
// bounded ranges), and a candidate is believed only if the chain proves it: the code at all five
// addresses is this build's (immutables masked), and Carbon, its registries and its modules point at each other.
// A log counts only if the candidate's own registry emitted it: anyone can emit a MarketSet-shaped
// log from a contract of their own (naming the address their deployment will have) to jump the
// queue, but nobody but the registry writes the registry's logs. The market whose registries were
// wired first wins, so two clones that raced to deploy still agree on one. (On a class chain no
// remote caller can deploy before the teacher's market is wired: the gate lets them in only then.)
//
// What was found is kept in the deployment book (keyed by genesis hash), so a later connect costs
// one liveness check; a book entry the chain does not confirm is ignored and the logs read again.
import path from "node:path";
import { CarbonError, UnavailableError } from "../support/errors";
import { bookedDeployment, isLive, recordDeployment, type ChainReader } from "./deployments";
import { readArtifactJson } from "./artifact-file";
import { ARTIFACTS_DIR } from "./home";
import { NodeUnreachableError, type Rpc } from "./rpc";

export interface MarketContracts {
  Carbon: string;
  Customer: string;
  Seller: string;
  /** The compliance cycle's module (Carbon.compliance()). */
  Compliance: string;
  /** The order book (Carbon.exchange()). */
  OrderBook: string;
  /** The lesson's modules (Carbon.lesson(), Carbon.auction()): read when first used (Market.lessonModule). */
  Lesson?: string;
  Auction?: string;
}

/** The market's contracts, in the order their code is checked. */
export const CONTRACT_NAMES = ["Carbon", "Customer", "Seller", "Compliance", "OrderBook"] as const;

export interface DiscoveryOptions {
  genesisHash: string;
  /** --market / CARBON_MARKET: this Carbon and no other; refused (exit 3) unless it is a wired market. */
  chosen?: string;
  /** How the node is named in messages. */
  label?: string;
  /** Skip the book (a caller that has just deployed, or that distrusts the cache). */
  fresh?: boolean;
}

/** keccak256("MarketSet(address)") */
export const MARKET_SET_TOPIC = "0xe307206b150a74b2a5d43a35703be791342ca123c12a507c5f679cf1d011d1b9";
/** Blocks per eth_getLogs request: small enough for any node's range limit and the gate's. */
export const LOG_RANGE = 5_000;

const SELECTORS = { customerRegistry: "0x347265f5", sellerRegistry: "0x70c69b09", regulator: "0xdd8fee14", compliance: "0x6290865d", exchange: "0xd2f7265a" } as const;

/** The market the chain holds: the explicit choice, else the book's entry if the chain confirms it, else the oldest wired market in the logs. */
export async function discoverMarket(rpc: Rpc, options: DiscoveryOptions): Promise<MarketContracts | undefined> {
  const reader = chainReader(rpc);
  const chosen = options.chosen ?? (process.env.CARBON_MARKET || undefined);
  if (chosen) return await checkChosen(chosen, reader, options);

  if (!options.fresh) {
    const booked = bookedDeployment(options.genesisHash);
    if (booked && (await isLive(booked, reader))) return pick(booked);
  }
  const checked = new Map<string, MarketContracts | undefined>();
  for (const { market, emitter } of await marketSetLogs(rpc)) {
    if (!checked.has(market)) checked.set(market, await wiredMarket(market, reader));
    const contracts = checked.get(market);
    if (!contracts || (emitter !== contracts.Customer && emitter !== contracts.Seller)) continue;
    await remember(contracts, rpc, reader, options.genesisHash);
    return contracts;
  }
  return undefined;
}

/** The explicit choice, checked like any candidate: a one-line error (exit 3) if it is not a wired market. */
async function checkChosen(chosen: string, reader: ChainReader, options: DiscoveryOptions): Promise<MarketContracts> {
  const where = options.label ? ` on ${options.label}` : "";
  if (!/^0x[0-9a-fA-F]{40}$/.test(chosen)) {
    throw new UnavailableError(`--market/CARBON_MARKET "${chosen}" is not an address (0x and 40 hex digits)`);
  }
  const contracts = await wiredMarket(chosen.toLowerCase(), reader);
  if (!contracts) throw new UnavailableError(`${chosen} is not a Carbon market wired to its registries${where}; unset CARBON_MARKET (or drop --market) to use the market found on the chain`);
  return contracts;
}

/** Every MarketSet-shaped log, oldest first: the Carbon address it names and the contract that emitted it. */
export async function marketSetLogs(rpc: Rpc): Promise<Array<{ market: string; emitter: string }>> {
  const head = Number(BigInt(await rpc.request<string>("eth_blockNumber")));
  const found: Array<{ market: string; emitter: string }> = [];
  for (let from = 0; from <= head; from += LOG_RANGE) {
    const to = Math.min(head, from + LOG_RANGE - 1);
    const logs = await rpc.request<Array<{ address: string; topics: string[] }>>("eth_getLogs", [
      { fromBlock: hex(from), toBlock: hex(to), topics: [MARKET_SET_TOPIC] },
    ]);
    for (const log of logs) {
      if (log.topics[1] && log.address) found.push({ market: "0x" + log.topics[1].slice(-40).toLowerCase(), emitter: log.address.toLowerCase() });
    }
  }
  return found;
}

/** The five contracts if `carbon` is this build's Carbon, wired both ways to this build's registries and modules. */
export async function wiredMarket(carbon: string, reader: ChainReader): Promise<MarketContracts | undefined> {
  try {
    const words = await Promise.all([SELECTORS.customerRegistry, SELECTORS.sellerRegistry, SELECTORS.compliance, SELECTORS.exchange].map((selector) => reader.call(carbon, selector)));
    if (!words.every(isWord)) return undefined;
    const [Customer, Seller, Compliance, OrderBook] = words.map(wordToAddress);
    const contracts: MarketContracts = { Carbon: carbon.toLowerCase(), Customer, Seller, Compliance, OrderBook };
    if (!(await isLive(contracts, reader))) return undefined;
    const codes = await Promise.all(CONTRACT_NAMES.map((name) => reader.getCode(contracts[name])));
    const expected = expectedCode();
    return CONTRACT_NAMES.every((name, i) => sameCode(codes[i], expected[name])) ? contracts : undefined;
  } catch (error) {
    // A node that went away, timed out or stayed busy is not "no market here"; a revert or an odd answer is.
    if (error instanceof NodeUnreachableError || error instanceof CarbonError) throw error;
    return undefined;
  }
}

async function remember(contracts: MarketContracts, rpc: Rpc, reader: ChainReader, genesisHash: string): Promise<void> {
  try {
    const [regulator, networkId] = await Promise.all([reader.call(contracts.Carbon, SELECTORS.regulator), rpc.request<string>("net_version")]);
    recordDeployment({ ...contracts, genesisHash, networkId: Number(networkId), regulator: wordToAddress(regulator), deployedAt: new Date().toISOString() });
  } catch {
    // The book is a cache: a read-only CARBON_HOME only makes the next connect read the logs again.
  }
}

interface CodeTemplate {
  /** Deployed bytecode as hex without 0x, immutables zeroed. */
  code: string;
  /** Byte ranges the constructor fills in (immutables). */
  masks: Array<{ start: number; length: number }>;
}

let templates: Record<keyof MarketContracts, CodeTemplate> | undefined;

function codeTemplate(name: string): CodeTemplate {
  let artifact: { deployedBytecode: string; immutableReferences?: Record<string, Array<{ start: number; length: number }>> };
  try {
    artifact = readArtifactJson(path.join(ARTIFACTS_DIR, `${name}.json`));
  } catch {
    throw new UnavailableError(`the contracts are not compiled (build/contracts/${name}.json is missing); run \`npm run build\``);
  }
  return { code: artifact.deployedBytecode.replace(/^0x/, "").toLowerCase(), masks: Object.values(artifact.immutableReferences ?? {}).flat() };
}

function expectedCode(): Record<keyof MarketContracts, CodeTemplate> {
  if (templates) return templates;
  templates = Object.fromEntries(CONTRACT_NAMES.map((name) => [name, codeTemplate(name)])) as Record<keyof MarketContracts, CodeTemplate>;
  return templates;
}

/** Whether `onChain` is this build's code of contract `name` (a module found through Carbon, such as the lesson). */
export function isBuildCode(name: string, onChain: string): boolean {
  return sameCode(onChain, codeTemplate(name));
}

export function sameCode(onChain: string, template: CodeTemplate): boolean {
  const code = onChain.replace(/^0x/, "").toLowerCase();
  if (code.length !== template.code.length) return false;
  const chars = code.split("");
  for (const { start, length } of template.masks) chars.fill("0", start * 2, (start + length) * 2);
  return withoutMetadata(chars.join("")) === withoutMetadata(template.code);
}

/**
 * The compiler appends a CBOR block (the metadata's hash, its length in the last two bytes) that
 * changes with comments and whitespace: two clones whose sources differ only there run the same
 * code and must find the same market.
 */
function withoutMetadata(code: string): string {
  const length = parseInt(code.slice(-4), 16);
  return Number.isFinite(length) && (length + 2) * 2 <= code.length ? code.slice(0, code.length - (length + 2) * 2) : code;
}

function chainReader(rpc: Rpc): ChainReader {
  return {
    getCode: (address) => rpc.request<string>("eth_getCode", [address, "latest"]),
    call: (to, data) => rpc.request<string>("eth_call", [{ to, data }, "latest"]),
  };
}

function pick(contracts: MarketContracts): MarketContracts {
  return Object.fromEntries(CONTRACT_NAMES.map((name) => [name, contracts[name].toLowerCase()])) as unknown as MarketContracts;
}

function isWord(data: string): boolean {
  return /^0x[0-9a-fA-F]{64}$/.test(data);
}

function wordToAddress(word: string): string {
  return "0x" + word.replace(/^0x/, "").slice(-40).toLowerCase();
}

function hex(n: number): string {
  return "0x" + n.toString(16);
}
