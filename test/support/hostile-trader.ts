// The hostile trader (test/fixtures/HostileTrader.sol), compiled for the tests that use it: a test
// contract, so it is not in contracts/ and never among the product's artifacts. Compiled once per
// process with the project's solc, for Shanghai (Ganache's hardfork; anvil runs the same code).
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../cli/chain/home";

const SOURCE = path.join(PROJECT_ROOT, "test", "fixtures", "HostileTrader.sol");

/** HostileTrader.Answer: how one re-entry attempt ended. */
export enum Answer {
  NotTried,
  Refused,
  Failed,
  Succeeded,
}

/** The book functions a payment is turned against, in the order of HostileTrader.answers(). */
export const ATTEMPTS = ["cancelOrder", "expireOrder", "placeBid", "placeAsk", "pruneLevel", "withdraw"] as const;

export interface CompiledTrader {
  abi: unknown[];
  /** Creation code, 0x-prefixed. */
  bytecode: string;
}

let compiled: CompiledTrader | undefined;

export function hostileTrader(): CompiledTrader {
  if (compiled) return compiled;
  const solc = require("solc") as { compile(input: string): string };
  const input = {
    language: "Solidity",
    sources: { "HostileTrader.sol": { content: fs.readFileSync(SOURCE, "utf8") } },
    settings: { evmVersion: "shanghai", optimizer: { enabled: true, runs: 200 }, outputSelection: { "*": { HostileTrader: ["abi", "evm.bytecode.object"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((error) => error.severity === "error");
  if (errors.length > 0) throw new Error(`HostileTrader.sol does not compile:\n${errors.map((error) => error.formattedMessage).join("\n")}`);
  const contract = output.contracts["HostileTrader.sol"].HostileTrader;
  compiled = { abi: contract.abi, bytecode: "0x" + contract.evm.bytecode.object };
  return compiled;
}
