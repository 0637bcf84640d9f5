// The password protocol. Call data is public, so the password itself never leaves the client: the
// client sends a slow, per-account salted digest (scrypt, salted with the address), as the bytes32
// `_password` of newCustomer/newSeller, and the contract stores only a salted keccak hash of that
// digest. Login recomputes the digest and asks the contract to hash it (Carbon.passwordHashOf) for
// comparison with the stored hash. What this protects: the password, against anyone who reads the
// chain, at the cost of one scrypt per guess per account. What it does not: a weak password (a
// dictionary still works, slowly), or the account itself (the digest is public, and a transaction
// needs the account's key, not the password).
// node:crypto is loaded when a digest is made: reads never need it.

const SCRYPT = { N: 2 ** 14, r: 8, p: 1 } as const;

/** What `newCustomer`/`newSeller` receive as `_password` (bytes32): 0x and 64 hex digits. */
export function passwordDigest(account: string, password: string): string {
  const salt = `carbon-ets:${account.toLowerCase()}`;
  return "0x" + (require("node:crypto") as typeof import("node:crypto")).scryptSync(password.normalize("NFC"), salt, 32, SCRYPT).toString("hex");
}
