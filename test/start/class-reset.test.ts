// A class chain reset between two lessons: the chain's keys are kept, so the teacher's imported
// wallet key is still the regulator's, the market comes back at the address the students' join
// command names, and only the registrations, balances and records go. The question says so first.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { resetChainState } from "../../cli/start/embedded-chain/reset";
import { CARBON, runScript, START, startClassChain, terminal, type ClassChain } from "./harness";

let served: ClassChain;
let env: NodeJS.ProcessEnv;

before(async () => {
  served = await startClassChain();
  env = { ...served.where.env, NO_COLOR: "1" };
});

after(async () => {
  await served?.stop();
});

async function json(args: string[], input?: string): Promise<Record<string, unknown>> {
  const ran = await runScript(CARBON, [...args, "--json"], { ...env, ...(input ? { CARBON_PASSWORD: input } : {}) });
  assert.ok(ran.stdout.trim(), `carbon ${args.join(" ")} printed nothing: ${ran.stderr}`);
  return JSON.parse(ran.stdout.trim().split("\n").at(-1)!);
}

async function stopChain(): Promise<void> {
  served.chain.child.kill("SIGINT");
  await served.chain.exited;
}

it("keeps the class chain's keys: the teacher's key is still the regulator, the market at the same address, the registrations gone", async () => {
  const imported = await runScript(CARBON, ["wallet", "import", "--class-account", "0", "--name", "teacher", "--password", "teach"], env);
  assert.equal(imported.code, 0, imported.stderr);
  const registered = await json(["register", "customer", "1", "--name", "Ana", "--password", "ana-pw"]);
  assert.equal(registered.ok, true, `account 1 registered: ${JSON.stringify(registered)}`);
  const before = await json(["market"]);
  const carbonBefore = served.carbon;

  await stopChain();
  const question = terminal(START, ["--reset", "--host", "0.0.0.0"], env);
  await question.waitFor(/Delete the class chain in/);
  await question.waitFor(/\(y\/N\)/);
  assert.match(question.screen().replace(/\s+/g, " "), /Students keep their keys and register again; the chain's keys, yours included, are kept, and the market comes back at the same address/, "the question says what the reset does to the class");
  question.type("n\r");
  assert.equal((await question.exited).exitCode, 1, "a no deletes nothing");

  process.env.CARBON_HOME = served.where.home;
  await resetChainState({ yes: true });
  await served.restart();
  const carbonNow = /Market\s+Carbon at (0x[0-9a-f]{40})/i.exec(served.chain.output())?.[1].toLowerCase();
  assert.equal(carbonNow, carbonBefore, "the market is back at the address the join command names");
  assert.match(served.chain.output(), new RegExp(`CARBON_MARKET=${carbonBefore}`), "the banner's join command is the students' old one");
  const after = await json(["market"]);
  assert.equal(after.regulator, before.regulator, "the same regulator");
  const teacher = await json(["login", "teacher"], "teach");
  assert.equal(teacher.regulator, true, `the teacher's imported key signs in as the regulator: ${JSON.stringify(teacher)}`);
  const ana = await json(["login", "1", "--password", "ana-pw"]);
  assert.deepEqual(ana.roles, [], "Ana's registration went with the old chain");
});
