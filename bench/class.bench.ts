// A class's worth of work, timed: 40 participants, each with its own CARBON_HOME and wallet, register
// (20 customers, 20 sellers), the regulator issues quota to the customers, the sellers publish a lot
// each and the customers buy them, 8 participants' commands at a time. Then the same work through
// raw JSON-RPC with local signing (keys in memory, call data encoded beforehand, nonces counted
// locally, the same 8 at a time), on the same chain. Printed: both wall times and their ratio.
import path from "node:path";
import { MarketCodec } from "../cli/chain/abi";
import { marketArtifact } from "../cli/chain/artifacts";
import { connect } from "../cli/chain/connect";
import { CHAIN_ID, DEV_MNEMONIC } from "../cli/chain/ganache";
import { PROJECT_ROOT } from "../cli/chain/home";
import { passwordDigest } from "../cli/chain/password";
import { HttpRpc } from "../cli/chain/rpc";
import { encryptKey, newPrivateKey } from "../cli/wallet/keystore";
import { LocalSigner } from "../cli/chain/signer";
import { WalletStore } from "../cli/wallet/store";
import { makeParticipants, pool, removeParticipants, type Participant } from "../test/support/classroom";
import { runNode } from "../test/support/process";
import { migrate, startTestChain } from "../test/support/test-chain";

const PARTICIPANTS = Number(process.env.BENCH_CLASS_SIZE || 40);
const AT_ONCE = 8;
const CARBON = path.join(PROJECT_ROOT, "dist", "cli", "main.js");
const GAS = 500_000n;

async function cli(env: NodeJS.ProcessEnv, args: string[], password: string): Promise<void> {
  const ran = await runNode(CARBON, [...args, "--json", "--password-stdin"], env, { input: `${password}\n`, timeoutMs: 180_000 });
  if (ran.code !== 0 || !ran.stdout.includes('"ok":true')) throw new Error(`carbon ${args.join(" ")} exited ${ran.code}:\n${ran.stdout}${ran.stderr}`);
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const chain = await startTestChain();
  const everyone: Participant[] = [];
  try {
    await migrate(chain);
    process.env.CARBON_HOME = chain.home;
    const rpc = new HttpRpc(chain.url);
    const market = await connect({ rpc: chain.url, mnemonic: "" });
    const [regulator, funder] = await market.accounts();
    const codec = new MarketCodec(marketArtifact().abi);
    const carbon = market.contracts.Carbon;
    const gasPrice = BigInt(await rpc.request<string>("eth_gasPrice"));

    // Not timed: keys made and funded (0.1 ether each), the regulator's key put in a wallet of the
    // teacher's home, so that both clients sign every transaction on this side.
    const prepare = async (group: Participant[]) => {
      for (const p of group) {
        const entry = new WalletStore(path.join(p.home, "wallets")).add(await encryptKey(newPrivateKey(), p.password), "me");
        p.address = entry.address;
        await rpc.request("eth_sendTransaction", [{ from: funder, to: p.address, value: "0x16345785d8a0000" }]);
      }
    };
    const teacherEnv: NodeJS.ProcessEnv = { ...chain.env, FORCE_COLOR: "0" };
    delete teacherEnv.CARBON_MNEMONIC;
    const imported = await runNode(CARBON, ["wallet", "import", "--mnemonic-index", "0", "--password", "teach"], { ...teacherEnv, CARBON_MNEMONIC: DEV_MNEMONIC });
    if (imported.code !== 0) throw new Error(imported.stderr);

    const viaCli = makeParticipants(PARTICIPANTS, chain.url, process.env);
    everyone.push(...viaCli);
    await prepare(viaCli);
    const customersOf = (group: Participant[]) => group.filter((p) => p.role === "customer");
    const sellersOf = (group: Participant[]) => group.filter((p) => p.role === "seller");

    const cliMs = await timed(async () => {
      await pool(viaCli, AT_ONCE, (p) => cli(p.env, ["register", p.role, p.address], p.password));
      await pool(customersOf(viaCli), AT_ONCE, (p) => cli(teacherEnv, ["issue", p.address, "100"], "teach"));
      await pool(sellersOf(viaCli), AT_ONCE, (p) => cli(p.env, ["add-carbon", p.address, `CLI-${p.lot}`, "10"], p.password));
      await pool(customersOf(viaCli), AT_ONCE, (p) => cli(p.env, ["buy", p.address, `CLI-${p.lot}`], p.password));
    });

    const viaRaw = makeParticipants(PARTICIPANTS, chain.url, process.env);
    everyone.push(...viaRaw);
    const signers = new Map<string, { signer: LocalSigner; nonce: bigint }>();
    for (const p of viaRaw) {
      const key = newPrivateKey();
      p.address = new LocalSigner(key).address;
      await rpc.request("eth_sendTransaction", [{ from: funder, to: p.address, value: "0x16345785d8a0000" }]);
      signers.set(p.address, { signer: new LocalSigner(key), nonce: 0n });
    }
    const regulatorKey = new LocalSigner(Buffer.from("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "hex"));
    if (regulatorKey.address !== regulator) throw new Error("the regulator is not DEV_MNEMONIC's account 0");
    signers.set(regulator, { signer: regulatorKey, nonce: BigInt(await rpc.request<string>("eth_getTransactionCount", [regulator, "pending"])) });
    const send = async (from: string, data: string) => {
      const account = signers.get(from)!;
      const nonce = account.nonce++;
      const raw = await account.signer.signTransaction({ to: carbon, data, nonce, gas: GAS, gasPrice, chainId: CHAIN_ID });
      const hash = await rpc.request<string>("eth_sendRawTransaction", [raw]);
      for (;;) {
        const receipt = await rpc.request<{ status: string } | null>("eth_getTransactionReceipt", [hash]);
        if (receipt) {
          if (receipt.status !== "0x1") throw new Error(`${hash} reverted`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const rawMs = await timed(async () => {
      await pool(viaRaw, AT_ONCE, (p) => send(p.address, codec.encodeCall(p.role === "customer" ? "newCustomer" : "newSeller", [p.address, passwordDigest(p.address, p.password)])));
      await pool(customersOf(viaRaw), AT_ONCE, (p) => send(regulator, codec.encodeCall("sendCarbonToCustomer", [p.address, "100"])));
      await pool(sellersOf(viaRaw), AT_ONCE, (p) => send(p.address, codec.encodeCall("addCarbon", [p.address, `RAW-${p.lot}`, "10"])));
      await pool(customersOf(viaRaw), AT_ONCE, (p) => send(p.address, codec.encodeCall("buyCarbon", [p.address, `RAW-${p.lot}`])));
    });
    market.close();

    const transactions = PARTICIPANTS * 2 + (PARTICIPANTS / 2) * 1;
    console.log(`${PARTICIPANTS} participants register and trade (${transactions} transactions), ${AT_ONCE} at a time, on one Ganache`);
    console.log(["client", "wall time (s)", "per transaction (ms)"].join("\t"));
    console.log(["carbon CLI, a process per command, wallets", (cliMs / 1000).toFixed(1), (cliMs / transactions).toFixed(0)].join("\t"));
    console.log(["raw JSON-RPC, local signing, in process", (rawMs / 1000).toFixed(1), (rawMs / transactions).toFixed(0)].join("\t"));
    console.log(`ratio ${(cliMs / rawMs).toFixed(1)}`);
  } finally {
    removeParticipants(everyone);
    await chain.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
