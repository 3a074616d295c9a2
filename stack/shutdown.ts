/**
 * Stopping a stack of parts in order, bounded: each part gets its own deadline, and a part
 * that fails to stop or overruns its deadline is reported and left behind while the next
 * part stops anyway. A whole stack therefore closes within the sum of its deadlines, whatever
 * state its parts are in (a database pool waiting on a dead server, a server that ignores
 * SIGTERM).
 */

export interface StopStep {
  /** Names the part in a report. */
  what: string;
  stop: () => Promise<void> | void;
  /** How long the stop may take before the next part is stopped regardless; default 15 s. */
  timeoutMs?: number;
}

export const DEFAULT_STEP_TIMEOUT_MS = 15_000;

/**
 * Runs the steps in the order given, each bounded by its deadline. Resolves with one line
 * per step that failed or did not finish in time (empty: everything stopped cleanly).
 */
export async function runStopSteps(steps: StopStep[]): Promise<string[]> {
  const problems: string[] = [];
  for (const step of steps) {
    const limit = step.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`stopping ${step.what} did not finish within ${limit} ms`), limit);
    });
    const stopped = (async () => {
      await step.stop();
      return undefined;
    })().catch((err: unknown) => `stopping ${step.what} failed: ${err instanceof Error ? err.message : String(err)}`);
    const problem = await Promise.race([stopped, overrun]);
    clearTimeout(timer);
    if (problem) problems.push(problem);
  }
  return problems;
}
