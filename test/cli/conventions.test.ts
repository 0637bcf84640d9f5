// The command-line conventions `cast` and `git` users expect: --version, `help <command>`, a
// suggestion for a mistyped command, global options and exit codes in every --help, one JSON envelope
// for every command and every error (stdout only), NO_COLOR and --color, 0X addresses, and a session
// that refuses at once without a terminal. Each runs the real binary.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../cli/chain/home";
import { carbon, startTradingMarket, type TradingMarket } from "./support/cli";
import { circles, importedSpecifiers, type ImportGraph, importGraph } from "./support/imports";
import { Terminal } from "./support/terminal";

let cli: TradingMarket;
let customer: string;
let seller: string;

before(async () => {
  cli = await startTradingMarket();
  ({ customer, seller } = cli);
});

after(async () => {
  await cli.stop();
});

function one(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, `--json prints exactly one line, got:\n${stdout}`);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

const COMMANDS = ["accounts", "register", "login", "issue", "add-carbon", "buy", "settle", "balance", "carbons", "carbon", "records", "tx", "market", "freeze", "unfreeze", "interactive"];

describe("version and help", () => {
  it("--version prints package.json's version", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string };
    const { code, stdout } = await carbon(["--version"], cli.env);
    assert.equal(code, 0);
    assert.equal(stdout, `${version}\n`);
  });

  it("`carbon help <command>` is that command's --help", async () => {
    const viaHelp = await carbon(["help", "buy"], cli.env);
    const viaFlag = await carbon(["buy", "--help"], cli.env);
    assert.equal(viaHelp.code, 0);
    assert.match(viaHelp.stdout, /^Usage: carbon buy \[options\] <customer> <carbonId>$/m);
    assert.equal(viaHelp.stdout, viaFlag.stdout);
  });

  it("every command's --help shows the global options and the exit codes", async () => {
    for (const command of COMMANDS) {
      const { code, stdout } = await carbon([command, "--help"], cli.env);
      assert.equal(code, 0, command);
      assert.match(stdout, /^Global Options:$/m, `${command}: global options`);
      for (const option of ["--rpc <url>", "--json", "--color <when>", "--debug"]) assert.ok(stdout.includes(option), `${command}: ${option}`);
      const codes = /Exit codes:\n((?: {2}\d+ .*\n?)+)/.exec(stdout)?.[1] ?? "";
      assert.deepEqual(codes.trim().split("\n").map((line) => Number(line.trim().split(/\s+/)[0])), [0, 1, 2, 3, 4, 130], `${command}: exit codes`);
    }
  });

  it("a mistyped command gets a suggestion and exit 2; with --json only the envelope, on stdout", async () => {
    const text = await carbon(["blance", "1"], cli.env);
    assert.equal(text.code, 2);
    assert.equal(text.stdout, "");
    assert.equal(text.stderr, "error: unknown command 'blance'; did you mean `carbon balance`?\n");
    const swapped = await carbon(["makret"], cli.env);
    assert.match(swapped.stderr, /did you mean `carbon market`\?/);
    const far = await carbon(["teleport"], cli.env);
    assert.equal(far.stderr, "error: unknown command 'teleport'; see `carbon --help`\n");
    const json = await carbon(["blance", "1", "--json"], cli.env);
    assert.equal(json.code, 2);
    assert.deepEqual(one(json.stdout), { ok: false, error: "unknown command 'blance'; did you mean `carbon balance`?", exitCode: 2 });
    assert.equal(json.stderr, "");
  });
});

