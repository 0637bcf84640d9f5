// A report's evidence: the emissions report a company files (a PDF, a spreadsheet) stays off the chain;
// the chain holds its keccak256, so anyone holding the document can prove later that it is the one
// the verifier saw. `--evidence` takes the file (hashed here, byte for byte) or the hash itself.
import fs from "node:fs";
import { UsageError } from "../support/errors";

export interface Evidence {
  /** 0x and 64 hex digits. */
  hash: string;
  /** The file hashed, when a file was given. */
  file?: string;
}

/** keccak256 of the bytes, as 0x and 64 hex digits (what Solidity's keccak256 gives for the same bytes). */
export function keccak256Hex(bytes: Uint8Array): string {
  const { keccak_256 } = require("@noble/hashes/sha3") as typeof import("@noble/hashes/sha3");
  return "0x" + Buffer.from(keccak_256(bytes)).toString("hex");
}

/** A file's path, or a hash (0x and 64 hex digits); a file is read and hashed. */
export function parseEvidence(text: string): Evidence {
  const trimmed = text.trim();
  if (/^0[xX][0-9a-fA-F]{64}$/.test(trimmed)) {
    const hash = "0x" + trimmed.slice(2).toLowerCase();
    if (/^0x0{64}$/.test(hash)) throw new UsageError("--evidence is the zero hash, which no document has; give the file or its keccak256");
    return { hash };
  }
  if (/^0[xX][0-9a-fA-F]*$/.test(trimmed) && !fs.existsSync(trimmed)) {
    throw new UsageError(`--evidence "${text}" is neither a file nor a hash (0x and 64 hex digits)`);
  }
  let bytes: Buffer;
  try {
    if (!fs.statSync(trimmed).isFile()) throw new UsageError(`--evidence ${trimmed} is not a file`);
    bytes = fs.readFileSync(trimmed);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? `--evidence ${trimmed}: no such file (give the document, or its keccak256 as 0x and 64 hex digits)` : `--evidence ${trimmed} cannot be read (${code ?? (error as Error).message})`);
  }
  return { hash: keccak256Hex(bytes), file: trimmed };
}
