// Truffle's compiled artifact of the market: its ABI, and the address Truffle last migrated it to on
// each network id. Only Carbon's artifact is read: the registries' addresses come from Carbon itself.
import fs from "node:fs";
import path from "node:path";
import { UnavailableError } from "../support/errors";
import { readArtifactJson } from "./artifact-file";
import type { AbiItem } from "./abi";
import { ARTIFACTS_DIR, carbonHome } from "./home";

export interface MarketArtifact {
  contractName: string;
  abi: AbiItem[];
  networks: Record<string, { address: string; transactionHash?: string }>;
  /** keccak256 of each function, event and error signature (abi.ts), computed once per build. */
  hashes?: Record<string, string>;
  /** keccak256 of the deployed bytecode, to recognise the market's code without reading it twice. */
  codeHash?: string;
}

export const CARBON_ARTIFACT = path.join(ARTIFACTS_DIR, "Carbon.json");

/** The market's contracts a client writes to or reads: Carbon, its modules, and the lesson's (found through Carbon). */
export type ContractName = "Carbon" | "Compliance" | "OrderBook" | "Lesson" | "Auction";

const loaded = new Map<string, MarketArtifact>();

/**
 * The Carbon artifact, slimmed to what a client needs. The full file is 1.7 MB (sources, AST,
 * bytecode) and takes ~40 ms to parse, a tenth of a read command's time, so the slim copy is kept in
 * CARBON_HOME, keyed by the artifact's size and modification time so a recompile replaces it.
 */
export function marketArtifact(file = CARBON_ARTIFACT): MarketArtifact {
  return contractArtifact("Carbon", file);
}

/** One of the market's contracts' artifacts (Carbon, or a module), slimmed and cached like Carbon's. */
export function contractArtifact(name: ContractName, file = path.join(ARTIFACTS_DIR, `${name}.json`)): MarketArtifact {
  const known = loaded.get(file);
  if (known) return known;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UnavailableError(`the contracts are not compiled (${path.relative(process.cwd(), file) || file} is missing); run \`npm run build\``);
  }
  const cache = path.join(carbonHome(), "cache", `${name}.${stat.size}.${Math.trunc(stat.mtimeMs)}.v2.json`);
  try {
    const slim = JSON.parse(fs.readFileSync(cache, "utf8")) as MarketArtifact;
    loaded.set(file, slim);
    return slim;
  } catch {
    // No slim copy yet: read the full artifact and write one.
  }
  const full = readArtifactJson<MarketArtifact & { deployedBytecode?: string }>(file);
  const { hashSignatures } = require("./abi") as typeof import("./abi");
  const slim: MarketArtifact = { contractName: full.contractName, abi: full.abi, networks: full.networks ?? {}, hashes: hashSignatures(full.abi) };
  loaded.set(file, slim);
  try {
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    const temporary = `${cache}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(slim));
    fs.renameSync(temporary, cache);
    const stale = new RegExp(`^${name}\\..*\\.json$`);
    for (const entry of fs.readdirSync(path.dirname(cache))) {
      if (stale.test(entry) && entry !== path.basename(cache)) fs.rmSync(path.join(path.dirname(cache), entry), { force: true });
    }
  } catch {
    // A read-only home only costs the 40 ms again next time.
  }
  return slim;
}

/**
 * The ABIs of all the market's contracts in one list, each event and error once (they share
 * `Activity`): for decoding any transaction or log of the market whatever contract it went to.
 */
export function allMarketAbi(): AbiItem[] {
  const seen = new Set<string>();
  const items: AbiItem[] = [];
  for (const name of ["Carbon", "Compliance", "OrderBook", "Lesson", "Auction"] as const) {
    let abi: AbiItem[];
    try {
      abi = contractArtifact(name).abi;
    } catch (error) {
      if (name === "Carbon") throw error;
      continue; // an older build without the module: Carbon's ABI still decodes Carbon's transactions
    }
    for (const item of abi) {
      if (item.type === "constructor") continue;
      const key = `${item.type}:${item.name}(${(item.inputs ?? []).map((input) => input.type).join(",")})`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
  }
  return items;
}
