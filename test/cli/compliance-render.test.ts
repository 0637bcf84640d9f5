// The compliance cycle's parts that need no chain: durations and deadlines as typed, evidence hashed
// from a file's bytes, and the compliance table as text, CSV and JSON.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { isDevelopmentNode } from "../../cli/chain/clock";
import { UsageError } from "../../cli/support/errors";
import { keccak256Hex, parseEvidence } from "../../cli/input/evidence";
import { rememberNames } from "../../cli/render/account-label";
import { setColourMode } from "../../cli/render/colours";
import type { ComplianceRecord } from "../../cli/chain/compliance-types";
import { clockText, complianceCsv, complianceJson, complianceText, enforcementJson, obligationJson, obligationText, phase, periodJson, periodText } from "../../cli/render/compliance";
import type { ComplianceTable } from "../../cli/commands/compliance";
import type { PeriodView } from "../../cli/commands/compliance-period";
import { durationWords, formatDuration, parseDeadline, parseDuration, resolveDeadline } from "../../cli/input/time";

setColourMode("never");

const DAY = 86_400;
const usage = (pattern: RegExp) => (error: unknown) => error instanceof UsageError && pattern.test(error.message);

describe("durations", () => {
  for (const [typed, seconds] of [
    ["30d", 30 * DAY],
    ["12h", 12 * 3600],
    ["90m", 5400],
    ["45s", 45],
    ["2w", 14 * DAY],
    ["1d12h", DAY + 12 * 3600],
    [" 1D ", DAY],
  ] as const) {
    it(`reads ${JSON.stringify(typed)} as ${seconds} s`, () => assert.equal(parseDuration(typed), seconds));
  }

  for (const typed of ["30", "d", "30 d", "-1d", "1.5d", "30y", "", "+30d"]) {
    it(`refuses ${JSON.stringify(typed)}, saying what a duration is`, () => {
      assert.throws(() => parseDuration(typed), usage(/is not a duration: a whole number and a unit/));
    });
  }

  it("refuses zero and more than a century", () => {
    assert.throws(() => parseDuration("0d"), usage(/is zero/));
    assert.throws(() => parseDuration("36501d"), usage(/longer than a century/));
  });

  it("writes a duration back in its shortest form, and in words", () => {
    assert.equal(formatDuration(30 * DAY), "30d");
    assert.equal(formatDuration(DAY + 12 * 3600 + 61), "1d12h1m1s");
    assert.equal(durationWords(30 * DAY), "30 days");
    assert.equal(durationWords(DAY + 3600), "1 day 1 hour");
  });
});

describe("deadlines", () => {
  it("reads +30d as thirty days after the chain's clock, whatever the wall clock says", () => {
    const deadline = parseDeadline("+30d");
    assert.deepEqual(deadline, { after: 30 * DAY });
    assert.equal(resolveDeadline(deadline, 1_000_000), 1_000_000 + 30 * DAY);
  });

  it("reads a date as the end of that day, UTC", () => {
    assert.equal(resolveDeadline(parseDeadline("2026-12-31"), 0), Date.UTC(2026, 11, 31, 23, 59, 59) / 1000);
  });

  it("reads a moment, UTC unless it names its zone", () => {
    assert.equal(resolveDeadline(parseDeadline("2026-12-31T12:00:00Z"), 0), Date.UTC(2026, 11, 31, 12) / 1000);
    assert.equal(resolveDeadline(parseDeadline("2026-12-31T12:00"), 0), Date.UTC(2026, 11, 31, 12) / 1000);
    assert.equal(resolveDeadline(parseDeadline("2026-12-31T12:00:00+02:00"), 0), Date.UTC(2026, 11, 31, 10) / 1000);
  });

  it("refuses what is no date, and dates the calendar lacks", () => {
    assert.throws(() => parseDeadline("next week"), usage(/is not a date \(2026-12-31\), a moment .* or a time from now \(\+30d\)/));
    assert.throws(() => parseDeadline("2026-02-30"), usage(/not a date of the calendar/));
    assert.throws(() => parseDeadline("+soon", "--report-by"), usage(/^--report-by "soon" is not a duration/));
  });
});

