// The README's example session works as written: every `console` block is run, command by command,
// on one fresh chain, in the README's order. Each command must end with the exit code its comment
// gives ("# exit code 1"; 0 without one) and print every line shown under it, where `…` stands for
// what differs from run to run (hashes, times, blocks). `sh` blocks are not run: they start a
// long-running chain or server, or need a terminal; the README says so under "Where to read more".
import assert from "node:assert/strict";
import { exec } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../cli/chain/home";
import { migrate, startTestChain, type TestChain } from "../support/test-chain";

interface Example {
  command: string;
  exitCode: number;
  shown: string[];
}

/** The commands of the README's `console` blocks, each with its expected exit code and shown output. */
function consoleExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  for (const [, block] of markdown.matchAll(/^```console\n([\s\S]*?)^```$/gm)) {
    for (const line of block.split("\n")) {
      if (line.startsWith("$ ")) {
        const [command, comment = ""] = line.slice(2).split(/\s+#\s*/, 2);
        const exitCode = Number(/exit code (\d+)/.exec(comment)?.[1] ?? 0);
        examples.push({ command: command.trim(), exitCode, shown: [] });
      } else if (line.trim() !== "") {
        assert.ok(examples.length > 0, `output before any command in a console block: ${line}`);
        examples[examples.length - 1].shown.push(line);
      }
    }
  }
  return examples;
}

/** A shown line as a whole-line pattern: `…` matches anything, the rest literally. */
function linePattern(shown: string): RegExp {
  return new RegExp(`^${shown.split("…").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "m");
}

function shell(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    exec(command, { cwd: PROJECT_ROOT, env, shell: "/bin/bash", timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

const examples = consoleExamples(fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8"));
let chain: TestChain;
let env: NodeJS.ProcessEnv;

before(async () => {
  chain = await startTestChain();
  await migrate(chain);
  env = { ...chain.env, NO_COLOR: "1" };
  delete env.CARBON_MNEMONIC;
});

after(async () => {
  await chain.stop();
});

describe("the README and docs/", () => {
  it("name only files and links that exist", () => {
    const pages = ["README.md", ...fs.readdirSync(path.join(PROJECT_ROOT, "docs")).map((name) => path.join("docs", name))];
    for (const page of pages) {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, page), "utf8");
      for (const [, file] of text.matchAll(/`((?:cli|contracts|migrations|test|bench)\/[\w./-]+)`/g)) {
        assert.ok(fs.existsSync(path.join(PROJECT_ROOT, file)), `${page} names ${file}, which does not exist`);
      }
      for (const [, link] of text.matchAll(/\]\(([\w./-]+\.md)(?:#[\w-]*)?\)/g)) {
        assert.ok(fs.existsSync(path.join(PROJECT_ROOT, path.dirname(page), link)), `${page} links to ${link}, which does not exist`);
      }
    }
  });
});

describe("the README's console blocks", () => {
  it("are found: the walkthrough's commands, each showing some output", () => {
    assert.ok(examples.length >= 10, `${examples.length} commands found in the README's console blocks`);
    for (const example of examples) assert.ok(example.shown.length > 0, `\`${example.command}\` shows what it prints`);
    assert.deepEqual(linePattern("a … b").test("a 0x12 b"), true, "… stands for anything");
    assert.deepEqual(linePattern("a (b)").test("a (b)"), true, "the rest is literal");
  });

  it("run as written on a fresh chain: each exit code and every line shown", async () => {
    for (const { command, exitCode, shown } of examples) {
      const { code, output } = await shell(command, env);
      assert.equal(code, exitCode, `\`${command}\` exits ${exitCode}; it printed:\n${output}`);
      for (const line of shown) assert.match(output, linePattern(line), `\`${command}\` prints the README's line «${line}»; it printed:\n${output}`);
    }
  });
});
