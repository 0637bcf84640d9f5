// The full scripted flow against anvil mining on a clock, a block every 2 s as real networks do:
// every command sends, then waits for its transaction's block (anvil-flow.ts).
import { anvilFlow } from "./anvil-flow";

anvilFlow({ hardfork: "prague", blockTime: 2 });
