// A Signer over a private key held in this process: legacy (EIP-155) transactions signed with
// @ethereumjs/tx, the library web3.js 1.x itself signs with. Ganache and the class chain take them.
import Common from "@ethereumjs/common";
import { Transaction } from "@ethereumjs/tx";
import { addressOf } from "./keystore";
import type { Signer, UnsignedTx } from "./write-path";

export class LocalSigner implements Signer {
  readonly address: string;
  private readonly key: Buffer;

  constructor(privateKey: Uint8Array) {
    this.key = Buffer.from(privateKey);
    this.address = addressOf(privateKey);
  }

  async signTransaction(tx: UnsignedTx): Promise<string> {
    const common = Common.custom({ chainId: tx.chainId, networkId: tx.chainId }, { hardfork: "istanbul" });
    const unsigned = Transaction.fromTxData(
      { nonce: hex(tx.nonce), gasPrice: hex(tx.gasPrice), gasLimit: hex(tx.gas), to: tx.to, value: hex(tx.value ?? 0n), data: tx.data },
      { common },
    );
    return "0x" + unsigned.sign(this.key).serialize().toString("hex");
  }
}

function hex(value: bigint): string {
  return "0x" + value.toString(16);
}
