// The deployment book: where the market was deployed on each chain this CARBON_HOME has seen.
//
// Truffle's artifacts keep one address per network id, and every local chain here has id 1337: a
// test chain or anvil migrated with the same id would overwrite the address of the market a class
// has been trading on. The book keys deployments by the chain's genesis block hash instead, which
// differs between any two chains, and lives in CARBON_HOME beside the embedded chain's state.
import fs from "node:fs";
import path from "node:path";
import { CarbonError } from "../support/errors";
import { deploymentBookPath } from "./home";
import { NodeUnreachableError } from "./rpc";

export interface Deployment {
  genesisHash: string;
  networkId: number;
  regulator: string;
  Customer: string;
  Seller: string;
  Carbon: string;
  Compliance: string;
  OrderBook: string;
  deployedAt: string;
}

type Book = Record<string, Deployment>;

/** What the liveness check needs of a node, so migrations (web3) and the CLI (JSON-RPC) share it. */
export interface ChainReader {
  getCode(address: string): Promise<string>;
  call(to: string, data: string): Promise<string>;
}

export class DeploymentBookError extends Error {}

export function readBook(file = deploymentBookPath()): Book {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  try {
    return JSON.parse(text) as Book;
  } catch {
    throw new DeploymentBookError(`${file} is not valid JSON; move it away and run \`npm run migrate\` again`);
  }
}

export function bookedDeployment(genesisHash: string, file = deploymentBookPath()): Deployment | undefined {
  return readBook(file)[genesisHash.toLowerCase()];
}

/** Records a deployment; written to a temporary file and renamed, so a crash never leaves half a book. */
export function recordDeployment(deployment: Deployment, file = deploymentBookPath()): void {
  const book = readBook(file);
  book[deployment.genesisHash.toLowerCase()] = deployment;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(book, null, 2) + "\n");
  fs.renameSync(temporary, file);
}

// Selectors of the no-argument getters the check reads: keccak256("customerRegistry()") and so on.
const SELECTORS = {
  customerRegistry: "0x347265f5",
  sellerRegistry: "0x70c69b09",
  compliance: "0x6290865d",
  exchange: "0xd2f7265a",
  market: "0x80f55605",
};

function addressWord(address: string): string {
  return "0x" + address.toLowerCase().replace(/^0x/, "").padStart(64, "0");
}

/**
 * Whether the five contracts are really on the chain and wired together: code at each address,
 * Carbon pointing at both registries and both modules, and each of them pointing back at Carbon. An
 * artifact or a book entry alone proves nothing: the chain may have been reset since (and an entry
 * written before the modules existed names none: it is not live, and discovery looks again).
 */
export async function isLive(
  deployment: Pick<Deployment, "Customer" | "Seller" | "Carbon" | "Compliance" | "OrderBook">,
  chain: ChainReader,
): Promise<boolean> {
  try {
    const { Carbon, Customer, Seller, Compliance, OrderBook } = deployment;
    if (![Carbon, Customer, Seller, Compliance, OrderBook].every((a) => typeof a === "string" && /^0x[0-9a-fA-F]{40}$/.test(a))) return false;
    const codes = await Promise.all([Customer, Seller, Carbon, Compliance, OrderBook].map((a) => chain.getCode(a)));
    if (codes.some((code) => !code || code === "0x")) return false;
    const checks: Array<[string, string, string]> = [
      [Carbon, SELECTORS.customerRegistry, Customer],
      [Carbon, SELECTORS.sellerRegistry, Seller],
      [Carbon, SELECTORS.compliance, Compliance],
      [Carbon, SELECTORS.exchange, OrderBook],
      [Customer, SELECTORS.market, Carbon],
      [Seller, SELECTORS.market, Carbon],
      [Compliance, SELECTORS.market, Carbon],
      [OrderBook, SELECTORS.market, Carbon],
    ];
    const answers = await Promise.all(checks.map(([to, selector]) => chain.call(to, selector)));
    return checks.every(([, , expected], i) => answers[i].toLowerCase() === addressWord(expected));
  } catch (error) {
    // A revert means no such wiring; a node that went away, timed out or stayed busy says nothing
    // about the market, and is reported as what it is.
    if (error instanceof NodeUnreachableError || error instanceof CarbonError) throw error;
    return false;
  }
}
