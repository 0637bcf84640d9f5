// The session's own-key entries in a real pseudo-terminal: the teacher signs in with the regulator's
// key kept in a wallet (a wrong password first), and the menu says which entries are the node's keys.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEV_MNEMONIC } from "../../cli/chain/ganache";
import { carbon, startMarket, type CliChain } from "./support/cli";
import { Terminal } from "./support/terminal";

let cli: CliChain;

before(async () => {
  cli = await startMarket();
  const imported = await carbon(["wallet", "import", "--mnemonic-index", "0", "--name", "teacher", "--password", "teach"], { ...cli.env, CARBON_MNEMONIC: DEV_MNEMONIC });
  assert.equal(imported.code, 0, imported.stderr);
});

after(async () => {
  await cli.stop();
});

describe("signing in with your key", () => {
  it("labels the node's keys, refuses a password that does not open the key, then opens the regulator's menu", async () => {
    const regulator = cli.accounts[0];
    const term = new Terminal([], cli.env);
    try {
      await term.waitFor(/1\. Regulator {2}\(the node's key\)\n[\s\S]*6\. Sign in with your key\n[\s\S]*7\. Create an account \(a key of your own\)[\s\S]*8\. Quit/);
      await term.choose(6);
      await term.waitFor(/Which key\?[\s\S]*0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266 {2}teacher/);
      await term.type("\r");
      await term.waitFor("Password");
      await term.line("guess");
      await term.waitFor(`✘ Wrong password: it does not open the key of ${regulator}`);
      await term.waitFor("Sign in as");
      await term.choose(6);
      await term.waitFor("Which key?");
      await term.type("\r");
      await term.waitFor("Password");
      await term.line("teach");
      await term.waitFor(`✔ Logged in: ${regulator} is the regulator`);
      await term.waitFor(/Regulator 0x[0-9a-f]{40}[\s\S]*13\. Log out/);
      await term.choose(13);
      await term.waitFor("Sign in as");
      await term.choose(8);
      assert.equal(await term.exited, 0, "Quit exits 0");
    } finally {
      term.kill();
    }
  });

  it("asks the wallet's password when the node's regulator key has been put in a wallet", async () => {
    const term = new Terminal([], cli.env);
    try {
      await term.waitFor("8. Quit");
      await term.choose(1);
      await term.waitFor(`The regulator's key is in your wallet "teacher": its password signs you in.`);
      await term.waitFor("Password");
      await term.line("guess");
      await term.waitFor("> Wrong password for the regulator's key; try again");
      await term.line("teach");
      await term.waitFor(/Regulator 0x[0-9a-f]{40}[\s\S]*13\. Log out/);
      await term.choose(13);
      await term.waitFor("Sign in as");
      await term.choose(8);
      assert.equal(await term.exited, 0, "Quit exits 0");
    } finally {
      term.kill();
    }
  });
});
