// Seeds the classroom demo scenario on top of the deployment, and only when `npm run demo` asks
// (CARBON_DEMO=1, or CARBON_DEMO=lesson for `npm run demo -- --lesson`): Truffle runs every migration
// on each `truffle migrate`, and a plain migrate must never touch a class's market. The scenario,
// and how a second run changes nothing, are in cli/start/demo/scenario.ts.
const { DEMO_LESSON, DEMO_SWITCH } = require("../dist/cli/start/migrate/truffle-migrate");

module.exports = async function (_deployer) {
  if (!process.env[DEMO_SWITCH]) return;
  const { seedDemoScenario } = require("../dist/cli/start/demo/scenario");
  const { CarbonError } = require("../dist/cli/support/errors");
  try {
    await seedDemoScenario((line) => console.log(line), { lesson: process.env[DEMO_SWITCH] === DEMO_LESSON });
  } catch (error) {
    if (!(error instanceof CarbonError)) throw error;
    // A refusal the user can act on is one line, not Truffle's stack trace.
    console.error(`error: ${error.message}`);
    process.exit(error.exitCode);
  }
};
