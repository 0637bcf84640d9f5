// The gas of each write method with 1 prior entry and with 10,000 (customers, sellers, lots, purchases,
// frozen accounts), and their ratio: no method loops over accounts or lots, so the ratio should be
// 1.00. CARBON_GAS_PRIOR changes the 10,000 for a quick run. Both runs start from the same snapshot of a freshly migrated chain and send byte-identical
// measured transactions (same accounts, same-length IDs and passwords), so only the number of prior
// entries differs. Every figure is read from a receipt.
import fs from "node:fs";
import path from "node:path";
import Web3 from "web3";
import type { AbiItem } from "web3-utils";
import { readBook } from "../cli/chain/deployments";
import { ARTIFACTS_DIR } from "../cli/chain/home";
import { passwordDigest } from "../cli/chain/password";
import { migrate, startTestChain } from "../test/support/test-chain";
import { BulkChain, type Transaction } from "./bulk-chain";

const LARGE = Number(process.env.CARBON_GAS_PRIOR ?? 10_000);
/** Setup transactions mined per block: at most ~200,000 gas each, well inside the 30M block gas limit. */

interface Receipt {
  status: string;
  gasUsed: string;
  logs: { topics: string[]; data: string }[];
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
    const artifact = JSON.parse(fs.readFileSync(path.join(ARTIFACTS_DIR, "Carbon.json"), "utf8")) as {
      abi: AbiItem[];
    };
    const carbon = new web3.eth.Contract(artifact.abi, deployment.Carbon);
    const [regulator, customer, seller] = await web3.eth.getAccounts();
    /** Only an account registers itself: Ganache lets the bench send as these made-up addresses. */
    const impersonate = async (accounts: string[]): Promise<void> => {
      for (let start = 0; start < accounts.length; start += 500) {
        const some = accounts.slice(start, start + 500);
        await rpc.batch(some.map((account) => ({ method: "evm_addAccount", params: [account, ""] })));
        await rpc.batch(some.map((account) => ({ method: "personal_unlockAccount", params: [account, "", 0] })));
        await rpc.batch(some.map((account) => ({ method: "evm_setAccountBalance", params: [account, "0xde0b6b3a7640000"] })));
      }
    };

    const call = (from: string, data: string): Transaction => ({ from, to: deployment.Carbon, data });
    const fresh = (label: string): string => web3.utils.toChecksumAddress("0x" + web3.utils.keccak256(label).slice(26));
    /** A stand-in for passwordDigest's output, of the same length: scrypt for thousands of accounts is slow. */
    const digestLike = (account: string): string => web3.utils.keccak256(`password of ${account}`);
    const lotId = (i: number): string => `LOT-${String(i).padStart(6, "0")}`;

    // The measured transactions' targets: the same in both runs, which start from the same snapshot.
    const newCustomer = fresh("measured customer");
    const newSeller = fresh("measured seller");
    const namedCustomer = fresh("measured named customer");
    const frozen = fresh("measured frozen account");
    const measuredLot = lotId(999_999);
    await impersonate([newCustomer, newSeller, namedCustomer, ...Array.from({ length: LARGE - 1 }, (_, i) => fresh(`filler ${i}`))]);

    /** Sends one transaction on its own block, checks its outcome event says success, returns its gas. */
    async function measure(method: string, from: string, data: string, event = method.charAt(0).toUpperCase() + method.slice(1)): Promise<number> {
      const hash = await rpc.request<string>("eth_sendTransaction", [{ ...call(from, data), gas: "0x4c4b40" }]);
      const receipt = await rpc.request<Receipt>("eth_getTransactionReceipt", [hash]);
      if (receipt.status !== "0x1") throw new Error(`${method} failed`);
      const topic = web3.utils.keccak256(`${event}(address,bool,string)`);
      const outcome = receipt.logs.find((log) => log.topics[0] === topic);
      if (!outcome) throw new Error(`${method} emitted no ${event}`);
      const decoded = web3.eth.abi.decodeParameters(["address", "bool", "string"], outcome.data);
      if (!decoded[1]) throw new Error(`${method} did not succeed: ${decoded[2]}`);
      return Number(receipt.gasUsed);
    }

