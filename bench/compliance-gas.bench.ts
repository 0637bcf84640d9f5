// The gas of each compliance operation (contracts/Compliance.sol) with 1 prior account and period and
// with 1,000 of each (CARBON_COMPLIANCE_PRIOR changes the 1,000), and their ratio: no operation loops
// over accounts or periods, so the execution gas should be equal.
//
// Prior state, the same in kind for both runs: `prior` customers registered, `prior` verifiers
// accredited, `prior` periods opened and closed before the measured one, and in the measured period
// `prior` customers that were issued quota under the cap, reported, had their emissions verified,
// surrendered, and were enforced (short, so frozen) before the measured customer. Every counter the
// measured operations touch is therefore already non-zero in both runs, so a difference could only
// come from the number of entries. Both runs start from the same snapshot and send the same
// transactions from the same accounts; only the period id in the call data differs (1 against 1,000),
// which costs a few gas of call data: the table shows the receipts' gas and the execution gas (the
// receipt's less the 21,000 of every transaction and its call data's), whose ratio is the one to read.
import fs from "node:fs";
import path from "node:path";
import Web3 from "web3";
import type { AbiItem } from "web3-utils";
import { readBook } from "../cli/chain/deployments";
import { ARTIFACTS_DIR } from "../cli/chain/home";
import { migrate, startTestChain } from "../test/support/test-chain";
import { BulkChain, type Transaction } from "./bulk-chain";
import { table } from "./support";

const LARGE = Number(process.env.CARBON_COMPLIANCE_PRIOR ?? 1_000);
/** Setup transactions a block: enforcement, the dearest, uses ~230,000 gas: 100 fit the 30M block gas limit. */
const DAY = 86_400;

interface Receipt {
  status: string;
  gasUsed: string;
  logs: { topics: string[]; data: string }[];
}

/** Call data's gas (EIP-2028): 4 a zero byte, 16 any other. */
function callDataGas(data: string): number {
  let gas = 0;
  for (let i = 2; i < data.length; i += 2) gas += data.slice(i, i + 2) === "00" ? 4 : 16;
  return gas;
}

interface Measured {
  gas: number;
  execution: number;
}

