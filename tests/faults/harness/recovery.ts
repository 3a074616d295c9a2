/**
 * "recovery s" of the fault report: from the end of a fault until the cascade progresses at
 * its normal rate again. Progress is the read model's count of deliveries plus
 * acknowledgements, sampled every 0.5 s (harness/progress.ts); the normal rate is the
 * fault-free baseline's in the same run (all its work over the time it took). The cascade has
 * recovered at the first moment t, at or after the fault's end, from which it does within the
 * next WINDOW_MS at least SHARE of what the baseline does in that time — or all the work it
 * has left, if that is less.
 */

/** [ms since the case started, deliveries + acknowledgements so far]. */
export type Sample = [number, number];

export interface ProgressRecord {
  /** The deliveries plus acknowledgements the measured phase ends with. */
  target: number;
  samples: Sample[];
}

export const WINDOW_MS = 2_000;
export const SHARE = 0.5;

/** The count at time `t`: the latest sample at or before it (0 before the first). */
function doneAt(samples: Sample[], t: number): number {
  let done = 0;
  for (const [at, n] of samples) {
    if (at > t) break;
    done = n;
  }
  return done;
}

/** Work per millisecond over the baseline's whole measured phase (first progress to target). */
export function normalRate(baseline: ProgressRecord): number | undefined {
  const first = baseline.samples.find(([, n]) => n > 0);
  const last = baseline.samples.find(([, n]) => n >= baseline.target);
  if (!first || !last || last[0] <= first[0]) return undefined;
  return (baseline.target - first[1]) / (last[0] - first[0]);
}

/**
 * Milliseconds from `endMs` (the fault's end) until the cascade recovered, or undefined when
 * it did not within the samples.
 */
export function recoveryMs(record: ProgressRecord, endMs: number, ratePerMs: number): number | undefined {
  const { samples, target } = record;
  const candidates = [endMs, ...samples.map(([at]) => at).filter((at) => at > endMs)];
  for (const t of candidates) {
    const done = doneAt(samples, t);
    const left = target - done;
    if (left <= 0) return t - endMs;
    const needed = Math.min(SHARE * ratePerMs * WINDOW_MS, left);
    if (doneAt(samples, t + WINDOW_MS) - done >= needed) return t - endMs;
  }
  return undefined;
}
