// Deploys the market once per chain: the Customer and Seller registries and the Carbon market, wired
// so that only Carbon can change the registries. The deployer is the regulator.
//
// The project has no Migrations contract, so Truffle runs this file on every `truffle migrate`; it
// deploys only when no live, wired market is found, so a second run never orphans the first market.
const { bookedDeployment, isLive, recordDeployment } = require("../dist/cli/chain/deployments");

const Customer = artifacts.require("Customer");
const Seller = artifacts.require("Seller");
const Carbon = artifacts.require("Carbon");

const chain = {
  getCode: (address) => web3.eth.getCode(address),
  call: (to, data) => web3.eth.call({ to, data }),
};

function artifactDeployment() {
  if (!Customer.isDeployed() || !Seller.isDeployed() || !Carbon.isDeployed()) return undefined;
  return { Customer: Customer.address, Seller: Seller.address, Carbon: Carbon.address };
}

module.exports = async function (deployer, network, [regulator]) {
  const genesisHash = (await web3.eth.getBlock(0)).hash.toLowerCase();
  const networkId = await web3.eth.net.getId();

  const booked = bookedDeployment(genesisHash);
  for (const found of [booked, artifactDeployment()]) {
    if (found && (await isLive(found, chain))) {
      Customer.address = found.Customer;
      Seller.address = found.Seller;
      Carbon.address = found.Carbon;
      // A market known only from the artifact goes into the book, so a later deployment to another
      // chain with this network id cannot hide it.
      if (!booked) {
        const deployedBy = await (await Carbon.at(found.Carbon)).regulator();
        recordDeployment({ ...found, genesisHash, networkId: Number(networkId), regulator: deployedBy, deployedAt: new Date().toISOString() });
      }
      console.log(`   The market is already deployed on this chain: Carbon at ${found.Carbon}. Nothing to do.`);
      return;
    }
  }

  await deployer.deploy(Customer);
  await deployer.deploy(Seller);
  await deployer.deploy(Carbon, Customer.address, Seller.address);
  const customers = await Customer.deployed();
  const sellers = await Seller.deployed();
  await customers.setMarket(Carbon.address);
  await sellers.setMarket(Carbon.address);

  recordDeployment({
    genesisHash,
    networkId: Number(networkId),
    regulator,
    Customer: Customer.address,
    Seller: Seller.address,
    Carbon: Carbon.address,
    deployedAt: new Date().toISOString(),
  });
};
