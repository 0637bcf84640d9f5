// The deployment book: where the market was deployed on each chain this CARBON_HOME has seen.
//
// Truffle's artifacts keep one address per network id, and every local chain here has id 1337: a
// test chain or anvil migrated with the same id would overwrite the address of the market a class
// has been trading on. The book keys deployments by the chain's genesis block hash instead, which
// differs between any two chains, and lives in CARBON_HOME beside the embedded chain's state.
import fs from "node:fs";
import path from "node:path";
import { deploymentBookPath } from "./home";

export interface Deployment {
  genesisHash: string;
  networkId: number;
  regulator: string;
  Customer: string;
  Seller: string;
  Carbon: string;
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
  market: "0x80f55605",
};

function addressWord(address: string): string {
  return "0x" + address.toLowerCase().replace(/^0x/, "").padStart(64, "0");
}

/**
 * Whether the three contracts are really on the chain and wired together: code at each address,
 * Carbon pointing at both registries and both registries pointing back at Carbon. An artifact or a
 * book entry alone proves nothing: the chain may have been reset since.
 */
export async function isLive(
  deployment: Pick<Deployment, "Customer" | "Seller" | "Carbon">,
  chain: ChainReader,
): Promise<boolean> {
  try {
    const codes = await Promise.all([deployment.Customer, deployment.Seller, deployment.Carbon].map((a) => chain.getCode(a)));
    if (codes.some((code) => !code || code === "0x")) return false;
    const [customers, sellers, customerMarket, sellerMarket] = await Promise.all([
      chain.call(deployment.Carbon, SELECTORS.customerRegistry),
      chain.call(deployment.Carbon, SELECTORS.sellerRegistry),
      chain.call(deployment.Customer, SELECTORS.market),
      chain.call(deployment.Seller, SELECTORS.market),
    ]);
    return (
      customers.toLowerCase() === addressWord(deployment.Customer) &&
      sellers.toLowerCase() === addressWord(deployment.Seller) &&
      customerMarket.toLowerCase() === addressWord(deployment.Carbon) &&
      sellerMarket.toLowerCase() === addressWord(deployment.Carbon)
    );
  } catch {
    return false;
  }
}