describe("evidence", () => {
  it("hashes a file's bytes with keccak256, as Solidity would", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "evidence-")), "report.txt");
    fs.writeFileSync(file, "");
    // keccak256 of no bytes, the well-known constant.
    assert.deepEqual(parseEvidence(file), { hash: "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", file });
    fs.writeFileSync(file, "hello");
    assert.equal(parseEvidence(file).hash, "0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it("takes a hash as it is, in lower case", () => {
    const hash = "0x" + "AB".repeat(32);
    assert.deepEqual(parseEvidence(hash), { hash: hash.toLowerCase() });
    assert.equal(keccak256Hex(Buffer.from("hello")), "0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");
  });

  it("refuses a missing file, a short hash, the zero hash and a folder", () => {
    assert.throws(() => parseEvidence("/no/such/report.pdf"), usage(/no such file/));
    assert.throws(() => parseEvidence("0x1234"), usage(/neither a file nor a hash/));
    assert.throws(() => parseEvidence("0x" + "0".repeat(64)), usage(/zero hash/));
    assert.throws(() => parseEvidence(os.tmpdir()), usage(/is not a file/));
  });
});

describe("development nodes", () => {
  it("knows Ganache and anvil by their client version, and nothing else", () => {
    assert.ok(isDevelopmentNode("Ganache/v7.9.2/EthereumJS TestRPC/v7.9.2/ethereum-js"));
    assert.ok(isDevelopmentNode("anvil/v0.2.0"));
    assert.ok(!isDevelopmentNode("Geth/v1.13.5-stable/linux-amd64/go1.21.4"));
    assert.ok(!isDevelopmentNode("erigon/2.55.1"));
  });
});

const A = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const B = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
const C = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
const P = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
const NOW = Date.UTC(2026, 0, 1) / 1000;

const PERIOD: PeriodView = { id: 1, label: "2026", cap: 2000n, allocated: 1500n, reportBy: NOW + 30 * DAY, surrenderBy: NOW + 60 * DAY, penaltyRate: 100n, closed: false, now: NOW, realTime: NOW };

const TABLE: ComplianceTable = {
  period: { ...PERIOD, closed: true, now: NOW + 61 * DAY },
  rows: [
    { account: A, allocated: 1000n, verified: 800n, surrendered: 800n, status: "A", penalty: 0n, frozen: false },
    { account: B, allocated: 300n, verified: 400n, surrendered: 300n, status: "B", penalty: 10_000n, frozen: true },
    { account: C, allocated: 200n, surrendered: 0n, status: "C", penalty: 20_000n, frozen: true },
    { account: P, allocated: 0n, surrendered: 0n, status: "pending", penalty: 0n, frozen: false },
  ],
};

describe("a period", () => {
  it("says where it stands on the chain's clock", () => {
    assert.equal(phase(PERIOD), "reporting");
    assert.equal(phase({ ...PERIOD, now: PERIOD.reportBy }), "reporting", "the reporting deadline itself is still in time");
    assert.equal(phase({ ...PERIOD, now: PERIOD.reportBy + 1 }), "surrender");
    assert.equal(phase({ ...PERIOD, now: PERIOD.surrenderBy + 1 }), "ended");
    assert.equal(phase({ ...PERIOD, closed: true }), "closed");
  });

  it("shows cap, allocation, deadlines in UTC and how far off they are", () => {
    assert.equal(
      periodText(PERIOD),
      [
        "period       2026  #1",
        "state        open: reports until the reporting deadline",
        "cap          2000  (1500 allocated, 500 left)",
        "report by    2026-01-31 00:00:00 UTC  in 30 days",
        "surrender by 2026-03-02 00:00:00 UTC  in 60 days",
        "penalty rate 100 per tonne short",
        "chain time   2026-01-01 00:00:00 UTC",
      ].join("\n"),
    );
  });

  it("as JSON: quantities as decimal strings, times in ISO 8601", () => {
    assert.deepEqual(periodJson(PERIOD), {
      period: 1,
      label: "2026",
      cap: "2000",
      allocated: "1500",
      reportBy: "2026-01-31T00:00:00.000Z",
      surrenderBy: "2026-03-02T00:00:00.000Z",
      penaltyRate: "100",
      state: "reporting",
      closed: false,
      time: "2026-01-01T00:00:00.000Z",
      realTime: "2026-01-01T00:00:00.000Z",
    });
  });

  it("shows the real time beside the chain's when the clock was moved ahead, or no block came for a while", () => {
    const moved = periodText({ ...PERIOD, now: NOW + 61 * DAY + 5 }).split("\n").slice(-2);
    assert.deepEqual(moved, ["chain time   2026-03-03 00:00:05 UTC  61 days ahead of the real time", "real time    2026-01-01 00:00:00 UTC"]);
    const idle = periodText({ ...PERIOD, realTime: NOW + 3 * 3_600 }).split("\n").slice(-2);
    assert.deepEqual(idle, ["chain time   2026-01-01 00:00:00 UTC  3 hours behind the real time", "real time    2026-01-01 03:00:00 UTC"]);
    assert.equal(periodText({ ...PERIOD, realTime: NOW + 59 }).split("\n").pop(), "chain time   2026-01-01 00:00:00 UTC", "a minute apart is the same time");
  });
});

