// A lesson as a teacher runs it, end to end on a class chain of its own: twelve students, each with
// its own CARBON_HOME and key, reaching the chain from an address of its own (so the gate treats
// them as remote callers), join under their names; the teacher opens a compliance period and issues
// to every customer at once; a book session crosses bids and asks by name; three customers report
// to a classmate accredited as their verifier; the students surrender; the teacher moves the clock
// past the deadline, the chain is restarted in the middle of it all, the period closes and its table
// names the students; a reset ends the lesson, and a student is told in one line to register on the
// new market. Each step is the real `carbon` binary, as the class types it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connect } from "../../cli/chain/connect";
import type { Market } from "../../cli/chain/market";
import { OrderBook } from "../../cli/chain/order-book";
import { Compliance } from "../../cli/chain/compliance";
import { resetChainState } from "../../cli/start/embedded-chain/reset";
import { carbon } from "../cli/support/cli";
import { makeParticipants, pool, removeParticipants, type Participant } from "../support/classroom";
import { startRemoteProxy, type RemoteProxy } from "../support/remote-proxy";
import { startClassChain, type ClassChain, type Ran } from "./harness";

/**
 * A scripted lesson has a fixed cast (its trades and statuses are written for these students):
 * the crowd is class.test's job, which scales.
 */
const STUDENTS = 12;
/** Students' commands at once: the class races on the chain, two cores still answer. */
const AT_ONCE = 6;
const QUOTA = 100n;
const CAP = 1000n;
const TEACHER_PASSWORD = "teacher's own";
const DAY = 86_400;
/** Verified emissions of the customers who report: against their surrenders (10 per place in the class's order), A, B and A. */
const REPORTS: Record<string, number> = { "student-01": 10, "student-03": 50, "student-05": 30 };
/** The thesis's outcome messages differ by role. */
const REGISTERED = { customer: "Registration succeeded", seller: "Successfully registered" } as const;

let served: ClassChain;
let teacherEnv: NodeJS.ProcessEnv;
let proxies: RemoteProxy[] = [];
let students: Participant[] = [];
let customers: Participant[] = [];
let market: Market;

const nameOf = (s: Participant) => `student-${String(s.index + 1).padStart(2, "0")}`;
const byName = (name: string) => students.find((s) => nameOf(s) === name)!;

/** A command's run with its one line of --json read. */
type Answer = Ran & { body: Record<string, any> };

/** `carbon <args> --json`; the password, if any, on stdin. */
async function act(env: NodeJS.ProcessEnv, args: string[], password?: string): Promise<Answer> {
  const ran = await carbon([...args, "--json", ...(password === undefined ? [] : ["--password-stdin"])], env, { input: password === undefined ? "" : `${password}\n`, timeoutMs: 120_000 });
  const lines = ran.stdout.trim().split("\n");
  assert.equal(lines.length, 1, `carbon ${args.join(" ")} --json prints one line:\n${ran.stdout}${ran.stderr}`);
  return { ...ran, body: JSON.parse(lines[0]) as Record<string, any> };
}

async function ok(env: NodeJS.ProcessEnv, args: string[], password?: string): Promise<Record<string, any>> {
  const ran = await act(env, args, password);
  assert.equal(ran.code, 0, `carbon ${args.join(" ")}\n${ran.stdout}${ran.stderr}`);
  assert.equal(ran.body.ok, true, `carbon ${args.join(" ")}: ${ran.stdout}`);
  return ran.body;
}

/** `carbon <args>` as a person at a terminal reads it (no --json). */
function plain(env: NodeJS.ProcessEnv, args: string[], password?: string) {
  return carbon([...args, ...(password === undefined ? [] : ["--password-stdin"])], env, { input: password === undefined ? "" : `${password}\n`, timeoutMs: 120_000 });
}

const teacher = (args: string[]) => ok(teacherEnv, args, TEACHER_PASSWORD);
const student = (s: Participant, args: string[]) => ok(s.env, args, s.password);

async function balances(): Promise<Map<string, bigint>> {
  const rows = await pool(students, AT_ONCE, async (s) => {
    const body = await ok(s.env, ["balance", nameOf(s)]);
    assert.equal(body.name, nameOf(s), "a balance by name names its account");
    assert.equal(body.address, s.address, `${nameOf(s)} is the student's own address`);
    return [nameOf(s), BigInt(body.customerCarbon) + BigInt(body.sellerCarbon)] as const;
  });
  return new Map(rows);
}