describe("the JSON envelope", () => {
  it("has ok and the same field names across balance, accounts, market, records, carbons and carbon", async () => {
    const balance = one((await carbon(["balance", "1", "--json"], cli.env)).stdout);
    assert.deepEqual(balance, { ok: true, address: customer, name: null, customerCarbon: "100", sellerCarbon: "0" });

    const accounts = one((await carbon(["accounts", "--json"], cli.env)).stdout) as { ok: boolean; accounts: Array<Record<string, unknown>> };
    assert.equal(accounts.ok, true);
    assert.deepEqual([accounts.accounts[1].address, accounts.accounts[1].customerCarbon], [customer, "100"], "accounts name the same things as balance");

    const records = one((await carbon(["records", "1", "--json"], cli.env)).stdout) as { ok: boolean; address: string; records: Array<Record<string, unknown>> };
    assert.equal(records.ok, true);
    assert.equal(records.address, customer);
    assert.deepEqual(Object.keys(records.records[0]), ["time", "block", "txHash", "operation", "address", "name", "counterparty", "counterpartyName", "carbonId", "amount", "isSuccess", "message"]);

    const market = one((await carbon(["market", "--json"], cli.env)).stdout);
    assert.equal(market.ok, true);
    assert.equal(market.issued, "100");

    const lots = one((await carbon(["carbons", "--json"], cli.env)).stdout);
    assert.deepEqual(lots, { ok: true, lots: [{ carbonId: "LOT-1", price: "30", seller, sellerName: null, buyer: null, buyerName: null }] });
    const lot = one((await carbon(["carbon", "LOT-1", "--json"], cli.env)).stdout);
    assert.deepEqual(lot, { ok: true, carbonId: "LOT-1", price: "30", seller, sellerName: null, buyer: null, buyerName: null });
  });

  it("every error is one object with ok, error and exitCode on stdout, and stderr stays empty", async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [["carbon", "LOT-Z", "--json"], 1, /^no lot has the carbon ID "LOT-Z"$/],
      [["login", "1", "--password", "wrong", "--json"], 1, /^wrong password for 0x[0-9a-f]{40}$/],
      [["balance", "0x12", "--json"], 2, /is not an address/],
      [["issue", "--json"], 2, /missing required argument/],
      [["--rpc", "http://127.0.0.1:9", "market", "--json"], 3, /^no Ethereum node answers at http:\/\/127\.0\.0\.1:9/],
    ];
    for (const [args, exitCode, error] of cases) {
      const { code, stdout, stderr } = await carbon(args, cli.env);
      assert.equal(code, exitCode, args.join(" "));
      const object = one(stdout);
      assert.equal(object.ok, false, args.join(" "));
      assert.equal(object.exitCode, exitCode, args.join(" "));
      assert.match(String(object.error), error, args.join(" "));
      assert.equal(stderr, "", `${args.join(" ")}: nothing on stderr`);
    }
  });

  it("a business refusal carries the thesis message as error, with exit code 1 and the transaction", async () => {
    const { code, stdout } = await carbon(["issue", "5", "10", "--json"], cli.env);
    assert.equal(code, 1);
    const object = one(stdout);
    assert.deepEqual([object.ok, object.exitCode, object.error, object.message], [false, 1, "This account has not been registered, and the distribution failed", "This account has not been registered, and the distribution failed"]);
    assert.match(String(object.txHash), /^0x[0-9a-f]{64}$/);
  });
});

