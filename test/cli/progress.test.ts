// The spinner of slow steps (the chain booting, the deploy) in a terminal that reports 0 columns: a
// pty nobody sized (`script`, some CI runners and editors' shells). ora's redraw divides by the width,
// so there it looped forever and `npm start` hung at "Starting the embedded chain".
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { PROJECT_ROOT } from "../../cli/chain/home";

const PROGRESS = path.join(PROJECT_ROOT, "dist", "cli", "start", "progress.js");

/** Runs a 300 ms step under the spinner in a child whose stderr claims to be a terminal `columns` wide. */
function stepIn(columns: number): Promise<{ code: number | null; stderr: string; ms: number }> {
  const script = `
    Object.defineProperty(process.stderr, "isTTY", { value: true });
    Object.defineProperty(process.stderr, "columns", { value: ${columns} });
    // What a TTY stream has and a pipe lacks; the escapes themselves do not matter here.
    Object.assign(process.stderr, { cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    const { step } = require(${JSON.stringify(PROGRESS)});
    step("Working", () => new Promise((resolve) => setTimeout(() => resolve(7), 300)), (n) => "Done " + n);
  `;
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: "xterm-256color", NO_COLOR: "1" };
  delete env.CI;
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ["-e", script], { env });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const guard = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.on("close", (code) => {
      clearTimeout(guard);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

describe("the progress spinner", () => {
  it("finishes its step in a terminal that reports 0 columns, printing the outcome", async () => {
    const ran = await stepIn(0);
    assert.equal(ran.code, 0, `the step should end, not spin forever (killed after 10 s):\n${ran.stderr.slice(-500)}`);
    assert.match(ran.stderr, /✔ Done 7/);
  });

  it("still spins in a terminal of a known width", async () => {
    const ran = await stepIn(80);
    assert.equal(ran.code, 0);
    assert.match(ran.stderr, /⠋ Working/, "a spinner frame");
    assert.match(ran.stderr, /✔ Done 7/);
  });
});
