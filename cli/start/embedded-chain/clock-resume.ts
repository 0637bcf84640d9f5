// Ganache keeps a persisted chain's blocks but not its clock: opened again, it stamps the next block
// with the machine's time, forgetting what `carbon time advance` (evm_increaseTime) moved, so a
// chain moved 61 days ahead would mine its next block 61 days in the past, and every deadline the
// class had reached would be ahead again. The offset is read back from the chain itself (its latest
// block's time), not from a file of ours, so it holds after a kill -9 as after a clean stop.
type Request = <T>(method: string, params?: unknown[]) => Promise<T>;

/**
 * Moves the clock of a chain just opened so its next block is stamped no earlier than its latest
 * one; returns how many seconds ahead of the machine's time it runs (0 when it is not ahead).
 */
export async function resumeClock(request: Request): Promise<number> {
  const latest = await request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  const ahead = Number(latest.timestamp) - Math.floor(Date.now() / 1000);
  if (ahead <= 0) return 0;
  // Ganache adds this to the machine's time for every block from now on, until it is closed.
  await request("evm_increaseTime", [ahead]);
  return ahead;
}
