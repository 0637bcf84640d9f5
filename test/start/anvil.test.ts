// Nothing depends on Ganache: the full scripted flow against anvil on the current hardfork, each
// transaction mined as it arrives (anvil-flow.ts).
import { anvilFlow } from "./anvil-flow";

anvilFlow({ hardfork: "prague" });
