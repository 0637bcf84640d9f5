// The password protocol. Call data is public, so the password itself never leaves the client: the
// client sends a slow, per-account salted digest (scrypt), and the contract stores only a salted
// keccak hash of that digest. Login recomputes the digest and asks the contract to hash it
// (Carbon.passwordHashOf) for comparison with the stored hash.
import crypto from "node:crypto";

const SCRYPT = { N: 2 ** 14, r: 8, p: 1 } as const;

/** What `newCustomer`/`newSeller` receive as `_password`: 0x and 64 hex digits. */
export function passwordDigest(account: string, password: string): string {
  const salt = `carbon-ets:${account.toLowerCase()}`;
  return "0x" + crypto.scryptSync(password.normalize("NFC"), salt, 32, SCRYPT).toString("hex");
}
