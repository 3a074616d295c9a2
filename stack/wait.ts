/**
 * Waiting, the same way everywhere: the test suites, the fault and cluster suites, the
 * benchmark and the stack scripts all sleep and poll through these two.
 */

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` every `intervalMs` until `ok` holds, and resolves with that value. A probe
 * that throws (a database that is down, a workflow not started yet) counts as "not yet".
 * After `timeoutMs` it fails naming `what` and the last value or error it saw.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (ok(value)) return value;
      last = value;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last: ${String(JSON.stringify(last) ?? last)}`,
      );
    }
    await sleep(intervalMs);
  }
}