async function main(): Promise<void> {
  const chain = await startTestChain();
  try {
    await migrate(chain);
    const web3 = new Web3(chain.url);
    const rpc = new BulkChain(chain.url);
    const genesis = await web3.eth.getBlock(0);
    const deployment = readBook(path.join(chain.home, "deployments.json"))[genesis.hash.toLowerCase()];
    if (!deployment) throw new Error("the migration recorded no deployment for the test chain");
    const abiOf = (name: string): AbiItem[] => (JSON.parse(fs.readFileSync(path.join(ARTIFACTS_DIR, `${name}.json`), "utf8")) as { abi: AbiItem[] }).abi;
    const carbon = new web3.eth.Contract(abiOf("Carbon"), deployment.Carbon);
    const compliance = new web3.eth.Contract(abiOf("Compliance"), deployment.Compliance);
    const [regulator] = await web3.eth.getAccounts();

    const fresh = (label: string): string => web3.utils.toChecksumAddress("0x" + web3.utils.keccak256(label).slice(26));
    const impersonate = async (accounts: string[]): Promise<void> => {
      for (let start = 0; start < accounts.length; start += 500) {
        const some = accounts.slice(start, start + 500);
        await rpc.batch(some.map((account) => ({ method: "evm_addAccount", params: [account, ""] })));
        await rpc.batch(some.map((account) => ({ method: "personal_unlockAccount", params: [account, "", 0] })));
        await rpc.batch(some.map((account) => ({ method: "evm_setAccountBalance", params: [account, "0xde0b6b3a7640000"] })));
      }
    };
    const toCarbon = (from: string, data: string): Transaction => ({ from, to: deployment.Carbon, data });
    const toCompliance = (from: string, data: string): Transaction => ({ from, to: deployment.Compliance, data });
    const evidence = web3.utils.keccak256("the emissions report");

    // The measured accounts: the same in both runs.
    const customer = fresh("measured customer");
    const verifier = fresh("measured verifier");
    const silent = fresh("measured silent customer");
    const successor = fresh("measured successor regulator");
    const fillers = Array.from({ length: LARGE }, (_, i) => fresh(`compliance filler ${i}`));
    await impersonate([customer, verifier, silent, successor, ...fillers]);

    async function measure(method: string, from: string, data: string, to = deployment!.Compliance, event = method): Promise<Measured> {
      const hash = await rpc.request<string>("eth_sendTransaction", [{ from, to, data, gas: "0x4c4b40" }]);
      const receipt = await rpc.request<Receipt>("eth_getTransactionReceipt", [hash]);
      if (receipt.status !== "0x1") throw new Error(`${method} reverted`);
      const name = event.charAt(0).toUpperCase() + event.slice(1);
      const topic = web3.utils.keccak256(`${name}(address,bool,string)`);
      const outcome = receipt.logs.find((log) => log.topics[0] === topic);
      if (!outcome) throw new Error(`${method} emitted no ${name}`);
      const decoded = web3.eth.abi.decodeParameters(["address", "bool", "string"], outcome.data);
      if (!decoded[1]) throw new Error(`${method} did not succeed: ${decoded[2]}`);
      const gas = Number(receipt.gasUsed);
      return { gas, execution: gas - 21_000 - callDataGas(data) };
    }

    /** Builds `prior` entries of every kind, then measures each operation once. */
    async function run(prior: number): Promise<Map<string, Measured>> {
      const c = compliance.methods;
      const m = carbon.methods;
      const others = fillers.slice(0, prior);
      await rpc.load([...others, customer, silent].map((account) => toCarbon(account, m.newCustomer(account, web3.utils.keccak256(`pw ${account}`)).encodeABI())));
      await rpc.load(others.map((account) => toCompliance(regulator, c.accreditVerifier(account).encodeABI())));
      // `prior` periods one after another: a block opens the first; each block after closes one and
      // opens the next, at a time past the one's deadlines (a second after its block) and before the next's.
      const start = (await rpc.time()) + 10;
      const open = (at: number): Transaction => toCompliance(regulator, c.openPeriod("2026", 1_000_000_000, at + 1, at + 1, 3).encodeABI());
      const close = (periodId: number): Transaction => toCompliance(regulator, c.closePeriod(periodId).encodeABI());
      await rpc.load([open(start)], 1, () => start);
      const following = Array.from({ length: prior }, (_, i) => (i < prior - 1 ? [close(i), open(start + 2 * (i + 1))] : [close(i)])).flat();
      await rpc.load(following, 2, (block) => start + 2 * (block + 1));
      const id = prior;

      const gas = new Map<string, Measured>();
      const now = await rpc.time();
      gas.set("openPeriod", await measure("openPeriod", regulator, c.openPeriod("2026", 1_000_000_000, now + 10 * DAY, now + 20 * DAY, 3).encodeABI()));
      // The prior customers' part of the period, before the measured customer's.
      await rpc.load(others.map((account) => toCarbon(regulator, m.sendCarbonToCustomer(account, 100).encodeABI())));
      await rpc.load(others.map((account) => toCompliance(account, c.reportEmissions(account, id, 50, evidence).encodeABI())));
      await rpc.load(others.map((account) => toCompliance(regulator, c.correctEmissions(account, id, 60, "inspected").encodeABI())));
      await rpc.load(others.map((account) => toCompliance(account, c.surrenderCarbon(account, 10).encodeABI())));

      gas.set("sendCarbonToCustomer (under the cap)", await measure("sendCarbonToCustomer", regulator, m.sendCarbonToCustomer(customer, 100).encodeABI(), deployment!.Carbon));
      await measure("sendCarbonToCustomer", regulator, m.sendCarbonToCustomer(silent, 100).encodeABI(), deployment!.Carbon); // it takes part, then stays silent
      gas.set("accreditVerifier", await measure("accreditVerifier", regulator, c.accreditVerifier(verifier).encodeABI()));
      gas.set("appointVerifier", await measure("appointVerifier", customer, c.appointVerifier(customer, id, verifier).encodeABI()));
      gas.set("acceptAppointment", await measure("acceptAppointment", verifier, c.acceptAppointment(verifier, customer, id).encodeABI()));
      gas.set("reportEmissions", await measure("reportEmissions", customer, c.reportEmissions(customer, id, 50, evidence).encodeABI()));
      gas.set("rejectReport", await measure("rejectReport", verifier, c.rejectReport(verifier, customer, id, "The fuel invoices for March are missing").encodeABI()));
      gas.set("reportEmissions (resubmitted)", await measure("reportEmissions", customer, c.reportEmissions(customer, id, 70, evidence).encodeABI()));
      gas.set("approveReport", await measure("approveReport", verifier, c.approveReport(verifier, customer, id).encodeABI()));
      gas.set("correctEmissions", await measure("correctEmissions", regulator, c.correctEmissions(customer, id, 80, "Site inspection").encodeABI()));
      gas.set("surrenderCarbon", await measure("surrenderCarbon", customer, c.surrenderCarbon(customer, 30).encodeABI()));
      gas.set("revokeVerifier", await measure("revokeVerifier", regulator, c.revokeVerifier(verifier).encodeABI()));
      await rpc.request("evm_increaseTime", [21 * DAY]);
      await rpc.request("evm_mine");
      gas.set("closePeriod", await measure("closePeriod", regulator, c.closePeriod(id).encodeABI()));
      await rpc.load(others.map((account) => toCompliance(regulator, c.enforceCompliance(account, id).encodeABI())));
      gas.set("enforceCompliance (B, freezes)", await measure("enforceCompliance", regulator, c.enforceCompliance(customer, id).encodeABI()));
      gas.set("surrenderCarbon (late, clears)", await measure("surrenderCarbon", customer, c.surrenderCarbon(customer, 50).encodeABI()));
      gas.set("estimateEmissions", await measure("estimateEmissions", regulator, c.estimateEmissions(silent, id, 120, "Capacity x the sector's intensity").encodeABI()));
      gas.set("enforceCompliance (C on the estimate, freezes)", await measure("enforceCompliance", regulator, c.enforceCompliance(silent, id).encodeABI()));
      // An earlier period enforced after a later one (the silent customer took no part in period 0).
      if (prior > 0) gas.set("enforceCompliance (period 0, after a later one)", await measure("enforceCompliance", regulator, c.enforceCompliance(silent, 0).encodeABI()));
      gas.set("proposeRegulator", await measure("proposeRegulator", regulator, m.proposeRegulator(successor).encodeABI(), deployment!.Carbon));
      gas.set("acceptRegulator", await measure("acceptRegulator", successor, m.acceptRegulator().encodeABI(), deployment!.Carbon));

      const [periods2, verifiers, customers, frozen] = await Promise.all([
        c.periodCount().call(),
        c.getVerifierCount().call(),
        m.getCustomerCount().call(),
        m.getFrozenCount().call(),
      ]);
      const expected = [prior + 1, prior, prior + 2, prior + 2];
      if ([periods2, verifiers, customers, frozen].some((count: string, i) => Number(count) !== expected[i])) {
        throw new Error(`expected ${expected.join(", ")} periods, verifiers, customers, frozen; found ${[periods2, verifiers, customers, frozen].join(", ")}`);
      }
      return gas;
    }

    const { small, large, smallSeconds, largeSeconds } = await rpc.atTwoSizes(LARGE, run);

    const n = LARGE.toLocaleString("en");
    const rows = [...small.keys()].map((operation) => {
      const a = small.get(operation)!;
      const b = large.get(operation)!;
      return [operation, a.gas.toLocaleString("en"), b.gas.toLocaleString("en"), a.execution.toLocaleString("en"), b.execution.toLocaleString("en"), (b.execution / a.execution).toFixed(2)];
    });
    console.log(table(["operation", "gas, 1 prior", `gas, ${n} prior`, "execution, 1", `execution, ${n}`, "ratio"], rows));
    const equal = rows.every((row) => row[3] === row[4]);
    console.log(
      `\n${equal ? "Every operation's execution costs exactly the same" : "Not every operation's execution costs the same"} with ${n} prior accounts and periods as with 1.` +
        ` (Setup and measurement took ${smallSeconds.toFixed(1)} s and ${largeSeconds.toFixed(1)} s.)`,
    );
  } finally {
    await chain.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
