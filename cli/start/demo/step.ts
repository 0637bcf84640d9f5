// One transaction of the demo's seeding plan, whichever part of the scenario planned it (the lots,
// the order book, the compliance period): scenario.ts logs and sends them in order.
import type { Outcome } from "../../chain/outcome";

export interface DemoStep {
  /** What the step does, as the log line says it. */
  describe: string;
  send(): Promise<Outcome>;
}
