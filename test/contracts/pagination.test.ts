// The paged listings (customers, sellers, lots, lots for sale, a seller's lots, a customer's lots,
// frozen accounts):
// every page, the edges (offset at or beyond the end, limit 0, limits beyond uint64), and one listing
// grown by real transactions to 10,000 entries in `npm run test:long` (2,000 in `npm test`).
import type BN from "bn.js";
import { scaled } from "../support/test-size";
import { callData, deployedMarket, digestOf, executionGas, isolate, lotView, type LotView, type RawTransaction, mineInBlocks } from "./helpers";

const MAX_UINT256 = (2n ** 256n - 1n).toString();

interface Listing {
  name: string;
  count(): Promise<BN>;
  page(offset: Uint, limit: Uint): Promise<(string | LotView)[]>;
  /** The whole listing, in order. */
  entries: () => (string | LotView)[];
}

contract("Carbon", (accounts) => {
  const [regulator, c1, c2, c3, s1, s2, s3, f1, f2, f3] = accounts;
  let carbon: CarbonInstance;

  before(async () => {
    carbon = (await deployedMarket()).carbon;
  });

  describe("paged listings", () => {
    isolate();
    const lot = (id: string, price: number, seller: string, buyer: string): LotView => ({
      carbonId: id,
      price: String(price),
      seller,
      buyer,
    });
    const ZERO = "0x0000000000000000000000000000000000000000";
    const lots = (): LotView[] => [
      lot("L1", 10, s1, c1),
      lot("L2", 20, s1, ZERO),
      lot("L3", 30, s1, c1),
      lot("L4", 40, s2, c1),
      lot("L5", 50, s2, ZERO),
      lot("L6", 60, s2, ZERO),
      lot("L7", 70, s2, c3),
    ];

    before(async () => {
      for (const customer of [c1, c2, c3]) await carbon.newCustomer(customer, digestOf("pw"), { from: customer });
      for (const seller of [s1, s2, s3]) await carbon.newSeller(seller, digestOf("pw"), { from: seller });
      for (const { carbonId, price, seller } of lots()) await carbon.addCarbon(seller, carbonId, price, { from: seller });
      await carbon.sendCarbonToCustomer(c1, 1_000, { from: regulator });
      for (const id of ["L4", "L1", "L3"]) await carbon.buyCarbon(c1, id, { from: c1 });
      await carbon.sendCarbonToCustomer(c3, 100, { from: regulator });
      await carbon.buyCarbon(c3, "L7", { from: c3 });
      for (const account of [f1, f2, f3]) await carbon.freezeAccount(account, { from: regulator });
    });

    const asLots = async (page: Promise<LotResult[]>): Promise<LotView[]> => (await page).map(lotView);
    const listings: Listing[] = [
      {
        name: "getCustomers",
        count: () => carbon.getCustomerCount(),
        page: (offset, limit) => carbon.getCustomers(offset, limit),
        entries: () => [c1, c2, c3],
      },
      {
        name: "getSellers",
        count: () => carbon.getSellerCount(),
        page: (offset, limit) => carbon.getSellers(offset, limit),
        entries: () => [s1, s2, s3],
      },
      {
        name: "getCarbons",
        count: () => carbon.getCarbonCount(),
        page: (offset, limit) => asLots(carbon.getCarbons(offset, limit)),
        entries: lots,
      },
      {
        name: "getSellerCarbons",
        count: () => carbon.getSellerCarbonCount(s1),
        page: (offset, limit) => asLots(carbon.getSellerCarbons(s1, offset, limit)),
        entries: () => lots().slice(0, 3),
      },
      {
        name: "getCustomerCarbons",
        count: () => carbon.getCustomerCarbonCount(c1),
        page: (offset, limit) => asLots(carbon.getCustomerCarbons(c1, offset, limit)),
        entries: () => [lots()[3], lots()[0], lots()[2]],
      },
      {
        // L4 sold: L7 takes its place; L1 sold: L6 takes its place; L3 sold: L5 takes its place;
        // L7 sold: it was last.
        name: "getUnsoldCarbons",
        count: () => carbon.getUnsoldCarbonCount(),
        page: (offset, limit) => asLots(carbon.getUnsoldCarbons(offset, limit)),
        entries: () => [lots()[5], lots()[1], lots()[4]],
      },
      {
        name: "getFrozenAccounts",
        count: () => carbon.getFrozenCount(),
        page: (offset, limit) => carbon.getFrozenAccounts(offset, limit),
        entries: () => [f1, f2, f3],
      },
    ];

    for (const listing of listings) {
      describe(listing.name, () => {
        it("counts the entries and returns them all, in order, when the limit reaches past the end", async () => {
          const all = listing.entries();
          assert.equal((await listing.count()).toString(), String(all.length), "the count");
          assert.deepEqual(await listing.page(0, all.length), all, "limit = count");
          assert.deepEqual(await listing.page(0, 100), all, "limit > count");
          assert.deepEqual(await listing.page(0, MAX_UINT256), all, "the largest limit");
        });

        it("returns consecutive pages that add up to the listing, the last one short", async () => {
          const all = listing.entries();
          const pages = [];
          for (let offset = 0; offset < all.length; offset += 2) pages.push(await listing.page(offset, 2));
          assert.deepEqual(pages.flat(), all, "the pages joined");
          assert.lengthOf(pages[pages.length - 1], 1, "the last page holds the one entry left");
          assert.deepEqual(await listing.page(1, MAX_UINT256), all.slice(1), "from offset 1 on");
        });

        it("returns nothing from the end on, or for a limit of 0", async () => {
          const all = listing.entries();
          assert.deepEqual(await listing.page(all.length, 10), [], "offset = count");
          assert.deepEqual(await listing.page(all.length + 1, 10), [], "offset > count");
          assert.deepEqual(await listing.page(MAX_UINT256, MAX_UINT256), [], "the largest offset and limit");
          assert.deepEqual(await listing.page(0, 0), [], "limit 0");
          assert.deepEqual(await listing.page(1, 0), [], "limit 0 inside the listing");
        });
      });
    }

    it("returns empty listings for an account without lots", async () => {
      assert.equal((await carbon.getCustomerCarbonCount(c2)).toString(), "0", "c2 bought nothing");
      assert.deepEqual(await carbon.getCustomerCarbons(c2, 0, 10), [], "c2's lots");
      assert.equal((await carbon.getSellerCarbonCount(s3)).toString(), "0", "s3 published nothing");
      assert.deepEqual(await carbon.getSellerCarbons(s3, 0, 10), [], "s3's lots");
      assert.deepEqual(await carbon.getSellerCarbons(c1, 0, 10), [], "a customer has no published lots");
    });
  });

  // 10,000 in the long run, 2,000 in `npm test` (eight blocks: the same paging and gas checks);
  // CARBON_BULK_ENTRIES sets it.
  const TOTAL = Number(process.env.CARBON_BULK_ENTRIES ?? scaled(10_000, 1_000));
  describe(`a listing of ${TOTAL.toLocaleString("en")} frozen accounts`, () => {
    // Freezing is the cheapest operation that adds an entry, and Ganache's speed per transaction is
    // what limits this test; the registries' listings share the paging arithmetic (see the bench for
    // their gas with 1,000 entries).
    const PER_BLOCK = 250; // about 92,000 gas each: 23M of the 30M block gas limit
    const frozen = Array.from({ length: TOTAL }, (_, i) =>
      web3.utils.toChecksumAddress("0x" + web3.utils.keccak256(`frozen ${i}`).slice(26)),
    );
    let hashes: string[];

    isolate();
    before(async function () {
      this.timeout(900_000);
      const freezes: RawTransaction[] = frozen.map((account) => ({
        from: regulator,
        to: carbon.address,
        data: callData(carbon, "freezeAccount", [account]),
        gas: 200_000,
      }));
      const started = Date.now();
      hashes = await mineInBlocks(freezes, PER_BLOCK);
      const seconds = (Date.now() - started) / 1000;
      console.log(`      (${TOTAL} freezes took ${seconds.toFixed(1)} s, ${(TOTAL / seconds).toFixed(0)} a second)`);
    });

    it("counts them and returns the last page", async () => {
      assert.equal((await carbon.getFrozenCount()).toString(), String(TOTAL), "the count");
      assert.deepEqual(await carbon.getFrozenAccounts(TOTAL - 10, 100), frozen.slice(-10), "the last page, short");
      assert.deepEqual(await carbon.getFrozenAccounts(TOTAL - 1, 100), frozen.slice(-1), "a last page of 1");
      assert.deepEqual(await carbon.getFrozenAccounts(TOTAL, 100), [], "past the end");
    });

    it("returns the first, a middle and the last page in order", async () => {
      // Each page of 100 is 100 storage reads; reading all 10,000 would take Ganache about 20 s.
      for (const offset of [0, Math.floor(TOTAL / 2), TOTAL - 100]) {
        assert.deepEqual(
          await carbon.getFrozenAccounts(offset, 100),
          frozen.slice(offset, offset + 100),
          `the page at offset ${offset}`,
        );
      }
    });

    it("charges the last freeze what it charged the 2nd", async () => {
      assert.equal(await executionGas(hashes[TOTAL - 1]), await executionGas(hashes[1]), "the same execution gas");
    });

    it("unfreezes one in the middle, moving the last into its place", async () => {
      const middle = Math.floor(TOTAL * 0.43);
      await carbon.unfreezeAccount(frozen[middle], { from: regulator });

      assert.equal((await carbon.getFrozenCount()).toString(), String(TOTAL - 1), "one fewer");
      assert.deepEqual(await carbon.getFrozenAccounts(middle, 1), [frozen[TOTAL - 1]], "the last moved into the gap");
      assert.isFalse(await carbon.isFrozen(frozen[middle]), "the account is unfrozen");
      assert.isTrue(await carbon.isFrozen(frozen[TOTAL - 1]), "the moved account is still frozen");
    });
  });
});