describe("the compliance table", () => {
  it("as text: one row an account, statuses A B C pending, - for no verified emissions", () => {
    const lines = complianceText(TABLE).split("\n");
    assert.equal(lines[0], "Compliance 2026 (closed: statuses are final)");
    assert.match(lines[1], /^account\s+allocated\s+verified\s+surrendered\s+status\s+penalty\s+frozen$/);
    assert.match(lines[2], new RegExp(`^${A}\\s+1000\\s+800\\s+800\\s+A\\s+0$`));
    assert.match(lines[3], new RegExp(`^${B}\\s+300\\s+400\\s+300\\s+B\\s+10000\\s+frozen$`));
    assert.match(lines[4], new RegExp(`^${C}\\s+200\\s+-\\s+0\\s+C\\s+20000\\s+frozen$`));
    assert.match(lines[5], new RegExp(`^${P}\\s+0\\s+-\\s+0\\s+pending\\s+0$`));
    assert.equal(lines.length, 6);
  });

  it("fits 80 columns by shortening the addresses", () => {
    const lines = complianceText(TABLE, { width: 80 }).split("\n");
    for (const line of lines) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
    assert.match(lines[2], /^0x7099…79c8\s+1000/);
  });

  it("says so when no account is in the period yet", () => {
    assert.match(complianceText({ period: PERIOD, rows: [] }), /No accounts in this period yet/);
  });

  it("as CSV: a header row, then the rows, whole addresses, names in their own column, no padding", () => {
    rememberNames(new Map([[A.toLowerCase(), "Ana, Ltd"]]));
    assert.equal(
      complianceCsv(TABLE),
      [
        "account,name,allocated,verified,surrendered,status,penalty,frozen",
        `${A},"Ana, Ltd",1000,800,800,A,0,no`,
        `${B},,300,400,300,B,10000,yes`,
        `${C},,200,-,0,C,20000,yes`,
        `${P},,0,-,0,pending,0,no`,
      ].join("\n"),
    );
    assert.equal(complianceText({ ...TABLE, csv: true }), complianceCsv(TABLE), "--csv goes through the text renderer");
    rememberNames(new Map([[A.toLowerCase(), ""]])); // the other tables here show A without a name
  });

  it("as JSON: the period's fields and one object an account, statuses written A, B, C", () => {
    const json = complianceJson(TABLE);
    assert.equal(json.label, "2026");
    assert.equal(json.state, "closed");
    assert.deepEqual(json.accounts, [
      { address: A, allocated: "1000", verified: "800", surrendered: "800", status: "A", penalty: "0", frozen: false },
      { address: B, allocated: "300", verified: "400", surrendered: "300", status: "B", penalty: "10000", frozen: true },
      { address: C, allocated: "200", verified: null, surrendered: "0", status: "C", penalty: "20000", frozen: true },
      { address: P, allocated: "0", verified: null, surrendered: "0", status: "pending", penalty: "0", frozen: false },
    ]);
  });
});

