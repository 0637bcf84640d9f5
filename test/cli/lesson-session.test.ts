// The lesson in the interactive session, in a pseudo-terminal: the teacher gives the class its firms
// and opens a round from the regulator's menu; a student whose account is a firm finds "My firm" in
// the customer's menu (a customer without a firm does not), reads its schedule, is refused more than
// the schedule holds before anything is sent, abates after the chain's quote, and reports for the lesson to verify.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Auction } from "../../cli/chain/auction";
import { Lesson } from "../../cli/chain/lesson";
import { formatEther } from "../../cli/chain/order-book-prices";
import { startMarket, type CliChain } from "./support/cli";
import { Terminal } from "./support/terminal";

let cli: CliChain;
let student: string;

before(async () => {
  cli = await startMarket();
  student = cli.accounts[1].toLowerCase();
  await cli.market.newCustomer(student, "pw-1");
});

after(async () => {
  await cli.stop();
});

async function signInStudent(term: Terminal): Promise<void> {
  await term.choose(2);
  await term.waitFor("Which customer?");
  await term.choose(1);
  await term.waitFor("Password");
  await term.line("pw-1");
  await term.waitFor("✔ Logged in");
}

describe("the lesson in the session", () => {
  it("a customer without a firm sees the thesis's menu, unchanged", async () => {
    const term = new Terminal([], cli.env);
    try {
      await term.waitFor("Sign in as");
      await signInStudent(term);
      await term.waitFor(/7\. Compliance \(report, surrender\)\s+8\. Log out/);
      assert.doesNotMatch(term.recent, /My firm/);
      await term.choose(8);
      await term.waitFor("Sign in as");
    } finally {
      term.kill();
    }
  });

  it("the teacher sets the lesson up and opens a round; the student abates at the chain's quote and reports", async () => {
    const term = new Terminal([], cli.env);
    try {
      await term.waitFor("Sign in as");
      await term.choose(1);
      await term.waitFor("12. The lesson: firms, rounds, results");
      await term.choose(12);
      await term.waitFor(/The lesson[\s\S]*7\. Back/);
      await term.choose(1);
      await term.waitFor("The draw's seed");
      await term.line("5");
      await term.waitFor("Automatic firms to add");
      await term.line("0");
      await term.waitFor(/Firm added[\s\S]*1 of 1 succeeded/);
      await term.choose(2);
      await term.waitFor("Cut, as a share");
      await term.line("30%");
      await term.waitFor("Days until reports close");
      await term.line("1");
      await term.waitFor("Share of the cap sold at auction");
      await term.line("50%");
      await term.waitFor(/Open a round cutting 30% of the class's baseline, 50% of the cap free, the\s+rest\s+at\s+auction\s+\(bids\s+sealed\s+6\s+h,\s+then\s+revealed\s+6\s+h\)\?/);
      await term.line("y");
      await term.waitFor(/✔ Round 1 opened: cap \d+[\s\S]*✔ auction #0 of \d+ opened/);
      await term.choose(7);
      await term.waitFor("13. Log out");
      await term.choose(13);

      await term.waitFor("Sign in as");
      await signInStudent(term);
      await term.waitFor(/8\. My firm in the lesson \(abate, report, auction\)\s+9\. Log out/);
      await term.choose(8);
      await term.waitFor(/My firm[\s\S]*6\. Back/);
      await term.choose(1);
      await term.waitFor(/The chain is public/);
      const lesson = await Lesson.attach(cli.market);
      const firm = (await lesson.firm(student))!;
      assert.match(term.recent, new RegExp(`baseline\\s+${firm.baseline} t a round`));

      await term.choose(2);
      await term.waitFor(`Tonnes to abate (${firm.abatable} t left in your schedule`);
      await term.line(String(firm.abatable + 1n));
      await term.waitFor(`your schedule has ${firm.abatable} t left`);
      await term.type("\u007f".repeat(String(firm.abatable + 1n).length));
      await term.line("5");
      const cost = await lesson.abatementCost(student, (await lesson.openRound()).periodId, 5n);
      await term.waitFor(`Abate 5 t for ${formatEther(cost)} ETH? Your emissions fall to ${firm.baseline - 5n} t.`);
      await term.line("y");
      await term.waitFor("✔ Emissions abated");
      assert.equal((await lesson.firmRound(student, (await lesson.openRound()).periodId)).abated, 5n, "abated on the chain");

      await term.choose(3);
      await term.waitFor(/✔ Report approved {2}\d+ t in Round 1, 3 transactions/);
      assert.equal(await lesson.emissionsOf(student, (await lesson.openRound()).periodId), firm.baseline - 5n);

      // The round's auction: seal a bid at the reserve, then, past the bids' deadline, reveal it.
      const auction = await Auction.attach(cli.market);
      const state = (await auction.latest())!;
      const holding = await cli.market.customerCarbonAmount(student);
      await term.choose(4);
      await term.waitFor("Your bids, units@price");
      await term.line(`${state.maxWin + 1n}@${formatEther(state.reservePrice)}`);
      await term.waitFor(`one bidder may win at most ${state.maxWin} in auction #0`);
      await term.type("\u007f".repeat(`${state.maxWin + 1n}@${formatEther(state.reservePrice)}`.length));
      await term.line(`${state.maxWin}@${formatEther(state.reservePrice)}`);
      await term.waitFor(`Seal these bids with ${formatEther(state.maxWin * state.reservePrice)} ETH more in escrow`);
      await term.line("y");
      await term.waitFor("✔ Bids sealed");
      await cli.rpc.request("evm_increaseTime", [6 * 3_600 + 60]);
      await cli.rpc.request("evm_mine");
      await term.choose(4);
      await term.waitFor("Reveal your sealed bids?");
      await term.line("y");
      await term.waitFor("✔ Bids revealed");
      assert.deepEqual((await auction.bidder(state.id, student)).bids, [{ quantity: state.maxWin, price: state.reservePrice }], "revealed on the chain");
      await term.choose(6);
      await term.waitFor("9. Log out");
      await term.choose(9);
      await term.waitFor("Sign in as");

      // Past the reveals, the teacher clears the auction and settles its bidder.
      await cli.rpc.request("evm_increaseTime", [6 * 3_600]);
      await cli.rpc.request("evm_mine");
      await term.choose(1);
      await term.waitFor("12. The lesson: firms, rounds, results");
      await term.choose(12);
      await term.waitFor(/The lesson[\s\S]*7\. Back/);
      await term.choose(4);
      await term.waitFor(`Clear auction #0 now (the revealed bids meet the supply of ${state.supply})?`);
      await term.line("y");
      await term.waitFor(/✔ Auction cleared[\s\S]*clearing price/);
      await term.waitFor("Settle the 1 bidder not yet settled (their refunds are credited to them)?");
      await term.line("y");
      await term.waitFor("1 of 1 succeeded");
      assert.equal(await cli.market.customerCarbonAmount(student) - holding, state.maxWin, "the student's units were issued");
    } finally {
      term.kill();
    }
  });
});
