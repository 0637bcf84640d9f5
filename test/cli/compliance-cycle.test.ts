// The compliance cycle scripted end to end, one period on one chain, in the order a class runs it:
// open a period under a cap, issue under it, accredit and appoint a verifier (two keys), report with
// a file's keccak256, reject and resubmit, approve, correct, surrender, move the clock past the
// deadlines, close, enforce (the freeze), the table as text, CSV and JSON, and a late surrender that
// clears a shortfall. Each step checks its text or JSON, its exit code and the chain's state; a
// refusal before sending leaves the chain as it was.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Compliance } from "../../cli/chain/compliance";
import { keccak256Hex } from "../../cli/input/evidence";
import { carbon, fingerprint, startMarket, type CliChain } from "./support/cli";
import { startProxy } from "./support/proxy";

const DAY = 86_400;
let cli: CliChain;
let compliance: Compliance;
/** Customers: 1 compliant (A), 2 short (B), 3 never reports (C); 6 is the verifier. */
let c1: string, c2: string, c3: string, verifier: string;
let evidenceFile: string;

before(async () => {
  cli = await startMarket();
  [, c1, c2, c3] = cli.accounts;
  verifier = cli.accounts[6];
  for (const customer of [c1, c2, c3]) await cli.market.newCustomer(customer, "pw");
  compliance = new Compliance(cli.market);
  evidenceFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "evidence-")), "emissions-2026.csv");
  fs.writeFileSync(evidenceFile, "plant,tonnes\nnorth,500\nsouth,300\n");
});

after(async () => {
  fs.rmSync(path.dirname(evidenceFile), { recursive: true, force: true });
  await cli.stop();
});

const run = (...args: string[]) => carbon(args, cli.env);

function json(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, `--json prints one line:\n${stdout}`);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

/** A write that the contract accepted: exit 0 and its message on the first line. */
async function accepted(message: string, ...args: string[]): Promise<void> {
  const ran = await run(...args);
  assert.equal(ran.code, 0, `carbon ${args.join(" ")}: ${ran.stderr}${ran.stdout}`);
  assert.equal(ran.stdout.split("\n")[0], `✔ ${message}`, `carbon ${args.join(" ")}`);
}

/** A write the contract refused: exit 1, its message, and a transaction mined anyway. */
async function refused(message: string, ...args: string[]): Promise<void> {
  const ran = await run(...args);
  assert.equal(ran.code, 1, `carbon ${args.join(" ")}: ${ran.stderr}${ran.stdout}`);
  assert.match(ran.stdout, new RegExp(`^✘ ${message}\ntx 0x[0-9a-f]{64}\n`), `carbon ${args.join(" ")}`);
}

/** Refused before sending: exit 2, the message on stderr, nothing on stdout, the chain unchanged. */
async function usage(message: string | RegExp, ...args: string[]): Promise<void> {
  const before = await fingerprint(cli);
  const ran = await run(...args);
  assert.equal(ran.code, 2, `carbon ${args.join(" ")}: ${ran.stderr}${ran.stdout}`);
  assert.equal(ran.stdout, "");
  if (typeof message === "string") assert.equal(ran.stderr.trim(), `error: ${message}`);
  else assert.match(ran.stderr, message);
  assert.equal(await fingerprint(cli), before, "nothing was sent");
}

