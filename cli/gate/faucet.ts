// Gas money on a class chain: the gate gives a new address a capped amount of ether from the
// faucet key on request (`carbon_fund`), so a student's fresh key can transact at once and the
// teacher funds nobody by hand. Capped per address (one top-up to FUND_WEI) and in total
// (TOTAL_CAP_WEI), because anyone who reaches the chain can ask: a student who makes a thousand
// keys empties the faucet, never the regulator or anyone's balance. Which addresses were funded is
// kept in CARBON_HOME, so a restart does not reopen the taps.
import fs from "node:fs";
import path from "node:path";
import type { Rpc } from "../chain/rpc";
import { carbonHome } from "../chain/home";

/** One top-up: about 1,500 market transactions at Ganache's default gas price. */
export const FUND_WEI = 10n ** 18n;
/** An address at or above this balance needs nothing. */
export const ENOUGH_WEI = FUND_WEI / 2n;
/** All the faucet will ever give out on one chain. */
export const TOTAL_CAP_WEI = 500n * FUND_WEI;

export interface FundResult {
  address: string;
  /** Wei sent now, as a 0x quantity (0x0 when the address already had enough). */
  funded: string;
  balance: string;
  txHash?: string;
}

export class FaucetRefusal extends Error {}

type Ledger = Record<string, string>;

export function faucetLedgerPath(): string {
  return path.join(carbonHome(), "faucet.json");
}

export class Faucet {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly upstream: Rpc,
    private readonly faucetAddress: string,
    private readonly ledgerFile = faucetLedgerPath(),
    private readonly faucetKey?: string,
  ) {}

  /** One request at a time: the ledger and the faucet's nonce are shared. */
  fund(address: unknown): Promise<FundResult> {
    const run = this.queue.then(() => this.fundNow(address));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async fundNow(address: unknown): Promise<FundResult> {
    if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) throw new FaucetRefusal("carbon_fund takes one address (0x and 40 hex digits)");
    const key = address.toLowerCase();
    const balance = BigInt(await this.upstream.request<string>("eth_getBalance", [key, "latest"]));
    if (balance >= ENOUGH_WEI) return { address: key, funded: "0x0", balance: hex(balance) };
    const ledger = this.readLedger();
    if (ledger[key]) throw new FaucetRefusal(`${address} has already had its ether for gas from this class chain (${ether(BigInt(ledger[key]))} ETH); ask the teacher to send more`);
    const given = Object.values(ledger).reduce((sum, wei) => sum + BigInt(wei), 0n);
    if (given + FUND_WEI > TOTAL_CAP_WEI) throw new FaucetRefusal(`the class chain's faucet has given out its ${ether(TOTAL_CAP_WEI)} ETH; ask the teacher to send ether by hand`);

    const txHash = await this.pay(key);
    ledger[key] = FUND_WEI.toString();
    this.writeLedger(ledger);
    return { address: key, funded: hex(FUND_WEI), balance: hex(balance + FUND_WEI), txHash };
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
  private async pay(to: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      this.nextNonce ??= BigInt(await this.upstream.request<string>("eth_getTransactionCount", [this.faucetAddress, "latest"]));
      const nonce = this.nextNonce;
      try {
        const hash = await this.send({ to, nonce });
        this.nextNonce = nonce + 1n;
        return hash;
      } catch (error) {
        this.nextNonce = undefined;
        if (attempt >= 4 || !/nonce/i.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
      }
    }
  }

  private async send({ to, nonce }: { to: string; nonce: bigint }): Promise<string> {
    if (!this.faucetKey) {
      return this.upstream.request<string>("eth_sendTransaction", [{ from: this.faucetAddress, to, value: hex(FUND_WEI), gas: "0x5208", nonce: hex(nonce) }]);
    }
    const { LocalSigner } = require("../chain/signer") as typeof import("../chain/signer");
    const [chainId, gasPrice] = await Promise.all([this.upstream.request<string>("eth_chainId"), this.upstream.request<string>("eth_gasPrice")]);
    const raw = await new LocalSigner(this.faucetKey).signTransaction({ to, data: "0x", value: FUND_WEI, nonce, gas: 21_000n, gasPrice: BigInt(gasPrice), chainId: Number(chainId) });
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

function hex(n: bigint): string {
  return "0x" + n.toString(16);
}

export function ether(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const fraction = (wei % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "").slice(0, 6);
  return fraction ? `${whole}.${fraction}` : String(whole);
}
