// The order book against an externally owned account that delegates to hostile code (EIP-7702), on
// anvil (Ganache has no 7702): the account's receive() turns every payment into attempts on each of
// the book's mutators, or refuses ether. The attacks that worked on the book when it paid makers and
// removed orders' owners directly are replayed: re-entering cancelOrder from an ask's proceeds,
// re-entering from an expired bid's refund to cancel the next bid, and a refusing bid at the head of
// a level. After each: issued quota = balances + escrow, the book's ether = escrowedEther +
// withdrawableEther, and the honest accounts hold what they traded for.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEV_ADDRESSES, DEV_KEYS, DEV_MNEMONIC } from "../../cli/chain/signer";
import type { Deployment } from "../../cli/chain/deployments";
import { RpcError } from "../../cli/chain/rpc";
import { startAnvil, type Anvil } from "../support/anvil";
import { cast } from "../support/cast";
import { Answer, ATTEMPTS, hostileTrader } from "../support/hostile-trader";
import { deployMarket } from "../support/migrated-market";
import { place, type Place } from "./harness";

const TICK = 10n ** 14n;
const ticks = (n: number): string => (BigInt(n) * TICK).toString();
const value = (quantity: number, n: number): bigint => BigInt(quantity) * BigInt(n) * TICK;

const [REGULATOR, ALICE, BOB, CAROL] = DEV_ADDRESSES;
const ATTACKER = DEV_ADDRESSES[5];
const HONEST = [ALICE, BOB, CAROL];
const key = (account: string): string => "0x" + DEV_KEYS[DEV_ADDRESSES.indexOf(account)];

interface Receipt {
  status: string;
  type: string;
  gasUsed: string;
  effectiveGasPrice: string;
}