async function chainTime(): Promise<number> {
  const block = await served.where.rpc.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  return Number(block.timestamp);
}

/** What the market holds: every balance, the book's escrow and what was surrendered, against what was issued and settled. */
async function conservation(): Promise<{ held: bigint; escrow: bigint; surrendered: bigint; issued: bigint; settled: bigint }> {
  const totals = await market.totals();
  let held = 0n;
  for (const s of students) held += (await market.customerCarbonAmount(s.address)) + (await market.sellerCarbonAmount(s.address));
  const escrow = (await new OrderBook(market).escrow()).carbon;
  const surrendered = await new Compliance(market).surrenderedCarbonAmount();
  return { held, escrow, surrendered, issued: totals.issued, settled: totals.settled };
}

function assertConserved(law: Awaited<ReturnType<typeof conservation>>, when: string): void {
  assert.equal(law.held + law.escrow + law.surrendered, law.issued - law.settled, `${when}: balances + escrow + surrendered = issued - settled (${JSON.stringify(law, (_, v) => (typeof v === "bigint" ? v.toString() : v))})`);
}

before(async () => {
  served = await startClassChain({}, []);
  teacherEnv = { ...served.where.env };
  delete teacherEnv.CARBON_PASSWORD;
  // Every student's requests leave from an address of its own, as from a machine of its own.
  proxies = await Promise.all(Array.from({ length: STUDENTS }, (_, i) => startRemoteProxy({ host: "127.0.0.2", port: served.where.port }, { fromHost: `127.0.0.${10 + i}` })));
  students = makeParticipants(STUDENTS, (i) => proxies[i].url, process.env);
  customers = students.filter((s) => s.role === "customer");
  await ok(teacherEnv, ["wallet", "import", "--class-account", "0", "--name", "teacher"], TEACHER_PASSWORD);
  process.env.CARBON_HOME = served.where.home;
  market = await connect({ rpc: served.url });
});

after(async () => {
  market?.close();
  await Promise.all(proxies.map((proxy) => proxy.close()));
  removeParticipants(students);
  await served?.stop();
});

