// Foundry's `cast` for tests, the platform binary from @foundry-rs/cast's optional dependency: what
// the product does not do itself, such as an EIP-7702 transaction (`cast send --auth`).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../cli/chain/home";

export function castBinary(): string {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string] ?? process.arch;
  const packageJson = require.resolve(`@foundry-rs/cast-${process.platform}-${arch}/package.json`, { paths: [PROJECT_ROOT] });
  const binary = path.join(path.dirname(packageJson), "bin", process.platform === "win32" ? "cast.exe" : "cast");
  assert.ok(fs.existsSync(binary), `cast is not installed at ${binary}; run npm install`);
  return binary;
}

/** Runs cast with `args` and resolves with its standard output, trimmed; rejects with its error output. */
export function cast(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(castBinary(), args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`cast ${args.join(" ")} failed: ${stderr || error.message}`));
      else resolve(stdout.trim());
    });
  });
}
