// Where the product keeps things: the project it was built in, and the state folder (CARBON_HOME).
import path from "node:path";

/** The repository root: compiled files live in dist/cli/chain, three levels down. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..", "..");

/** Truffle's compiled artifacts: ABIs, bytecode and the addresses Truffle last migrated to. */
export const ARTIFACTS_DIR = path.join(PROJECT_ROOT, "build", "contracts");

/** The state folder: `.carbon/` in the project unless CARBON_HOME moves it. */
export function carbonHome(): string {
  return path.resolve(process.env.CARBON_HOME || path.join(PROJECT_ROOT, ".carbon"));
}

/** The embedded chain's database. */
export function chainDataDir(): string {
  return path.join(carbonHome(), "chain");
}

/** Which market lives on which chain, keyed by genesis block hash (see deployments.ts). */
export function deploymentBookPath(): string {
  return path.join(carbonHome(), "deployments.json");
}