describe(`a lesson of ${STUDENTS} students on a class chain`, { timeout: 10 * 60_000 }, () => {
  it("registers every student under its name; a name already taken is refused in one line and registers nothing", async () => {
    await pool(students, AT_ONCE, async (s) => {
      s.address = String((await student(s, ["wallet", "create", "--name", nameOf(s)])).address);
    });
    const late = students[STUDENTS - 1];
    await pool(students.slice(0, -1), AT_ONCE, async (s) => {
      const outcome = await student(s, ["register", s.role, nameOf(s), "--name", nameOf(s)]);
      assert.equal(outcome.message, REGISTERED[s.role], nameOf(s));
    });

    // The last to arrive asks for a classmate's name, in another letter case.
    const taken = await plain(late.env, ["register", late.role, nameOf(late), "--name", "STUDENT-03"], late.password);
    assert.equal(taken.code, 2, `a taken name is refused before sending:\n${taken.stdout}${taken.stderr}`);
    assert.equal(taken.stdout, "");
    assert.equal(taken.stderr, `error: the name "STUDENT-03" is taken: student-03 ${byName("student-03").address.toLowerCase()} has it; choose another\n`);
    assert.doesNotMatch(taken.stdout + taken.stderr, /\n\s+at |unexpected error/i, "no stack trace");
    assert.equal(taken.stderr.trim().split("\n").filter(Boolean).length <= 1, true, `at most one line on stderr:\n${taken.stderr}`);
    const unregistered = await act(late.env, ["login", nameOf(late)], late.password);
    assert.equal(unregistered.code, 1, "its login finds no registration");
    assert.deepEqual(unregistered.body.roles, [], "nothing was registered");
    assert.equal((await market.totals()).sellers, STUDENTS / 2 - 1, "the refused seller is not counted");

    const outcome = await student(late, ["register", late.role, nameOf(late), "--name", nameOf(late)]);
    assert.equal(outcome.message, REGISTERED.seller);
    const totals = await market.totals();
    assert.deepEqual([totals.customers, totals.sellers], [STUDENTS / 2, STUDENTS / 2], "half customers, half sellers");
    const login = await ok(late.env, ["login", nameOf(late)], late.password);
    assert.deepEqual(login.roles, ["seller"], "registered under its own name now");
  });

  it("opens a period under a cap and issues to every customer at once; balances answer by name", async () => {
    const opened = await teacher(["period", "open", "lesson-1", "--cap", String(CAP), "--report-by", "+30d", "--surrender-by", "+60d", "--penalty-rate", "10"]);
    assert.equal(opened.message, "Period opened");
    const issued = await teacher(["issue", "--all", String(QUOTA)]);
    assert.equal(issued.rows.length, customers.length, `one row per customer: ${JSON.stringify(issued)}`);
    for (const row of issued.rows) assert.equal(row.ok, true, JSON.stringify(row));
    assert.deepEqual(new Set(issued.rows.map((row: any) => row.account)), new Set(customers.map((s) => s.address)), "every customer, nobody else");

    // A second round would pass the cap (1200 > 1000): refused before anything is sent.
    const height = await served.where.rpc.request<string>("eth_blockNumber");
    const over = await act(teacherEnv, ["issue", "--all", String(QUOTA)], TEACHER_PASSWORD);
    assert.equal(over.code, 2, `over the cap: exit 2\n${over.stdout}${over.stderr}`);
    assert.match(String(over.body.error), /^issuing 600 in all would pass period "lesson-1"'s cap: 400 of 1000 left, .*; nothing was sent$/, "one line, saying why");
    assert.equal(await served.where.rpc.request<string>("eth_blockNumber"), height, "nothing was sent");

    const held = await balances();
    for (const s of students) assert.equal(held.get(nameOf(s)), s.role === "customer" ? QUOTA : 0n, `${nameOf(s)} holds its issue`);
    const period = await ok(students[0].env, ["period", "show"]);
    assert.deepEqual([period.label, period.cap, period.allocated], ["lesson-1", String(CAP), String(QUOTA * BigInt(customers.length))], "the period counts the issue");
  });

  it("runs a book session by name: crossing orders fill at the resting prices, quota is conserved", async () => {
    const [c1, c3, c5, c7] = ["student-01", "student-03", "student-05", "student-07"].map(byName);
    const before = await conservation();
    assertConserved(before, "before the session");

    // Two asks (one side: they cannot meet each other), then two bids, one crossing both asks.
    const asks = await pool([[c1, "30", "0.0100"], [c3, "20", "0.0120"]] as const, AT_ONCE, ([s, quantity, price]) => student(s, ["ask", nameOf(s), quantity, price]));
    for (const ask of asks) assert.deepEqual([ask.message, ask.fills], ["Order placed", []], JSON.stringify(ask));
    const [crossing, low] = await pool([[c5, "40", "0.0120"], [c7, "20", "0.0090"]] as const, AT_ONCE, ([s, quantity, price]) => student(s, ["bid", nameOf(s), quantity, price]));
    assert.equal(crossing.message, "Order filled", JSON.stringify(crossing));
    assert.deepEqual(
      crossing.fills.map((f: any) => [f.quantity, f.price, f.seller, f.buyer]),
      [["30", "0.01", c1.address, c5.address], ["10", "0.012", c3.address, c5.address]],
      "cheapest ask first, each at its own price",
    );
    assert.deepEqual([low.message, low.resting, low.fills], ["Order placed", "20", []], "a bid below every ask rests");

    const trades = await ok(c7.env, ["trades"]);
    assert.deepEqual(trades.trades.map((t: any) => [t.quantity, t.price, t.buyer, t.seller]).sort(), [["10", "0.012", c5.address, c3.address], ["30", "0.01", c5.address, c1.address]], "the book's fills, as any student reads them");
    const book = await ok(c1.env, ["book"]);
    assert.deepEqual(book.asks.map((l: any) => [l.price, l.quantity]), [["0.012", "10"]], "the rest of the second ask rests");
    assert.deepEqual(book.bids.map((l: any) => [l.price, l.quantity]), [["0.009", "20"]], "the low bid rests");

    const held = await balances();
    assert.deepEqual([c1, c3, c5, c7].map((s) => held.get(nameOf(s))), [70n, 80n, 140n, 100n], "sold, escrowed, bought, untouched");
    const now = await conservation();
    assertConserved(now, "after the session");
    assert.equal(now.escrow, 10n, "the resting ask's rest is in escrow");
    assert.equal(now.held + now.escrow, before.held + before.escrow, "no quota made or lost by trading");
  });

  it("has three customers report to a classmate they appointed as verifier, who approves", async () => {
    const verifier = byName("student-02");
    const reporting = new Map(Object.entries(REPORTS).map(([name, tonnes]) => [byName(name), tonnes]));
    assert.equal((await teacher(["verifier", "accredit", nameOf(verifier)])).message, "Verifier accredited");
    await pool([...reporting.keys()], AT_ONCE, async (s) => {
      assert.equal((await student(s, ["verifier", "appoint", nameOf(s), nameOf(verifier)])).message, "Verifier appointed");
    });
    // One verifier, one key: its answers come one after another, as one person types them.
    for (const s of reporting.keys()) assert.equal((await student(verifier, ["verifier", "accept", nameOf(verifier), nameOf(s)])).message, "Appointment accepted");
    await pool([...reporting], AT_ONCE, async ([s, tonnes]) => {
      assert.equal((await student(s, ["report", nameOf(s), String(tonnes), "--evidence", "0x" + "ab".repeat(32)])).message, "Emissions reported");
    });
    for (const s of reporting.keys()) assert.equal((await student(verifier, ["verify", nameOf(verifier), nameOf(s), "--approve"])).message, "Report approved");
    const obligation = await ok(byName("student-03").env, ["obligation", "student-03"]);
    assert.equal(String(obligation.verified), "50", `the verified figure is on chain: ${JSON.stringify(obligation)}`);
  });

  let moved = 0;
  let beforeRestart = new Map<string, bigint>();

  it("has the students surrender, and lets only the teacher move the clock past the deadline", async () => {
    const surrenders = new Map(customers.map((s, i) => [s, BigInt(10 * (i + 1))]));
    await pool([...surrenders], AT_ONCE, async ([s, amount]) => {
      const done = await student(s, ["surrender", nameOf(s), String(amount)]);
      assert.equal(done.message, "Quota surrendered", JSON.stringify(done));
    });
    const law = await conservation();
    assert.equal(law.surrendered, [...surrenders.values()].reduce((a, b) => a + b, 0n), "every surrender counted");
    assertConserved(law, "after the surrenders");

    // A student's clock is the teacher's: the gate refuses to move it for a remote caller.
    const sneak = await act(students[0].env, ["time", "advance", "61d"]);
    assert.equal(sneak.code, 2, `a student cannot move the clock:\n${sneak.stdout}`);
    assert.match(String(sneak.body.error), /^\S+ refused to move its clock \(evm_increaseTime is not available to remote callers[^\n]*only the machine running the chain can$/, "one line, saying who can");

    // Issuing is the regulator's: a student is told whose it is, not how to bring keys.
    const grab = await plain(students[0].env, ["issue", nameOf(students[0]), "10"]);
    assert.equal(grab.code, 2);
    assert.match(grab.stderr, /^error: only the regulator \(0x[0-9a-f]{40}\) can do this, and its key is not on this machine: on a class chain it is the teacher's/);

    const before = await chainTime();
    await ok(teacherEnv, ["time", "advance", "61d"]);
    moved = await chainTime();
    assert.ok(moved >= before + 61 * DAY, `the clock moved 61 days (${before} -> ${moved})`);
    const shown = await plain(students[1].env, ["period", "show"]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^state +the surrender deadline has passed: the regulator can close it$/m, shown.stdout);
    beforeRestart = await balances();
  });

  it("restarts the class chain mid-lesson: the moved clock, the students' state and their commands hold", async () => {
    served.chain.child.kill("SIGINT");
    await served.chain.exited;
    // While it is down a student is told so in one line (exit 3: no node), not with a stack trace.
    const down = await plain(students[4].env, ["balance", "student-05"]);
    assert.equal(down.code, 3, `the chain is down:\n${down.stdout}${down.stderr}`);
    assert.equal(down.stdout, "");
    assert.match(down.stderr, /^error: [^\n]*http:\/\/127\.0\.0\.2:\d+[^\n]*\n$/, "one line naming the URL");
    await served.restart();
    const after = await chainTime();
    assert.ok(after >= moved, `the clock did not go back (${moved} -> ${after})`);
    const shown = await ok(students[3].env, ["period", "show"]);
    assert.equal(shown.state, "ended", `the deadline stays passed: ${JSON.stringify(shown)}`);
    assert.deepEqual(await balances(), beforeRestart, "every student holds what it held");

    // A student writes again: student-03 takes back the rest of its ask.
    const c3 = byName("student-03");
    const orders = await ok(c3.env, ["orders", "--mine", nameOf(c3)]);
    const open = orders.orders.filter((o: any) => o.status === "open");
    assert.deepEqual(open.map((o: any) => [o.side, o.price, o.remaining]), [["ask", "0.012", "10"]], `its ask's rest is still open: ${JSON.stringify(orders)}`);
    const cancelled = await student(c3, ["cancel", nameOf(c3), open[0].id]);
    assert.equal(cancelled.message, "Order cancelled");
    const back = await ok(c3.env, ["balance", nameOf(c3)]);
    assert.equal(BigInt(back.customerCarbon), beforeRestart.get(nameOf(c3))! + 10n, "the escrow came back");
    assert.ok((await chainTime()) >= after, "the new block is stamped no earlier");
  });

  it("closes the period; the compliance table names the students", async () => {
    const closed = await teacher(["period", "close"]);
    assert.equal(closed.message, "Period closed");
    const table = await plain(students[5].env, ["compliance"]);
    assert.equal(table.code, 0, table.stderr);
    for (const s of customers) assert.match(table.stdout, new RegExp(`^.*\\b${nameOf(s)}\\b.*$`, "m"), `${nameOf(s)} has a row by name:\n${table.stdout}`);
    for (const s of students.filter((p) => p.role === "seller")) assert.doesNotMatch(table.stdout, new RegExp(`\\b${nameOf(s)}\\b`), "a seller is not covered");
    const rows = (await ok(students[5].env, ["compliance"])).accounts as Array<Record<string, any>>;
    assert.deepEqual(rows.map((r) => r.name).sort(), customers.map(nameOf).sort(), "the JSON rows carry the names");
    const statuses = Object.fromEntries(rows.map((r) => [r.name, r.status]));
    assert.deepEqual(statuses, { "student-01": "A", "student-03": "B", "student-05": "A", "student-07": "C", "student-09": "C", "student-11": "C" }, "surrendered against verified; nothing verified is C");
    assert.match(table.stdout, /^student-03 0x[0-9a-f]{40} +100 +50 +20 +B /m, "the table's row for a B, by name");
  });

  it("resets the market at the end: a student is told in one line that it is not registered on the new market", async () => {
    served.chain.child.kill("SIGINT");
    await served.chain.exited;
    market.close();
    process.env.CARBON_HOME = served.where.home;
    await resetChainState({ yes: true });
    await served.restart();

    const s = byName("student-05");
    const bid = await plain(s.env, ["bid", nameOf(s), "10", "0.0100"], s.password);
    assert.notEqual(bid.code, 0, `a bid on the new market is refused:\n${bid.stdout}${bid.stderr}`);
    assert.equal(bid.code, 2, "refused before anything is sent");
    assert.equal(bid.stdout, "");
    assert.equal(bid.stderr, `error: ${s.address} is not a registered customer; register it with \`carbon register customer ${s.address}\`\n`, "one line saying what to do");
    // What a student read from the old market is not shown as the new one's.
    const trades = await ok(byName("student-07").env, ["trades"]);
    assert.deepEqual(trades.trades, [], "the new market has no trades");
    const records = await ok(s.env, ["records", nameOf(s)]);
    assert.deepEqual(records.records, [], "nor the student's old records");

    const login = await act(s.env, ["login", nameOf(s)], s.password);
    assert.equal(login.code, 1, `login finds no registration:\n${login.stdout}`);
    assert.deepEqual(login.body.roles, [], "the old registration went with the old market");
    const again = await student(s, ["register", "customer", nameOf(s), "--name", nameOf(s)]);
    assert.equal(again.message, REGISTERED.customer, "and registering again works");
  });
});
