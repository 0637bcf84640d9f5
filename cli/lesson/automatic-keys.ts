// The keys of the lesson's automatic firms: accounts the teacher's machine plays, each with a key of
// its own, kept in $CARBON_HOME/automatic-firms.json (0600, like the wallets) so that the teacher's
// later commands can sign for them and nobody else can. They are not wallets: no password guards
// them, because they hold only the ether the teacher gave them and a student can never sign for one.
// A key source beside the wallets (endpoint.ts), so every command can act as an automatic firm.
import crypto from "node:crypto";
import path from "node:path";
import { carbonHome } from "../chain/home";
import { readPrivateJson, writePrivateJson } from "../chain/private-file";
import { PrivateKeySource, addressOf, type KeySource } from "../chain/signer";

export interface AutomaticKey {
  address: string;
  key: string;
}

interface StoredKeys {
  version: 1;
  keys: AutomaticKey[];
}

export function automaticKeysPath(): string {
  return path.join(carbonHome(), "automatic-firms.json");
}

const WHAT = "the automatic firms' keys";

function isStoredKeys(value: unknown): value is StoredKeys {
  const stored = value as StoredKeys | undefined;
  return stored?.version === 1 && Array.isArray(stored.keys);
}

export function readAutomaticKeys(file = automaticKeysPath()): AutomaticKey[] {
  const stored = readPrivateJson(file, WHAT, isStoredKeys);
  return (stored?.keys ?? []).filter((entry) => /^0x[0-9a-f]{40}$/.test(entry.address) && /^[0-9a-f]{64}$/.test(entry.key));
}

/** Adds `count` fresh keys to the file and returns them. */
export function createAutomaticKeys(count: number, file = automaticKeysPath()): AutomaticKey[] {
  const known = readAutomaticKeys(file);
  const fresh = Array.from({ length: count }, () => {
    const key = crypto.randomBytes(32);
    return { address: addressOf(key), key: key.toString("hex") };
  });
  writePrivateJson(file, { version: 1, keys: [...known, ...fresh] });
  return fresh;
}

/** The automatic firms' addresses, in lower case. */
export function automaticAddresses(): Set<string> {
  return new Set(readAutomaticKeys().map((entry) => entry.address));
}

/** Signs for the automatic firms; empty where the teacher never added any. Firms added by this very process are found too. */
export function automaticKeySource(): KeySource {
  let source: PrivateKeySource | undefined;
  let size = -1;
  const current = (): PrivateKeySource => {
    const keys = readAutomaticKeys();
    if (!source || keys.length !== size) {
      size = keys.length;
      source = new PrivateKeySource("the lesson's automatic firms", () => keys);
    }
    return source;
  };
  return {
    name: "the lesson's automatic firms",
    signerFor: (address) => current().signerFor(address),
    addresses: () => current().addresses(),
  };
}
