// @truffle/contract asks the node for the latest block before every transaction (`detectNetwork`, for
// the block gas limit it caps the estimate at). The tests' chain never changes its network or its gas
// limit, so the first answer is kept: a quarter of a property test's run was these round trips.
// Imported once, for its effect, by helpers.ts, which every contract test file loads.
const MARKET_CONTRACTS = ["Carbon", "Customer", "Seller", "OrderBook", "Compliance"] as const;

interface NetworkAware {
  detectNetwork(): Promise<unknown>;
}

for (const name of MARKET_CONTRACTS) {
  const abstraction = artifacts.require(name as "Carbon") as unknown as NetworkAware;
  const ask = abstraction.detectNetwork.bind(abstraction);
  let known: Promise<unknown> | undefined;
  abstraction.detectNetwork = () =>
    (known ??= ask().catch((error: unknown) => {
      known = undefined; // a node that was not up yet is asked again
      throw error;
    }));
}

export {};
