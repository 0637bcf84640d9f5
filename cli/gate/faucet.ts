// Ether for a lesson on a class chain: the gate gives a new address one grant from the faucet key
// on request (`carbon_fund`), so a student's fresh key can trade at once and the teacher funds
// nobody by hand. A grant covers a lesson's bids (a bid escrows its price in ether until it fills
// or is cancelled) and its gas. Anyone who reaches the chain can ask, so it is bounded: one grant per
// address, a few per remote IP address, a few a second in all, and the faucet's size in total; a
// student who makes a thousand keys gets a handful of grants, never the regulator's or anyone's
// balance. The teacher gives more with `carbon fund` (a local caller naming the amount). Which
// addresses and IPs were funded is kept in CARBON_HOME, so a restart does not reopen the taps.
import fs from "node:fs";
import path from "node:path";
import type { Rpc } from "../chain/rpc";
import { carbonHome } from "../chain/home";

const ETHER = 10n ** 18n;
/**
 * One grant: bids for 400 units at 0.02 ETH escrow 8 ETH (the demo's bids are 0.01 to 0.012 ETH a
 * unit, about 125 units), and 2 ETH pays the gas of some 3,000 market writes at 2 gwei.
 */
export const FUND_WEI = 10n * ETHER;
/** All the faucet gives out on one chain unless the teacher says otherwise (--faucet). */
export const TOTAL_CAP_WEI = 1000n * ETHER;
/** Grants to keys asked for from one remote IP address (a student with a spare key or two). */
export const GRANTS_PER_IP = 3;
/** Grants a second, for everyone together, with a class's first minute saved up. */
export const GRANTS_PER_SECOND = 2;
export const GRANT_BURST = 60;

export interface FaucetSettings {
  grantWei: bigint;
  totalWei: bigint;
  grantsPerIp: number;
}

export const DEFAULT_FAUCET: FaucetSettings = { grantWei: FUND_WEI, totalWei: TOTAL_CAP_WEI, grantsPerIp: GRANTS_PER_IP };

export interface FundResult {
  address: string;
  /** Wei sent now, as a 0x quantity (0x0 when the address already had enough). */
  funded: string;
  balance: string;
  txHash?: string;
}

export class FaucetRefusal extends Error {}

/** Address → wei given; "ip:<address>" → grants to keys asked for from that IP; "teacher:<n>" → what `carbon fund` gave. */
type Ledger = Record<string, string>;

export function faucetLedgerPath(): string {
  return path.join(carbonHome(), "faucet.json");
}

export class Faucet {
  private queue: Promise<unknown> = Promise.resolve();
  private tokens = GRANT_BURST;
  private tokensAt = Date.now();

  constructor(
    private readonly upstream: Rpc,
    private readonly faucetAddress: string,
    private readonly ledgerFile = faucetLedgerPath(),
    private readonly faucetKey?: string,
    readonly settings: FaucetSettings = DEFAULT_FAUCET,
  ) {}