    /** Builds `prior` entries of every kind, then measures each write method once. */
    async function run(prior: number): Promise<Map<string, number>> {
      const m = carbon.methods;
      await rpc.load([
        call(customer, m.newCustomer(customer, digestLike(customer)).encodeABI()),
        call(seller, m.newSeller(seller, digestLike(seller)).encodeABI()),
      ]);
      // A block of its own: in one block with the registration, it might be mined first and fail.
      await rpc.load([call(regulator, m.sendCarbonToCustomer(customer, 1_000_000).encodeABI())]);
      const fillers = Array.from({ length: prior - 1 }, (_, i) => fresh(`filler ${i}`));
      await rpc.load([
        // With names, so that the names' lookups hold `prior` entries too.
        ...fillers.map((account, i) => call(account, m.newNamedCustomer(account, digestLike(account), `Filler ${i}`).encodeABI())),
        ...fillers.map((account) => call(account, m.newSeller(account, digestLike(account)).encodeABI())),
      ]);
      // `prior` lots sold and `prior` for sale, so that the unsold index holds `prior` lots too.
      const lots = Array.from({ length: 2 * prior }, (_, i) => lotId(i));
      await rpc.load(lots.map((id) => call(seller, m.addCarbon(seller, id, 7).encodeABI())));
      await rpc.load(lots.slice(0, prior).map((id) => call(customer, m.buyCarbon(customer, id).encodeABI())));
      const frozenFillers = Array.from({ length: prior }, (_, i) => fresh(`frozen filler ${i}`));
      await rpc.load(frozenFillers.map((account) => call(regulator, m.freezeAccount(account).encodeABI())));

      const counts = await Promise.all([
        m.getCustomerCount().call(),
        m.getSellerCount().call(),
        m.getUnsoldCarbonCount().call(),
        m.getCustomerCarbonCount(customer).call(),
        m.getFrozenCount().call(),
      ]);
      if (counts.some((count: string) => Number(count) !== prior)) {
        throw new Error(`expected ${prior} prior entries of each kind, found ${counts.join(", ")}`);
      }

      const gas = new Map<string, number>();
      const digest = (account: string): string => passwordDigest(account, "correct horse battery staple");
      gas.set("newCustomer", await measure("newCustomer", newCustomer, m.newCustomer(newCustomer, digest(newCustomer)).encodeABI()));
      gas.set(
        "newNamedCustomer",
        await measure("newNamedCustomer", namedCustomer, m.newNamedCustomer(namedCustomer, digest(namedCustomer), "Measured 01").encodeABI(), "NewCustomer"),
      );
      gas.set("setName", await measure("setName", newCustomer, m.setName("Measured 02").encodeABI()));
      gas.set("newSeller", await measure("newSeller", newSeller, m.newSeller(newSeller, digest(newSeller)).encodeABI()));
      gas.set(
        "sendCarbonToCustomer",
        await measure("sendCarbonToCustomer", regulator, m.sendCarbonToCustomer(newCustomer, 100).encodeABI()),
      );
      gas.set("addCarbon", await measure("addCarbon", seller, m.addCarbon(seller, measuredLot, 7).encodeABI()));
      // The first lot for sale, not the one just published: the last lot of the unsold index then moves
      // into its place, the dearer and the usual case.
      gas.set("buyCarbon", await measure("buyCarbon", customer, m.buyCarbon(customer, lotId(prior)).encodeABI()));
      gas.set("settleCarbon", await measure("settleCarbon", seller, m.settleCarbon(seller, 10).encodeABI()));
      gas.set("freezeAccount", await measure("freezeAccount", regulator, m.freezeAccount(frozen).encodeABI()));
      gas.set("unfreezeAccount", await measure("unfreezeAccount", regulator, m.unfreezeAccount(frozen).encodeABI()));
      return gas;
    }

    const { small, large, smallSeconds, largeSeconds } = await rpc.atTwoSizes(LARGE, run);

    const priorEntries: Record<string, string> = {
      newCustomer: "customers",
      newNamedCustomer: "customers, names",
      setName: "names",
      newSeller: "sellers",
      sendCarbonToCustomer: "customers",
      addCarbon: "lots (all the seller's), lots for sale",
      buyCarbon: "lots, lots for sale, the customer's purchases",
      settleCarbon: "sellers and sales",
      freezeAccount: "frozen accounts",
      unfreezeAccount: "frozen accounts",
    };
    const rows = [...small.keys()].map((method) => {
      const a = small.get(method)!;
      const b = large.get(method)!;
      return [method, a.toLocaleString("en"), b.toLocaleString("en"), (b / a).toFixed(2), priorEntries[method]];
    });
    const header = ["method", "gas, 1 prior", `gas, ${LARGE.toLocaleString("en")} prior`, "ratio", "prior entries of"];
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]): string =>
      cells
        .map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
        .join("  ")
        .trimEnd();
    console.log(line(header));
    console.log(widths.map((width) => "-".repeat(width)).join("  "));
    for (const row of rows) console.log(line(row));
    const exact = rows.every((row) => row[1] === row[2]);
    console.log(
      `\n${exact ? "Every method costs exactly the same" : "Not every method costs the same"} with ${LARGE.toLocaleString("en")} prior entries as with 1.` +
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
