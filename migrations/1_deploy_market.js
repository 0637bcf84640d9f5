// Deploys the market once per chain: the Customer and Seller registries, the Carbon market, and its two
// modules (Compliance: the cap-and-trade cycle; OrderBook: matchmaking), wired so that only Carbon and
// its modules can change the registries. The deployer is the regulator.
//
// The project has no Migrations contract, so Truffle runs this file on every `truffle migrate`. It
// deploys only when the chain holds no market (found from the chain itself, whatever the local files
// say: cli/chain/discovery.ts), under a lock in CARBON_HOME so two first starts deploy one market.
// CARBON_NEW_MARKET=1 (`--new-market`) deploys another on purpose; CARBON_MARKET picks one.
const { discoverMarket } = require("../dist/cli/chain/discovery");
const { recordDeployment } = require("../dist/cli/chain/deployments");
const { withDeployLock } = require("../dist/cli/start/migrate/deploy-lock");

const Customer = artifacts.require("Customer");
const Seller = artifacts.require("Seller");
const Carbon = artifacts.require("Carbon");
const Compliance = artifacts.require("Compliance");
const OrderBook = artifacts.require("OrderBook");
const Lesson = artifacts.require("Lesson");
const Auction = artifacts.require("Auction");

/** discovery.ts speaks plain JSON-RPC; Truffle's provider is web3's. */
function providerRpc(provider) {
  let id = 1;
  return {
    url: "the migration's node",
    request: (method, params = []) =>
      new Promise((resolve, reject) => {
        const send = (provider.sendAsync || provider.send).bind(provider);
        send({ jsonrpc: "2.0", id: id++, method, params }, (error, reply) => {
          if (error) return reject(error);
          if (reply.error) return reject(new Error(reply.error.message));
          resolve(reply.result);
        });
      }),
  };
}

module.exports = async function (deployer, network, [regulator]) {
  const genesisHash = (await web3.eth.getBlock(0)).hash.toLowerCase();
  const networkId = await web3.eth.net.getId();
  const rpc = providerRpc(web3.currentProvider);
  const onPurpose = Boolean(process.env.CARBON_NEW_MARKET);

  await withDeployLock(
    genesisHash,
    async () => {
      const found = onPurpose ? undefined : await discoverMarket(rpc, { genesisHash, fresh: true });
      if (found) {
        // Truffle saves these into the artifacts, so `Carbon.deployed()` names the chain's market.
        Customer.address = found.Customer;
        Seller.address = found.Seller;
        Carbon.address = found.Carbon;
        Compliance.address = found.Compliance;
        OrderBook.address = found.OrderBook;
        console.log(`   The market is already deployed on this chain: Carbon at ${found.Carbon}. Nothing to do.`);
        return;
      }

      await deployer.deploy(Customer);
      await deployer.deploy(Seller);
      await deployer.deploy(Carbon, Customer.address, Seller.address);
      await deployer.deploy(Compliance, Carbon.address);
      await deployer.deploy(OrderBook, Carbon.address);
      const customers = await Customer.deployed();
      const sellers = await Seller.deployed();
      await customers.setMarket(Carbon.address);
      await sellers.setMarket(Carbon.address);
      const market = await Carbon.deployed();
      await market.setModules(Compliance.address, OrderBook.address);
      // The lesson's modules read the compliance module from the market, so they come after the wiring.
      await deployer.deploy(Lesson, Carbon.address);
      await market.setLesson(Lesson.address);
      await deployer.deploy(Auction, Carbon.address);
      await market.setAuction(Auction.address);

      recordDeployment({
        genesisHash,
        networkId: Number(networkId),
        regulator,
        Customer: Customer.address,
        Seller: Seller.address,
        Carbon: Carbon.address,
        Compliance: Compliance.address,
        OrderBook: OrderBook.address,
        deployedAt: new Date().toISOString(),
      });
    },
    (holder) => console.log(`   Another deployment to this chain is under way (process ${holder}); waiting for it.`),
  );
};
