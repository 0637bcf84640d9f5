// Who is using a class chain: the gate counts the machines that asked it anything lately, and tells
// this machine only (carbon_classStatus, gate/policy.ts). Another node, or an older gate, has no such
// method: then nobody can be counted, which is not the same as nobody being there.
import { CLASS_STATUS_METHOD } from "../gate/policy";
import type { Rpc } from "./rpc";

export interface ClassStatus {
  /** Machines that asked something within `withinMs`, or hold a connection now. */
  machines: number;
  /** Of them, those holding a connection open right now. */
  connected: number;
  withinMs: number;
}

interface Reply {
  withinMs: number;
  callers: Array<{ address: string; connections: number; idleMs: number }>;
}

/** The class chain's recent callers, or undefined where the node cannot say. */
export async function classStatus(rpc: Rpc): Promise<ClassStatus | undefined> {
  try {
    const reply = await rpc.request<Reply>(CLASS_STATUS_METHOD, []);
    if (!reply || !Array.isArray(reply.callers)) return undefined;
    return { machines: reply.callers.length, connected: reply.callers.filter((c) => c.connections > 0).length, withinMs: reply.withinMs };
  } catch {
    return undefined;
  }
}
