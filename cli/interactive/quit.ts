// Quitting a session that serves a class chain stops the chain under every student: it asks first,
// saying how many machines would lose it. Esc or Ctrl+C at the question stays.
import { classStatus } from "../chain/class-status";
import type { Market } from "../chain/market";
import { palette } from "../render/colours";
import { menu } from "./prompt";
import { say } from "./say";

/** Whether to quit and stop the class chain this session serves. */
export async function confirmStopServing(market: Market): Promise<boolean> {
  const status = await classStatus(market.rpc);
  const stop = await menu<"stop" | "stay">(`Quit and stop the class chain? ${whoLosesIt(status)}`, [
    { name: "Stay", value: "stay" },
    { name: "Quit: stop the chain (its state is kept)", value: "stop" },
  ]);
  if (stop === "stop") return true;
  say(palette().dim("The class chain goes on."));
  return false;
}

export function whoLosesIt(status: Awaited<ReturnType<typeof classStatus>>): string {
  if (!status) return "Every student using it loses the market.";
  const minutes = Math.round(status.withinMs / 60_000);
  if (status.machines === 0) return `No student's machine has used it in the last ${minutes} minutes.`;
  const machines = status.machines === 1 ? "1 student's machine has" : `${status.machines} students' machines have`;
  return `${machines} used it in the last ${minutes} minutes (${status.connected} connected now): they lose the market until you serve it again.`;
}