  /**
   * One request at a time: the ledger and the faucet's nonce are shared. `ip` is the remote caller's
   * address (its grants are counted); `amountWei` is the teacher's own `carbon fund`, local only.
   */
  fund(address: unknown, { ip, amountWei }: { ip?: string; amountWei?: bigint } = {}): Promise<FundResult> {
    const run = this.queue.then(() => (amountWei === undefined ? this.grantNow(address, ip) : this.giveNow(address, amountWei)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async grantNow(address: unknown, ip: string | undefined): Promise<FundResult> {
    const key = checkedAddress(address);
    const { grantWei, totalWei, grantsPerIp } = this.settings;
    const balance = BigInt(await this.upstream.request<string>("eth_getBalance", [key, "latest"]));
    if (balance >= grantWei / 2n) return { address: key, funded: "0x0", balance: hex(balance) };
    const ledger = this.readLedger();
    if (ledger[key]) throw new FaucetRefusal(`${address} has already had its grant from this class chain's faucet (${ether(BigInt(ledger[key]))} ETH for escrow and gas); ask the teacher for more (carbon fund)`);
    const fromIp = ip ? Number(ledger[`ip:${ip}`] ?? 0) : 0;
    if (ip && fromIp >= grantsPerIp) throw new FaucetRefusal(`the faucet gives at most ${grantsPerIp} grants to keys asked for from one address (${ip}); ask the teacher for ether (carbon fund)`);
    if (given(ledger) + grantWei > totalWei) throw new FaucetRefusal(`the class chain's faucet has given out its ${ether(totalWei)} ETH; ask the teacher for ether (carbon fund)`);
    const wait = this.takeToken();
    if (wait > 0) throw new FaucetRefusal(`the faucet is answering many new keys at once; ask again in ${Math.ceil(wait / 1000)} s`);

    const txHash = await this.pay(key, grantWei);
    ledger[key] = grantWei.toString();
    if (ip) ledger[`ip:${ip}`] = String(fromIp + 1);
    this.writeLedger(ledger);
    return { address: key, funded: hex(grantWei), balance: hex(balance + grantWei), txHash };
  }

  /** The teacher's `carbon fund`: any amount the faucet holds, to any address, counted in the faucet's total. */
  private async giveNow(address: unknown, amountWei: bigint): Promise<FundResult> {
    const key = checkedAddress(address);
    if (amountWei <= 0n) throw new FaucetRefusal("carbon fund sends a positive amount of ether");
    const [balance, held] = await Promise.all([key, this.faucetAddress].map(async (a) => BigInt(await this.upstream.request<string>("eth_getBalance", [a, "latest"]))));
    if (amountWei + 21_000n * 10n ** 11n > held) throw new FaucetRefusal(`the faucet holds ${ether(held)} ETH, not enough to send ${ether(amountWei)} ETH`);
    const txHash = await this.pay(key, amountWei);
    const ledger = this.readLedger();
    const n = Object.keys(ledger).filter((k) => k.startsWith("teacher:")).length;
    ledger[`teacher:${n + 1}`] = `${key}:${amountWei}`;
    this.writeLedger(ledger);
    return { address: key, funded: hex(amountWei), balance: hex(balance + amountWei), txHash };
  }

  private takeToken(): number {
    const now = Date.now();
    this.tokens = Math.min(GRANT_BURST, this.tokens + ((now - this.tokensAt) / 1000) * GRANTS_PER_SECOND);
    this.tokensAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return ((1 - this.tokens) / GRANTS_PER_SECOND) * 1000;
  }

  /** The faucet's next nonce: it alone sends from its account, one payment at a time. */
  private nextNonce?: bigint;

  /**
   * The transfer. Ganache 7.9 in its default (eager) mode mishandled eth_sendTransaction sent while
   * other accounts' transactions were being mined: it chose a nonce one behind the account ("account
   * has nonce of: 5 tx has nonce of: 4"), or, given the right one, never answered. So the faucet
   * signs its payments itself, with its own nonce count, and sends them like any student does
   * (eth_sendRawTransaction), asking the node for the count again only after a nonce refusal.
   */
  private async pay(to: string, value: bigint): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      this.nextNonce ??= BigInt(await this.upstream.request<string>("eth_getTransactionCount", [this.faucetAddress, "latest"]));
      const nonce = this.nextNonce;
      try {
        const hash = await this.send({ to, nonce, value });
        this.nextNonce = nonce + 1n;
        return hash;
      } catch (error) {
        this.nextNonce = undefined;
        if (attempt >= 4 || !/nonce/i.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
      }
    }
  }

  private async send({ to, nonce, value }: { to: string; nonce: bigint; value: bigint }): Promise<string> {
    if (!this.faucetKey) {
      return this.upstream.request<string>("eth_sendTransaction", [{ from: this.faucetAddress, to, value: hex(value), gas: "0x5208", nonce: hex(nonce) }]);
    }
    const { LocalSigner } = require("../chain/signer") as typeof import("../chain/signer");
    const [chainId, gasPrice] = await Promise.all([this.upstream.request<string>("eth_chainId"), this.upstream.request<string>("eth_gasPrice")]);
    const raw = await new LocalSigner(this.faucetKey).signTransaction({ to, data: "0x", value, nonce, gas: 21_000n, gasPrice: BigInt(gasPrice), chainId: Number(chainId) });
    return this.upstream.request<string>("eth_sendRawTransaction", [raw]);
  }

  private readLedger(): Ledger {
    try {
      return JSON.parse(fs.readFileSync(this.ledgerFile, "utf8")) as Ledger;
    } catch {
      return {};
    }
  }

  private writeLedger(ledger: Ledger): void {
    const temporary = `${this.ledgerFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(ledger, null, 2) + "\n");
    fs.renameSync(temporary, this.ledgerFile);
  }
}

function checkedAddress(address: unknown): string {
  if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) throw new FaucetRefusal("carbon_fund takes one address (0x and 40 hex digits)");
  return address.toLowerCase();
}

/** What the grants took from the faucet's total (the teacher's own sends are the teacher's call). */
function given(ledger: Ledger): bigint {
  return Object.entries(ledger).reduce((sum, [key, wei]) => (key.startsWith("0x") ? sum + BigInt(wei) : sum), 0n);
}

function hex(n: bigint): string {
  return "0x" + n.toString(16);
}

export function ether(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const fraction = (wei % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "").slice(0, 6);
  return fraction ? `${whole}.${fraction}` : String(whole);
}
