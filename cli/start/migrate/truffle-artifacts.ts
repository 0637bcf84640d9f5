// Truffle answers `Carbon.deployed()` from the artifact's entry for the node's network id, and every
// local chain here has id 1337: an entry written on one chain names an address that may have no code
// on the next. So before `truffle exec` and `truffle console` (truffle-config.js runs this, and waits
// for it), the entries of the market's five artifacts are rewritten from what the chain holds
// (discovery.ts): the market's addresses when there is one, no entry when there is none, so Truffle
// says "not deployed" instead of answering with a codeless address.
import fs from "node:fs";
import path from "node:path";
import { CONTRACT_NAMES, discoverMarket, type MarketContracts } from "../../chain/discovery";
import { ARTIFACTS_DIR } from "../../chain/home";
import { chainIdentity, HttpRpc } from "../../chain/rpc";

export async function syncArtifacts(url: string): Promise<MarketContracts | undefined> {
  const rpc = new HttpRpc(url, 10_000);
  const [{ genesisHash }, networkId] = await Promise.all([chainIdentity(rpc), rpc.request<string>("net_version")]);
  const market = await discoverMarket(rpc, { genesisHash, label: url });
  for (const name of CONTRACT_NAMES) {
    const file = path.join(ARTIFACTS_DIR, `${name}.json`);
    let artifact: { networks?: Record<string, { address: string }> };
    try {
      artifact = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
      continue; // Not compiled: Truffle says so itself.
    }
    const networks = (artifact.networks ??= {});
    const key = String(Number(networkId));
    const before = JSON.stringify(networks[key] ?? null);
    if (market) networks[key] = { ...networks[key], address: market[name] };
    else delete networks[key];
    if (JSON.stringify(networks[key] ?? null) === before) continue;
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(artifact, null, 2));
    fs.renameSync(temporary, file);
  }
  return market;
}

if (require.main === module) {
  // Run by truffle-config.js: a node that does not answer leaves the artifacts alone (Truffle will say so).
  syncArtifacts(process.argv[2]).then(
    () => process.exit(0),
    () => process.exit(0),
  );
}