describe("enforcement and the clock", () => {
  it("lists each enforced account with its transaction", () => {
    const outcome = { ok: true, message: "Compliance enforced", event: "EnforceCompliance", txHash: "0x" + "1".repeat(64), block: 9, gasUsed: 60_000 };
    assert.deepEqual(enforcementJson({ period: PERIOD, ok: true, enforced: [{ account: B, status: "B", outcome }] }), {
      period: 1,
      label: "2026",
      enforced: [{ address: B, status: "B", ok: true, message: "Compliance enforced", event: "EnforceCompliance", txHash: outcome.txHash, block: 9, gasUsed: 60_000 }],
    });
  });

  it("says how far the clock moved, from when to when", () => {
    assert.equal(
      clockText({ node: "Ganache/v7.9.2/EthereumJS TestRPC/v7.9.2/ethereum-js", seconds: 30 * DAY, before: NOW, after: NOW + 30 * DAY + 5, block: 12 }),
      ["✔ The chain's clock moved 30 days forward", "from  2026-01-01 00:00:00 UTC", "to    2026-01-31 00:00:05 UTC  (block 12, Ganache/v7.9.2)"].join("\n"),
    );
  });
});

describe("one customer's obligation", () => {
  const record: ComplianceRecord = {
    customer: B, periodId: 1, allocated: 300n, reported: 400n, verified: 0n, surrendered: 100n, estimated: 0n, obligation: 0n, shortfall: 0n, penalty: 0n,
    status: "pending", reportState: "rejected", enforced: false, verifier: C, verifierAccepted: true, evidence: "0x" + "ab".repeat(32), rejectionReason: "one plant is missing",
  };

  it("says where the report stands, with the verifier's reason for a rejection", () => {
    const lines = obligationText({ account: B, period: PERIOD, record, standing: { outstanding: 0n }, frozen: false }).split("\n");
    assert.equal(lines[0], `${B}  in period 2026 (open: reports until the reporting deadline)`);
    assert.deepEqual(lines.slice(1), [
      "status      pending",
      "allocated   300",
      "report      400 tonnes, rejected by its verifier: correct it and report again",
      "why         one plant is missing",
      `evidence    0x${"ab".repeat(32)}`,
      `verifier    ${C} (accepted)`,
      "verified    -",
      "surrendered 100",
      "penalty     0",
      "still owed  0",
    ]);
  });

  it("as JSON: the verified figure only once verified, what is owed, the freeze", () => {
    const enforced = { ...record, status: "B" as const, reportState: "verified" as const, verified: 400n, penalty: 3000n, enforced: true, rejectionReason: undefined };
    const json = obligationJson({ account: B, period: PERIOD, record: enforced, standing: { outstanding: 250n, lastEnforcedPeriod: 1 }, frozen: true });
    assert.deepEqual([json.status, json.report, json.verified, json.surrendered, json.estimated, json.penalty, json.outstanding, json.frozen], ["B", "verified", "400", "100", null, "3000", "250", true]);
    const silent = obligationJson({ account: B, period: PERIOD, record: { ...record, status: "C", estimated: 500n, obligation: 550n, estimateReason: "capacity" }, standing: { outstanding: 0n }, frozen: false });
    assert.deepEqual([silent.estimated, silent.obligation, silent.estimateReason], ["500", "550", "capacity"], "the regulator's estimate and the obligation it sets");
    assert.equal(obligationJson({ account: B, period: PERIOD, record, standing: { outstanding: 0n }, frozen: false }).verified, null);
  });

  it("before enforcement, says what is left to surrender once the figure is verified", () => {
    const short = { ...record, status: "B" as const, reportState: "verified" as const, verified: 500n, surrendered: 200n, rejectionReason: undefined };
    const lines = obligationText({ account: B, period: PERIOD, record: short, standing: { outstanding: 0n }, frozen: false }).split("\n");
    assert.ok(lines.includes("short by    300  to surrender by the surrender deadline"), lines.join("\n"));
    assert.equal(obligationJson({ account: B, period: PERIOD, record: short, standing: { outstanding: 0n }, frozen: false }).shortBy, "300");
    const met = { ...short, surrendered: 500n, status: "A" as const };
    assert.ok(!obligationText({ account: B, period: PERIOD, record: met, standing: { outstanding: 0n }, frozen: false }).includes("short by"));
    assert.equal(obligationJson({ account: B, period: PERIOD, record: { ...short, enforced: true }, standing: { outstanding: 300n }, frozen: true }).shortBy, "0", "once enforced, what is owed is `outstanding`");
  });
});
