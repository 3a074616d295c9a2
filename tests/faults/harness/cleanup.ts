/**
 * Nothing a fault case starts may outlive it: every child process is recorded here and
 * SIGKILLed when the test process exits, even if afterAll never ran (jest killed, a crash).
 * The orderly shutdown is the stack's `close()`; this is the safety net.
 */
const pids = new Set<number>();
let hooked = false;

/** SIGKILLs every tracked process still alive and forgets them all; returns the pids it killed. */
export function killTracked(): number[] {
  const killed: number[] = [];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // already gone
    }
  }
  pids.clear();
  return killed;
}

function killAll(): void {
  killTracked();
}

/** Kills `pid` when this process exits, unless `forget`ten first. */
export function trackPid(pid: number | undefined): void {
  if (!pid) return;
  pids.add(pid);
  if (!hooked) {
    hooked = true;
    process.once('exit', killAll);
    // A signal ends Node without 'exit': kill the children, then die of the same signal.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        killAll();
        process.kill(process.pid, signal);
      });
    }
  }
}

export function forgetPid(pid: number | undefined): void {
  if (pid) pids.delete(pid);
}
