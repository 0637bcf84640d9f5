// Whether a process still runs: what the cross-process locks (nonces, first deploys) ask of a lock's
// holder before they break a lock it left behind.
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
