/** Small helpers the fault harness shares. */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Maps `items` with at most `concurrency` calls in flight; results in input order. */
export async function pool<T, R>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return out;
}

/**
 * Polls `probe` until `ok` holds. A probe that throws (the database is down) counts as
 * "not yet". Fails naming `what` and the last value or error seen.
 */
export async function waitUntil<T>(
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  ms: number,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (ok(value)) return value;
      last = value;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await sleep(intervalMs);
  }
}

/** `p`, or a rejection naming `what` after `ms` (the timer does not outlive the race). */
export async function withinBudget<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(what)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
