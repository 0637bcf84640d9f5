// An artifact read beside a `truffle migrate`, which rewrites build/contracts/*.json in place: a
// half-written file is read again until it is whole, and one that stays broken is still an error.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { readArtifactJson } from "../../cli/chain/artifact-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "carbon-artifact-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("readArtifactJson", () => {
  it("reads a file a migration is rewriting once the rewrite is done", async () => {
    const file = path.join(dir, "Carbon.json");
    fs.writeFileSync(file, '{"contractName": "Carb');
    // Another process finishes the file while this one reads: the read blocks this process.
    const writer = spawn(process.execPath, ["-e", `setTimeout(() => require("fs").writeFileSync(${JSON.stringify(file)}, '{"contractName": "Carbon"}'), 300)`]);
    await new Promise((resolve) => writer.on("spawn", resolve));
    const artifact = readArtifactJson<{ contractName: string }>(file);
    assert.equal(artifact.contractName, "Carbon", "the whole file, not the half");
    await new Promise((resolve) => writer.on("close", resolve));
  });

  it("throws when the file stays broken", () => {
    const file = path.join(dir, "Broken.json");
    fs.writeFileSync(file, "{");
    assert.throws(() => readArtifactJson(file), SyntaxError, "a file that never becomes whole is an error");
  });

  it("throws as fs does when the file is missing", () => {
    assert.throws(() => readArtifactJson(path.join(dir, "Missing.json")), { code: "ENOENT" });
  });
});