describe("colour", () => {
  function colourEnv(): NodeJS.ProcessEnv {
    const env = { ...cli.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    return env;
  }

  async function inTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
    const term = new Terminal(args, env);
    try {
      assert.equal(await term.exited, 0);
      return term.raw;
    } finally {
      term.kill();
    }
  }

  it("is on in a terminal, and NO_COLOR or --color never turn it off for results too", async () => {
    const args = ["login", "1", "--password", "pw-customer"];
    assert.match(await inTerminal(args, colourEnv()), /\u001b\[32m✔/, "green in a terminal");
    assert.doesNotMatch(await inTerminal(args, { ...colourEnv(), NO_COLOR: "1" }), /\u001b\[/, "NO_COLOR: no escape codes at all");
    assert.doesNotMatch(await inTerminal([...args, "--color", "never"], colourEnv()), /\u001b\[/, "--color never");
    assert.doesNotMatch(await inTerminal(["carbons", "--color", "never"], colourEnv()), /\u001b\[/, "--color never in a table");
  });

  it("NO_COLOR reaches the session too: its menus and results carry no colour codes", async () => {
    const SGR = /\u001b\[[0-9;]*[1-9][0-9;]*m/;
    for (const [env, coloured] of [[colourEnv(), true], [{ ...colourEnv(), NO_COLOR: "1" }, false]] as const) {
      const term = new Terminal([], env);
      try {
        await term.waitFor("8. Quit");
        await term.choose(2);
        await term.waitFor("Which customer?");
        await term.choose(1);
        await term.waitFor("Password");
        await term.line("pw-customer");
        await term.waitFor("✔ Logged in");
        assert.equal(SGR.test(term.raw), coloured, coloured ? "colour in a terminal" : "no colour with NO_COLOR");
      } finally {
        term.kill();
      }
    }
  });

  it("--color always colours a pipe; auto does not", async () => {
    const always = await carbon(["login", "1", "--password", "pw-customer", "--color", "always"], colourEnv());
    assert.ok(always.stdout.startsWith("\u001b[32m✔"), JSON.stringify(always.stdout));
    const auto = await carbon(["login", "1", "--password", "pw-customer", "--color", "auto"], colourEnv());
    assert.ok(auto.stdout.startsWith("✔"), JSON.stringify(auto.stdout));
    const bad = await carbon(["balance", "1", "--color", "sometimes"], colourEnv());
    assert.equal(bad.code, 2);
  });
});

describe("addresses", () => {
  it("accepts the 0X prefix", async () => {
    const upper = "0X" + customer.slice(2).toUpperCase();
    const { code, stdout, stderr } = await carbon(["balance", upper, "--json"], cli.env);
    assert.equal(code, 0, stderr);
    assert.equal(one(stdout).address, customer);
    const lower = await carbon(["balance", "0X" + customer.slice(2)], cli.env);
    assert.equal(lower.code, 0, lower.stderr);
  });
});

describe("without a terminal", () => {
  it("the session says it needs one and exits 2 at once, drawing nothing on stdout", async () => {
    for (const args of [[], ["interactive"]]) {
      const started = Date.now();
      const { code, stdout, stderr } = await carbon(args, cli.env, { input: "", timeoutMs: 15_000 });
      assert.equal(code, 2, args.join(" "));
      assert.equal(stdout, "");
      assert.match(stderr, /^error: the interactive session needs a terminal/);
      assert.ok(Date.now() - started < 10_000, "at once");
    }
  });

  it("npm start says so too, at once (its own faults, a bad URL or a taken port, are said first)", async () => {
    const { runNode } = await import("../support/process.js");
    const start = path.join(PROJECT_ROOT, "dist", "cli", "start", "main.js");
    const { code, stdout, stderr } = await runNode(start, [], cli.env, { input: "", timeoutMs: 15_000 });
    assert.equal(code, 2);
    assert.doesNotMatch(stdout, /Sign in as/, "no menu drawn");
    assert.match(stderr, /(^|\n)error: the interactive session needs a terminal \(stdin and stdout\); run it in one, or use the scripted commands: `carbon --help`\n$/);
  });
});

// A comment, doc or message says what the rule is; a ticket number or a planning file nobody can open
// tells the next reader nothing. `carbon issue 1 500` is a command, not a reference: the word is
// exempt where a command line starts (a quote, `carbon `, `-- `, `$ `, a line break in a string).
const SCANNED = ["cli", "contracts", "migrations", "test", "bench", "docs", "README.md"];
const SCANNED_EXTENSIONS = /\.(ts|js|sol|md|json|feature)$/;
const COMMAND_START = /(^|["'`[]|\\n|carbon |-- |\$ )\s*$/;

function scannedFiles(entry: string): string[] {
  const full = path.join(PROJECT_ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full).flatMap((name) => (name === "node_modules" ? [] : scannedFiles(path.join(entry, name)))).filter((file) => SCANNED_EXTENSIONS.test(file));
}

/** Each line of `text` that cites an issue by number or the planning file, as `line: text`. */
function ticketReferences(text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, index) => {
    const cites = [...line.matchAll(/\bissues? #?\d+\b/gi)].some((match) => !/^issue \d/.test(match[0]) || !COMMAND_START.test(line.slice(0, match.index)));
    if (cites || /PLAN\.md/i.test(line)) found.push(`${index + 1}: ${line.trim()}`);
  });
  return found;
}

describe("comments, docs and messages", () => {
  it("tell a ticket reference from a command line", () => {
    const [word, plan] = ["issue", "PLAN"]; // spelt apart, so that this file passes its own scan
    const cited = [`// The cycle (${word} 8) as the CLI sees it`, `Aim (Issue${" "}11): under 1.3x`, `see ${word}s 8/9/11`, `in the order of ${plan}.md`];
    assert.equal(ticketReferences(cited.join("\n")).length, 4, "each of these cites a ticket");
    assert.deepEqual(ticketReferences(['"issue 1 500",', "$ carbon issue 1 500", "npm run --silent carbon -- issue 2 10", "8  issue         0xf39f…2266      500", 'input: "buy 1 B-1\\nissue 1 3"'].join("\n")), [], "commands are not references");
  });

  it("cite no issue number and no planning file, anywhere in the code, tests, benches or docs", () => {
    const files = SCANNED.flatMap(scannedFiles);
    assert.ok(files.length > 100, `scanned ${files.length} files`);
    const offenders = files.flatMap((file) => ticketReferences(fs.readFileSync(file, "utf8")).map((line) => `${path.relative(PROJECT_ROOT, file)}:${line}`));
    assert.deepEqual(offenders, [], "say what the rule is instead");
  });
});

// A circle of imports has no first file to read: each module needs the others to make sense, and a
// lazy require() only hides the knot from the load order. Every edge counts, type-only ones too
// (support/imports.ts): a shared type or helper belongs in a module both sides import.
describe("the CLI's modules", () => {
  it("are read with every kind of import, and a circle is named file by file", () => {
    const source = [
      'import { a } from "./a";',
      'import type { B } from "./b";',
      'export { c } from "./c";',
      'const d = require("./d") as typeof import("./e");',
      'const f = import("./f");',
      'import chalk from "chalk";',
    ].join("\n");
    assert.deepEqual(importedSpecifiers(source), ["./a", "./b", "./c", "./d", "./e", "./f"]);
    const graph: ImportGraph = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]], ["d.ts", ["a.ts"]]]);
    assert.deepEqual(circles(graph), ["a.ts → b.ts → c.ts → a.ts"]);
  });

  it("import one another without a circle", () => {
    const graph = importGraph(path.join(PROJECT_ROOT, "cli"));
    assert.ok(graph.size > 100, `read ${graph.size} files`);
    assert.deepEqual(circles(graph), [], "move what both sides need into a module of its own");
  });
});
