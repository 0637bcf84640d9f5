// The hostile trader (test/fixtures/HostileTrader.sol) as a contract customer of the Truffle chain's
// market: deployed and registered through its own `act`, driven by an operator account that is no
// customer, and its orders placed, cancelled and withdrawn through `act` too, so that the book sees
// the contract as the caller and pays it (and its receive()) directly.
import { ATTEMPTS, Answer, hostileTrader } from "../support/hostile-trader";
import { digestOf, revertData, selector } from "./helpers";
import { type BookMarket, price, TICK } from "./order-book-helpers";

/** Enough for the trader's receive() and its six attempts on top of any book call. */
const GAS = 3_000_000;

export interface Sent {
  hash: string;
  /** What the operator paid the node for it. */
  fee: bigint;
}

interface TraderContract {
  options: { address: string };
  methods: Record<string, (...args: unknown[]) => { encodeABI(): string; call(): Promise<unknown> }>;
}

interface BookEncoder {
  methods: Record<string, (...args: unknown[]) => { encodeABI(): string }>;
}

export class Trader {
  private constructor(
    private readonly m: BookMarket,
    private readonly operator: string,
    private readonly contract: TraderContract,
    private readonly encoder: BookEncoder,
  ) {}

  /** Deploys a trader, registers it as a customer (its own call) and has the regulator issue it `quota`. */
  static async deploy(m: BookMarket, operator: string, regulator: string, quota: number): Promise<Trader> {
    const { abi, bytecode } = hostileTrader();
    const receipt = await web3.eth.sendTransaction({ from: operator, data: bytecode, gas: 1_500_000 });
    const contract = new web3.eth.Contract(abi as never, receipt.contractAddress!) as unknown as TraderContract;
    const trader = new Trader(m, operator, contract, new web3.eth.Contract(m.book.abi as never, m.book.address) as unknown as BookEncoder);
    const register = new web3.eth.Contract(m.carbon.abi as never, m.carbon.address) as unknown as BookEncoder;
    await trader.act(m.carbon.address, register.methods.newCustomer(trader.address, digestOf("hostile")).encodeABI());
    assert.isTrue(await m.customers.isRegistered(trader.address), "the trader contract is a customer");
    await m.carbon.sendCarbonToCustomer(trader.address, quota, { from: regulator });
    return trader;
  }

  get address(): string {
    return this.contract.options.address;
  }

  /** The trader calls `to` with `data` and `value` (sent by the operator); throws if it reverts. */
  async act(to: string, data: string, value = 0n): Promise<Sent> {
    const receipt = await web3.eth.sendTransaction({ from: this.operator, to: this.address, data: this.actData(to, data), value: value.toString(), gas: GAS });
    const mined = (await web3.eth.getTransactionReceipt(receipt.transactionHash)) as unknown as { gasUsed: number; effectiveGasPrice: string | number };
    return { hash: receipt.transactionHash, fee: BigInt(mined.gasUsed) * BigInt(mined.effectiveGasPrice) };
  }

  /** The trader's call on the book, encoded from the book's ABI. */
  bookCall(method: string, ...args: unknown[]): string {
    return this.encoder.methods[method](...args).encodeABI();
  }

  /** The trader calls the book. */
  onBook(method: string, args: unknown[], value = 0n): Promise<Sent> {
    return this.act(this.m.book.address, this.bookCall(method, ...args), value);
  }

  /** A bid of `quantity` at `ticks`, its exact escrow sent. */
  bid(quantity: number, ticks: number, expiry = 0): Promise<Sent> {
    return this.onBook("placeBid", [quantity, price(ticks), expiry, 10], BigInt(quantity) * BigInt(ticks) * TICK);
  }

  ask(quantity: number, ticks: number, expiry = 0): Promise<Sent> {
    return this.onBook("placeAsk", [quantity, price(ticks), expiry, 10]);
  }

  /** Asserts that the trader's call on the book reverts with `signature` and `args`, and that sending it fails. */
  async expectBookRevert(method: string, args: unknown[], signature: string, expected: readonly (string | number | bigint)[]): Promise<void> {
    const data = this.actData(this.m.book.address, this.bookCall(method, ...args));
    let error: unknown;
    try {
      await web3.eth.call({ from: this.operator, to: this.address, data, gas: GAS });
    } catch (caught) {
      error = caught;
    }
    const reply = revertData(error);
    assert.isString(reply, `${method} should revert with ${signature}`);
    assert.equal(reply!.slice(0, 10), selector(signature), `${method} reverts with ${signature}`);
    const types = signature.slice(signature.indexOf("(") + 1, -1).split(",");
    const decoded = web3.eth.abi.decodeParameters(types, "0x" + reply!.slice(10));
    assert.deepEqual(types.map((_, i) => String(decoded[i]).toLowerCase()), expected.map((value) => String(value).toLowerCase()), `${signature}'s arguments`);
    let mined = true;
    try {
      await web3.eth.sendTransaction({ from: this.operator, to: this.address, data, gas: GAS });
    } catch {
      mined = false;
    }
    assert.isFalse(mined, `the mined ${method} fails`);
  }

  arm(target: number): Promise<Sent> {
    return this.self("arm", this.m.book.address, target);
  }

  setRefusing(refuses: boolean): Promise<Sent> {
    return this.self("setRefusing", refuses);
  }

  /** How the attempts of its last armed payment ended, by book function. */
  async answers(): Promise<Record<(typeof ATTEMPTS)[number], Answer>> {
    const raw = (await this.contract.methods.answers().call()) as string[];
    return Object.fromEntries(ATTEMPTS.map((name, i) => [name, Number(raw[i]) as Answer])) as Record<(typeof ATTEMPTS)[number], Answer>;
  }

  /** How many payments it took, and the ether they brought. */
  async payments(): Promise<{ count: number; amount: bigint }> {
    const raw = (await this.contract.methods.payments().call()) as { count: string; amount: string };
    return { count: Number(raw.count), amount: BigInt(raw.amount) };
  }

  private async self(method: string, ...args: unknown[]): Promise<Sent> {
    const data = this.contract.methods[method](...args).encodeABI();
    const receipt = await web3.eth.sendTransaction({ from: this.operator, to: this.address, data, gas: 200_000 });
    return { hash: receipt.transactionHash, fee: 0n };
  }

  private actData(to: string, data: string): string {
    return this.contract.methods.act(to, data).encodeABI();
  }
}

/** Every attempt answered `answer`. */
export function all(answer: Answer): Record<(typeof ATTEMPTS)[number], Answer> {
  return Object.fromEntries(ATTEMPTS.map((name) => [name, answer])) as Record<(typeof ATTEMPTS)[number], Answer>;
}

/** The book's outcome events `name` in the transaction, as "isSuccess message" (the trader's calls are not decoded by Truffle). */
export async function bookOutcomes(m: BookMarket, hash: string, name: string): Promise<string[]> {
  const event = m.book.abi.find((entry) => entry.type === "event" && entry.name === name) as { inputs: { name: string; type: string }[] } | undefined;
  if (!event) throw new Error(`OrderBook has no event ${name}`);
  const topic = web3.eth.abi.encodeEventSignature(event as never);
  const receipt = await web3.eth.getTransactionReceipt(hash);
  return receipt.logs
    .filter((log) => log.address.toLowerCase() === m.book.address.toLowerCase() && log.topics[0] === topic)
    .map((log) => web3.eth.abi.decodeLog(event.inputs as never, log.data, log.topics.slice(1)))
    .map((args) => `${args.isSuccess} ${args.message}`);
}

export { Answer };
