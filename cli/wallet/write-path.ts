// The write path's interfaces exactly as PLAN.md fixes them for cli/chain/signer.ts (the client
// helper's file). Until that file is merged the wallet codes against this copy; TypeScript's
// structural typing makes the two interchangeable, and this file goes once signer.ts is in main.
export interface UnsignedTx {
  to: string;
  data: string;
  nonce: bigint;
  gas: bigint;
  gasPrice: bigint;
  chainId: number;
  value?: bigint;
}

export interface Signer {
  readonly address: string;
  signTransaction(tx: UnsignedTx): Promise<string /* raw 0x… */>;
}

/** Where keys come from; the first source that holds the address wins. */
export interface KeySource {
  readonly name: string;
  signerFor(address: string): Promise<Signer | undefined>;
  addresses(): Promise<string[]>;
}
