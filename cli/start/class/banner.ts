// What a teacher reads when a class chain is served: where students connect, the market, and the one
// command a student runs to join.
import { palette } from "../../render/colours";
import { ether, type FaucetSettings } from "../../gate/faucet";

export interface ClassBannerFacts {
  studentUrls: string[];
  host: string;
  port: number;
  carbon?: string;
  faucet?: FaucetSettings;
}

export function classBanner({ studentUrls, host, port, carbon, faucet }: ClassBannerFacts): string[] {
  const c = palette();
  const lines = [`  ${c.heading("Class chain")}  served on ${host}:${port} through the gate: students sign with their own keys, and nobody else's`];
  if (studentUrls.length === 0) {
    lines.push(
      `  This machine has no network address besides loopback, so no other machine can reach it yet;`,
      `  connect it to the class's network and start again. On this machine: CARBON_RPC_URL=http://127.0.0.1:${port}`,
    );
  } else {
    lines.push(`  Students use  ${studentUrls.map((url) => c.name(url)).join("  or  ")}`);
  }
  lines.push(`  Market        ${carbon ? `Carbon at ${carbon}` : "not deployed yet"}`);
  if (faucet) {
    lines.push(`  Faucet        ${ether(faucet.grantWei)} ETH to each new key (escrow for its bids, and gas), at most ${faucet.grantsPerIp} keys per address, ${ether(faucet.totalWei)} ETH in all; more with carbon fund <account> <ether>`);
  }
  const url = studentUrls[0] ?? `http://<this machine's address>:${port}`;
  // The market's address in the command: the student's client refuses (exit 3) a chain where it is
  // not a wired market, so a student cannot be steered to a look-alike.
  lines.push(`  A student joins with:  ${c.name(`CARBON_RPC_URL=${url} CARBON_MARKET=${carbon ?? "<the market's address>"} npm start`)}`);
  lines.push(`  Projector     ${c.name(`${url}/`)}  the market live, for the room's screen (any browser; read-only)`);
  return lines;
}