describe("the order book against an EIP-7702 delegated account, on anvil (Prague)", { timeout: 120_000 }, () => {
  let where: Place;
  let anvil: Anvil;
  let market: Deployment;

  const rpcUrl = (): string[] => ["--rpc-url", where.url];

  /** `from` sends `signature(args)` to `to`; the transaction must succeed. Returns what its gas cost. */
  async function send(from: string, to: string, signature: string, args: string[] = [], options: { value?: bigint; auth?: string } = {}): Promise<{ receipt: Receipt; fee: bigint }> {
    const extra = [...(options.value ? ["--value", options.value.toString()] : []), ...(options.auth ? ["--auth", options.auth] : [])];
    const receipt = JSON.parse(await cast(["send", "--json", "--private-key", key(from), ...rpcUrl(), ...extra, to, signature, ...args])) as Receipt;
    assert.equal(receipt.status, "0x1", `${signature} from ${from} succeeds`);
    return { receipt, fee: BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice) };
  }

  /** A view's results, one per line, as decimal or hex text without cast's annotations. */
  async function read(to: string, signature: string, args: string[] = []): Promise<string[]> {
    const out = await cast(["call", ...rpcUrl(), to, signature, ...args]);
    return out.split("\n").map((line) => line.split(" ")[0]);
  }

  const book = (): string => market.OrderBook;
  const one = async (to: string, signature: string, args: string[] = []): Promise<bigint> => BigInt((await read(to, signature, args))[0]);
  const quota = (account: string): Promise<bigint> => one(market.Carbon, "getCustomerCarbonAmount(address)(uint256)", [account]);
  const ether = async (account: string): Promise<bigint> => BigInt(await anvil.rpc.request<string>("eth_getBalance", [account, "latest"]));
  const credit = (account: string): Promise<bigint> => one(book(), "withdrawable(address)(uint256)", [account]);
  const lastOrder = async (): Promise<string> => (await one(book(), "orderCount()(uint256)")).toString();
  const status = async (id: string): Promise<number> => {
    const fields = (await cast(["call", ...rpcUrl(), book(), "order(uint256)((uint256,address,bool,uint256,uint256,uint256,uint256,uint8))", id])).replace(/[()]/g, "").split(", ");
    return Number(fields[7]);
  };
  const payments = async (): Promise<[bigint, bigint]> => {
    const [count, amount] = await read(ATTACKER, "payments()(uint256,uint256)");
    return [BigInt(count), BigInt(amount)];
  };
  const answers = async (): Promise<Record<string, Answer>> => {
    const raw = (await cast(["call", ...rpcUrl(), ATTACKER, "answers()(uint8[6])"])).replace(/[[\]]/g, "").split(", ");
    return Object.fromEntries(ATTEMPTS.map((name, i) => [name, Number(raw[i]) as Answer]));
  };
  const every = (answer: Answer): Record<string, Answer> => Object.fromEntries(ATTEMPTS.map((name) => [name, answer]));

  /** The market's two laws: quota issued (less settled) = balances + asks' escrow; the book's ether = escrowedEther + withdrawableEther. */
  async function expectConserved(): Promise<void> {
    // Every figure read at once: each cast is a process of its own, and nothing is sent meanwhile.
    const [issued, settled, escrowed, held, escrowedEther, credited, ...quotas] = await Promise.all([
      one(market.Carbon, "issuedCarbonAmount()(uint256)"),
      one(market.Carbon, "settledCarbonAmount()(uint256)"),
      one(book(), "escrowedCarbonAmount()(uint256)"),
      ether(book()),
      one(book(), "escrowedEther()(uint256)"),
      one(book(), "withdrawableEther()(uint256)"),
      ...[...HONEST, ATTACKER].map(quota),
    ]);
    const balances = quotas.reduce((sum, amount) => sum + amount, 0n);
    assert.equal(balances + escrowed, issued - settled, "issued quota = balances + escrow");
    assert.equal(held, escrowedEther + credited, "the book's ether = escrowedEther + withdrawableEther");
  }

  before(async () => {
    where = await place({ CARBON_MNEMONIC: DEV_MNEMONIC });
    anvil = await startAnvil(where.port, 10, "prague");
    // anvil's own migration is anvil.test's; this file needs only the market, so it replays the
    // recording, with anvil signing for the deployer (it holds no key) only while it does.
    await anvil.rpc.request("anvil_impersonateAccount", [DEV_ADDRESSES[0]]);
    market = await deployMarket(where);
    await anvil.rpc.request("anvil_stopImpersonatingAccount", [DEV_ADDRESSES[0]]);
    // Each registers itself, all at once (four senders, four nonces); the regulator's issues go one
    // after another, so each takes the next nonce.
    await Promise.all([...HONEST, ATTACKER].map((account) => send(account, market.Carbon, "newCustomer(address,bytes32)", [account, "0x" + "11".repeat(32)])));
    for (const account of [...HONEST, ATTACKER]) await send(REGULATOR, market.Carbon, "sendCarbonToCustomer(address,uint256)", [account, "1000"]);
  });

  after(() => {
    anvil?.stop();
    where?.remove();
  });

  it("delegates the attacker's account to the hostile code with a type-4 transaction, armed in the same transaction", async () => {
    const created = JSON.parse(await cast(["send", "--json", "--private-key", key(REGULATOR), ...rpcUrl(), "--create", hostileTrader().bytecode])) as Receipt & { contractAddress: string };
    assert.equal(created.status, "0x1", "the hostile code is deployed");
    const { receipt } = await send(ATTACKER, ATTACKER, "arm(address,uint256)", [book(), "0"], { auth: created.contractAddress });
    assert.equal(receipt.type, "0x4", "an EIP-7702 transaction");
    const code = await anvil.rpc.request<string>("eth_getCode", [ATTACKER, "latest"]);
    assert.equal(code.toLowerCase(), "0xef0100" + created.contractAddress.slice(2).toLowerCase(), "the account's code is the delegation");
    assert.deepEqual(await payments(), [0n, 0n], "its storage is its own: nothing received yet");
    await expectConserved();
  });

  it("(a) its resting ask filled: no ether is pushed to the maker, so cancelOrder cannot be re-entered; its withdraw's re-entries are refused", async () => {
    await send(ATTACKER, book(), "placeAsk(uint256,uint256,uint256,uint256)", ["10", ticks(100), "0", "10"]);
    const ask = await lastOrder();
    await send(ATTACKER, ATTACKER, "arm(address,uint256)", [book(), ask]); // cancel the ask being filled
    const [bobEther, bobQuota] = await Promise.all([ether(BOB), quota(BOB)]);

    const { fee } = await send(BOB, book(), "placeBid(uint256,uint256,uint256,uint256)", ["10", ticks(100), "0", "10"], { value: value(10, 100) });

    const [askStatus, paid, credited, bobEtherAfter, bobQuotaAfter, attackerQuota] = await Promise.all([status(ask), payments(), credit(ATTACKER), ether(BOB), quota(BOB), quota(ATTACKER)]);
    assert.equal(askStatus, 2, "the ask is filled, once");
    assert.deepEqual(paid, [0n, 0n], "no payment reached the maker");
    assert.equal(credited, value(10, 100), "its proceeds are credited");
    assert.equal(bobEtherAfter, bobEther - value(10, 100) - fee, "bob paid exactly the price");
    assert.equal(bobQuotaAfter, bobQuota + 10n, "and got his 10 units");
    assert.equal(attackerQuota, 990n, "the attacker's 10 units went, once");
    await expectConserved();

    const before = await ether(ATTACKER);
    const withdrawn = await send(ATTACKER, book(), "withdraw()");
    const [reentries, paidOnce, attackerEther, spent] = await Promise.all([answers(), payments(), ether(ATTACKER), credit(ATTACKER)]);
    assert.deepEqual(reentries, every(Answer.Refused), "every re-entry from the withdrawal is refused");
    assert.deepEqual(paidOnce, [1n, value(10, 100)], "it was paid once");
    assert.equal(attackerEther, before + value(10, 100) - withdrawn.fee, "its proceeds, once");
    assert.equal(spent, 0n, "its credit is spent");
    await expectConserved();
  });

  it("(b) the refund of its expired bid re-enters to cancel its next bid: refused, the next bid rests", async () => {
    const now = Number(BigInt((await anvil.rpc.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false])).timestamp));
    await send(ATTACKER, book(), "placeBid(uint256,uint256,uint256,uint256)", ["10", ticks(90), String(now + 30), "10"], { value: value(10, 90) });
    const expiring = await lastOrder();
    await send(ATTACKER, book(), "placeBid(uint256,uint256,uint256,uint256)", ["10", ticks(90), "0", "10"], { value: value(10, 90) });
    const next = await lastOrder();
    await send(ATTACKER, ATTACKER, "arm(address,uint256)", [book(), next]);
    await anvil.rpc.request("evm_increaseTime", [60]);
    await anvil.rpc.request("evm_mine");
    const [count] = await payments();

    await send(ATTACKER, book(), "expireOrder(uint256)", [expiring]);

    const [expired, resting, reentries, [refunds], escrowedEther] = await Promise.all([status(expiring), status(next), answers(), payments(), one(book(), "escrowedEther()(uint256)")]);
    assert.equal(expired, 4, "the expired bid is expired");
    assert.equal(resting, 1, "the next bid still rests");
    assert.deepEqual(reentries, every(Answer.Refused), "every re-entry from the refund is refused");
    assert.deepEqual(refunds, count + 1n, "the refund was paid once");
    assert.equal(escrowedEther, value(10, 90), "the next bid's escrow alone is held");
    await expectConserved();
  });

  it("(c) refusing ether, its expired bid at the head of the best level blocks nobody: a crossing ask removes it and trades behind it", async () => {
    const now = Number(BigInt((await anvil.rpc.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false])).timestamp));
    await send(ATTACKER, book(), "placeBid(uint256,uint256,uint256,uint256)", ["10", ticks(95), String(now + 30), "10"], { value: value(10, 95) });
    const dead = await lastOrder();
    await send(ATTACKER, ATTACKER, "setRefusing(bool)", ["true"]);
    await send(CAROL, book(), "placeBid(uint256,uint256,uint256,uint256)", ["10", ticks(90), "0", "10"], { value: value(10, 90) });
    await anvil.rpc.request("evm_increaseTime", [60]);
    await anvil.rpc.request("evm_mine");
    const [aliceEther, aliceQuota, carolQuota, attackerQuota] = await Promise.all([ether(ALICE), quota(ALICE), quota(CAROL), quota(ATTACKER)]);

    // The level at 90: the attacker's bid from (b) first, carol's behind it.
    const { fee } = await send(ALICE, book(), "placeAsk(uint256,uint256,uint256,uint256)", ["20", ticks(90), "0", "10"]);

    const [deadStatus, credited, aliceEtherAfter, aliceQuotaAfter, carolQuotaAfter, attackerQuotaAfter] = await Promise.all([
      status(dead),
      credit(ATTACKER),
      ether(ALICE),
      quota(ALICE),
      quota(CAROL),
      quota(ATTACKER),
    ]);
    assert.equal(deadStatus, 4, "the refusing owner's expired bid is removed");
    assert.equal(credited, value(10, 95), "its escrow is credited, not pushed");
    assert.equal(aliceEtherAfter, aliceEther + value(20, 90) - fee, "alice is paid for 20 units");
    assert.equal(aliceQuotaAfter, aliceQuota - 20n, "she sold 20");
    assert.equal(carolQuotaAfter, carolQuota + 10n, "carol's bid filled");
    assert.equal(attackerQuotaAfter, attackerQuota + 10n, "and the attacker's resting bid, without any ether to it");
    await expectConserved();

    let refused: unknown;
    try {
      await anvil.rpc.request("eth_call", [{ from: ATTACKER, to: book(), data: await cast(["calldata", "withdraw()"]) }, "latest"]);
    } catch (error) {
      refused = error;
    }
    assert.ok(refused instanceof RpcError, "its withdraw reverts");
    const data = String(refused.data);
    const failed = await cast(["sig", "OrderBookPaymentFailed(address,uint256)"]);
    assert.equal(data.slice(0, 10), failed, "with OrderBookPaymentFailed");
    assert.equal(BigInt("0x" + data.slice(74, 138)), value(10, 95), "for its credit");
    assert.equal(await credit(ATTACKER), value(10, 95), "which stays");
    await expectConserved();
  });
});