describe("before any period", () => {
  it("the table and the period say how to open one (exit 2)", async () => {
    const message = "no period has been opened yet; the regulator opens one with `carbon period open <label> --cap N --report-by +30d --surrender-by +60d --penalty-rate N`";
    await usage(message, "compliance");
    await usage(message, "period", "show");
    await usage(message, "report", "1", "10", "--evidence", evidenceFile);
  });

  it("refuses a malformed period before sending", async () => {
    await usage(/error: required option '--cap <n>' not specified/, "period", "open", "2026", "--report-by", "+30d", "--surrender-by", "+60d", "--penalty-rate", "1");
    await usage('--cap "lots" is not a whole number from 1 to 2^128-1', "period", "open", "2026", "--cap", "lots", "--report-by", "+30d", "--surrender-by", "+60d", "--penalty-rate", "1");
    await usage('--report-by "soon" is not a duration: a whole number and a unit, s m h d or w (e.g. 30d, 12h, 1d12h)', "period", "open", "2026", "--cap", "10", "--report-by", "+soon", "--surrender-by", "+60d", "--penalty-rate", "1");
    await usage(/^error: --report-by 2020-01-01 23:59:59 UTC is not after the chain's clock, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; give a later date, or \+30d$/m, "period", "open", "2026", "--cap", "10", "--report-by", "2020-01-01", "--surrender-by", "+60d", "--penalty-rate", "1");
    await usage(/--surrender-by .* is before --report-by/, "period", "open", "2026", "--cap", "10", "--report-by", "+30d", "--surrender-by", "+10d", "--penalty-rate", "1");
    await usage(/is not the regulator/, "period", "open", "2026", "--cap", "10", "--report-by", "+30d", "--surrender-by", "+60d", "--penalty-rate", "1", "--from", "1");
  });
});

describe("a period under a cap", () => {
  it("opens as the regulator, with deadlines on the chain's clock (JSON)", async () => {
    const now = await compliance.currentTime();
    const ran = await run("period", "open", "2026", "--cap", "2000", "--report-by", "+30d", "--surrender-by", "+60d", "--penalty-rate", "10", "--json");
    assert.equal(ran.code, 0, ran.stderr);
    const object = json(ran.stdout);
    assert.deepEqual([object.ok, object.message, object.event], [true, "Period opened", "OpenPeriod"]);
    const period = await compliance.period(0);
    assert.equal(period.label, "2026");
    assert.equal(period.cap, 2000n);
    assert.ok(Math.abs(period.reportingDeadline - (now + 30 * DAY)) <= 5, "+30d counts from the chain's clock");
    assert.equal(period.surrenderDeadline - period.reportingDeadline, 30 * DAY);
    await refused("A period is already open", "period", "open", "2027", "--cap", "10", "--report-by", "+30d", "--surrender-by", "+60d", "--penalty-rate", "1");
  });

  it("shows the period (text and JSON)", async () => {
    const text = await run("period", "show");
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^period {7}2026 {2}#0\nstate {8}open: reports until the reporting deadline\ncap {10}2000 {2}\(0 allocated, 2000 left\)\nreport by {4}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}in 30 days\nsurrender by \S+ \S+ UTC {2}in 60 days\npenalty rate 10 per tonne short\n/);
    const object = json((await run("period", "show", "2026", "--json")).stdout);
    assert.deepEqual([object.period, object.label, object.cap, object.allocated, object.penaltyRate, object.state, object.closed], [0, "2026", "2000", "0", "10", "reporting", false]);
    await usage('no period is labelled "1999"; `carbon period show` shows the latest', "period", "show", "1999");
  });

  it("counts issued quota against the cap, and refuses an issue that would exceed it", async () => {
    await accepted("Successfully issued quota", "issue", "1", "1000");
    await accepted("Successfully issued quota", "issue", "2", "600");
    await accepted("Successfully issued quota", "issue", "3", "400");
    await usage("period 2026 has 0 of its cap of 2000 left: 1 would exceed it by 1", "issue", "2", "1");
    assert.equal(await cli.market.customerCarbonAmount(c2), 600n, "the refused issue changed nothing");
    assert.equal((await compliance.period(0)).allocated, 2000n);
  });
});

describe("verification: two keys, a report, a rejection, a correction", () => {
  it("accredits, appoints and accepts", async () => {
    await accepted("Verifier accredited", "verifier", "accredit", "6");
    await usage("the regulator cannot be a verifier", "verifier", "accredit", "0");
    assert.deepEqual(json((await run("verifier", "list", "--json")).stdout).verifiers, [{ address: verifier, name: null, index: 6 }]);
    assert.equal((await run("verifier", "list")).stdout, ` 6  ${verifier}\n`);
    await accepted("Verifier appointed", "verifier", "appoint", "1", "6");
    await accepted("Verifier appointed", "verifier", "appoint", c2, verifier);
    await usage(/cannot act for/, "verifier", "accept", "6", "1", "--from", "1");
    await accepted("Appointment accepted", "verifier", "accept", "6", "1");
    await accepted("Appointment accepted", "verifier", "accept", "6", "2");
    await refused("You have already accepted this appointment", "verifier", "accept", "6", "2");
  });

  it("reports with the keccak256 of the evidence file, or a hash as given", async () => {
    await usage("--evidence is required: the emissions report's file, or its keccak256", "report", "1", "800");
    await usage(/--evidence \/no\/such\.pdf: no such file/, "report", "1", "800", "--evidence", "/no/such.pdf");
    await accepted("Emissions reported", "report", "1", "700", "--evidence", evidenceFile);
    const record = await compliance.record(c1, 0);
    assert.equal(record.evidence, keccak256Hex(fs.readFileSync(evidenceFile)), "the file's keccak256 is on chain");
    const hash = "0x" + "ab".repeat(32);
    const ran = await run("report", "2", "600", "--evidence", hash, "--json");
    assert.equal(json(ran.stdout).message, "Emissions reported");
    assert.equal((await compliance.record(c2, 0)).evidence, hash);
  });

  it("rejects with a reason, takes the corrected report, approves", async () => {
    await usage("say --approve, or --reject <reason>", "verify", "6", "1");
    await usage("give --approve or --reject <reason>, not both", "verify", "6", "1", "--approve", "--reject", "no");
    await accepted("Report rejected", "verify", "6", "1", "--reject", "the south plant is missing a month");
    assert.equal((await compliance.record(c1, 0)).rejectionReason, "the south plant is missing a month");
    const obligation = await run("obligation", "1");
    assert.match(obligation.stdout, /\nreport {6}700 tonnes, rejected by its verifier: correct it and report again\nwhy {9}the south plant is missing a month\n/);
    await accepted("Report resubmitted", "report", "1", "800", "--evidence", evidenceFile);
    await accepted("Report approved", "verify", "6", "1", "--approve");
    await accepted("Report approved", "verify", verifier, c2, "--approve");
    await refused("This report has already been verified", "verify", "6", "2", "--approve");
  });

  it("lets the regulator correct a verified figure, with a reason", async () => {
    await usage("--reason is required: a correction says why", "correct", "2", "500");
    await accepted("Emissions corrected", "correct", "2", "500", "--reason", "audit: one plant was counted twice");
    const record = await compliance.record(c2, 0);
    assert.deepEqual([record.verified, record.reportState, record.correctionReason], [500n, "corrected", "audit: one plant was counted twice"]);
  });
});

describe("surrender, deadlines, closing and enforcement", () => {
  it("surrenders quota for good", async () => {
    await accepted("Quota surrendered", "surrender", "1", "800");
    await accepted("Quota surrendered", "surrender", "2", "300");
    const market = JSON.parse((await run("market", "--json")).stdout);
    assert.equal(BigInt(market.circulating), BigInt(market.issued) - BigInt(market.settled) - 1100n, "surrendered quota no longer circulates");
    assert.equal(market.surrendered, "1100");
    await usage("amount 0 is outside 1 to 2^96-1", "surrender", "1", "0");
    await usage(`${c1} holds 200 quota: a surrender of 10000 needs 10000 (9800 short)`, "surrender", "1", "10000");
    assert.equal(await cli.market.customerCarbonAmount(c1), 200n, "1000 issued, 800 surrendered");
    assert.equal(await compliance.surrenderedCarbonAmount(), 1100n);
  });

  it("shows the live table: A, B, and - for a customer that has not reported yet", async () => {
    const ran = await run("compliance");
    assert.equal(ran.code, 0, ran.stderr);
    const lines = ran.stdout.trim().split("\n");
    assert.equal(lines[0], "Compliance 2026 (open: reports until the reporting deadline)");
    assert.match(lines[1], /^account +allocated +verified +surrendered +status +penalty +frozen$/);
    assert.match(lines[2], new RegExp(`^${c1} +1000 +800 +800 +A +0$`));
    assert.match(lines[3], new RegExp(`^${c2} +600 +500 +300 +B +0$`));
    assert.match(lines[4], new RegExp(`^${c3} +400 +- +0 +- +0$`));
    assert.equal(lines.length, 5, "customers that take no part are not listed");
  });

  it("moves the clock past the reporting deadline: a first report is then refused", async () => {
    const before = await compliance.currentTime();
    const ran = await run("time", "advance", "31d", "--json");
    assert.equal(ran.code, 0, ran.stderr);
    const object = json(ran.stdout);
    assert.equal(object.seconds, 31 * DAY);
    assert.match(String(object.node), /^Ganache/);
    assert.ok((await compliance.currentTime()) >= before + 31 * DAY, "the chain's clock moved");
    await refused("The reporting deadline has passed", "report", "3", "100", "--evidence", evidenceFile);
    await usage(/duration "31" is not a duration/, "time", "advance", "31");
  });

  it("closes only after the surrender deadline, and only once", async () => {
    const deadline = /^error: the surrender deadline of period 2026 is \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC on the chain's clock; it is \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC now: move the clock with `carbon time advance` or wait\n$/;
    await usage(deadline, "period", "close");
    await usage(/^error: period 2026 is not closed yet: enforce it after `carbon period close`, once its surrender deadline \(.* UTC on the chain's clock\) has passed\n$/, "enforce");
    const moved = await run("time", "advance", "30d");
    assert.match(moved.stdout, /^✔ The chain's clock moved 30 days forward\nfrom {2}.* UTC\nto {4}.* UTC {2}\(block \d+, Ganache/);
    await usage(/^error: period 2026 took its surrenders until .* UTC on the chain's clock \(it is .* UTC now\): the market issues nothing until the regulator closes it \(`carbon period close`\)\n$/, "issue", "1", "1");
    await accepted("Period closed", "period", "close");
    await usage("period 2026 is closed already", "period", "close", "2026");
  });

  it("gives the final table as CSV before enforcement: no penalty yet, the never-reported customer is C", async () => {
    const ran = await run("compliance", "2026", "--csv");
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(
      ran.stdout,
      ["account,name,allocated,verified,surrendered,status,penalty,frozen", `${c1},,1000,800,800,A,0,no`, `${c2},,600,500,300,B,0,no`, `${c3},,400,-,0,C,0,no`, ""].join("\n"),
    );
  });

  it("enforces every B and C account, one transaction each: B frozen and fined; C waits for the regulator's estimate, refused before sending (exit 1)", async () => {
    const ran = await run("enforce", "--json");
    assert.equal(ran.code, 1, ran.stderr);
    const object = json(ran.stdout) as { enforced: Array<Record<string, unknown>> };
    assert.deepEqual(
      object.enforced.map((row) => [row.address, row.status, row.ok, row.message]),
      [
        [c2, "B", true, "Short: the account is frozen and a penalty recorded"],
        [c3, "C", false, `${c3} has no verified emissions and no estimate for period 2026: estimate its emissions first (\`carbon estimate\`)`],
      ],
    );
    assert.match(String(object.enforced[0].txHash), /^0x[0-9a-f]{64}$/, "B's enforcement was mined");
    assert.deepEqual([object.enforced[1].sent, object.enforced[1].txHash], [false, undefined], "nothing was sent for C");
    assert.deepEqual([await cli.market.isFrozen(c1), await cli.market.isFrozen(c2), await cli.market.isFrozen(c3)], [false, true, false]);
  });

  it("estimates the silent account's emissions, then enforces it on the estimate + 10 %; a second run sends nothing", async () => {
    await usage("--reason is required: an estimate says how it was made", "estimate", "3", "450");
    await usage("an estimate of 0 tonnes would let silence pay nothing: estimate at least 1 tonne", "estimate", "3", "0", "--reason", "none");
    await accepted("Emissions estimated", "estimate", "3", "450", "--reason", "kiln capacity x the sector's intensity", "--period", "2026");
    const owed = json((await run("obligation", "3", "--json")).stdout);
    assert.deepEqual([owed.status, owed.estimated, owed.obligation, owed.estimateReason], ["C", "450", "495", "kiln capacity x the sector's intensity"]);
    const ran = await run("enforce", "--json");
    assert.equal(ran.code, 0, ran.stderr);
    const object = json(ran.stdout) as { enforced: Array<Record<string, unknown>> };
    assert.deepEqual(
      object.enforced.map((row) => [row.address, row.status, row.ok, row.message]),
      [[c3, "C", true, "No verified emissions: the account is frozen and a penalty recorded on the regulator's estimate"]],
    );
    assert.equal(await cli.market.isFrozen(c3), true, "frozen");
    const again = await run("enforce");
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), "Nothing to enforce in 2026: no account is B or C, or each was enforced already.");
  });

  it("gives the table as JSON: statuses A, B, C, penalties at the rate, the freezes", async () => {
    const object = json((await run("compliance", "--json")).stdout);
    assert.deepEqual([object.label, object.state, object.closed], ["2026", "closed", true]);
    assert.deepEqual(object.accounts, [
      { address: c1, name: null, allocated: "1000", verified: "800", surrendered: "800", status: "A", penalty: "0", frozen: false },
      // B: (500 - 300) short at 10 a tonne; C: the estimate + 10 %, 495, at 10.
      { address: c2, name: null, allocated: "600", verified: "500", surrendered: "300", status: "B", penalty: "2000", frozen: true },
      { address: c3, name: null, allocated: "400", verified: null, surrendered: "0", status: "C", penalty: "4950", frozen: true },
    ]);
  });

  it("takes a late surrender that clears the shortfall, after which the regulator unfreezes", async () => {
    const owed = json((await run("obligation", "2", "--json")).stdout);
    assert.deepEqual([owed.status, owed.outstanding, owed.frozen], ["B", "200", true]);
    // The regulator may lift the freeze early (a frozen account can receive nothing to pay with), and is told what is still owed.
    const early = await run("unfreeze", "2");
    assert.equal(early.code, 0, early.stderr);
    assert.deepEqual(early.stdout.split("\n").filter((line) => line.startsWith("✔") || line.startsWith("!")), ["✔ Account unfrozen", `! ${c2} still owes 200 quota from an enforced period: its status stays short until it surrenders that`]);
    const refrozen = json((await run("--json", "freeze", "2")).stdout);
    assert.equal(refrozen.warning, undefined, "freezing warns of nothing");
    assert.equal(refrozen.message, "Account frozen");
    // More than it owes would go to the open period, and none is open.
    await usage(`there is no open period to surrender for; ${c2} owes 200 from an enforced period, which it can surrender now`, "surrender", "2", "201");
    await accepted("Quota surrendered, the shortfall is cleared", "surrender", "2", "200");
    assert.equal(json((await run("obligation", "2", "--json")).stdout).outstanding, "0");
    const unfrozen = json((await run("--json", "unfreeze", "2")).stdout);
    assert.deepEqual([unfrozen.ok, unfrozen.message, unfrozen.warning], [true, "Account unfrozen", undefined], "nothing owed: no warning");
  });
});

describe("the clock on a node that is not a development chain", () => {
  it("refuses to move it (exit 2) and asks the node nothing beyond its name", async () => {
    const proxy = await startProxy(cli.chain.url, ({ method }) => (method === "web3_clientVersion" ? { result: "Geth/v1.13.5-stable/linux-amd64/go1.21.4" } : undefined));
    try {
      const ran = await carbon(["time", "advance", "30d"], { ...cli.env, CARBON_RPC_URL: proxy.url });
      assert.equal(ran.code, 2, ran.stderr);
      assert.equal(ran.stderr.trim(), `error: the chain's clock can be moved only on a development chain (Ganache or anvil); ${proxy.url} runs Geth/v1.13.5-stable/linux-amd64/go1.21.4, whose clock is its own`);
      assert.ok(!proxy.calls.some((call) => call.method.startsWith("evm_")), "no evm_ method was sent");
    } finally {
      await proxy.close();
    }
  });
});
