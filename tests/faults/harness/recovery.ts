/**
 * "recovery s" of the fault report: the time a fault still costs the cascade after it has
 * ended, until the cascade is back at its normal rate. Progress is the read model's count of
 * deliveries plus acknowledgements, sampled every 0.5 s (harness/progress.ts); the normal rate
 * is the fault-free baseline's in the same run (all its work over the time it took). From the
 * fault's end to the moment the work left then is done (or the next fault begins), the
 * cascade did some amount of work; recovery is how much longer that took than the same work
 * at the normal rate. A cascade that stalls for 8 s and then goes on at the normal rate has
 * recovery 8 s; one that stalls, crawls, then catches up counts the time it lost; a backlog
 * that drains faster than normal counts 0.
 */

/** [ms since the case started, deliveries + acknowledgements so far]. */
export type Sample = [number, number];

export interface ProgressRecord {
  /** The deliveries plus acknowledgements the measured phase ends with. */
  target: number;
  samples: Sample[];
}

/** When a fault ended (ms since the case started) and how long it lasted. */
export interface FaultSpan {
  atMs: number;
  downMs?: number;
}

/** The count at time `t`: the latest sample at or before it (0 before the first). */
function doneAt(samples: Sample[], t: number): number {
  let done = 0;
  for (const [at, n] of samples) {
    if (at > t) break;
    done = n;
  }
  return done;
}

/** When the count first reached `n`, or undefined. */
function reached(samples: Sample[], n: number): number | undefined {
  return samples.find(([, done]) => done >= n)?.[0];
}

/** Work per millisecond over the baseline's whole measured phase (first progress to target). */
export function normalRate(baseline: ProgressRecord): number | undefined {
  const first = baseline.samples.find(([, n]) => n > 0);
  const last = reached(baseline.samples, baseline.target);
  if (!first || last === undefined || last <= first[0]) return undefined;
  return (baseline.target - first[1]) / (last - first[0]);
}

/**
 * Milliseconds fault `index` cost after it ended (see above), or undefined when the work was
 * not done within the samples and no later fault bounds the measurement.
 */
export function recoveryMs(record: ProgressRecord, faults: FaultSpan[], index: number, ratePerMs: number): number | undefined {
  const fault = faults[index]!;
  const next = faults[index + 1];
  const nextStart = next ? next.atMs - (next.downMs ?? 0) : undefined;
  const done = reached(record.samples, record.target);
  const end = Math.min(done ?? Infinity, nextStart ?? Infinity);
  if (end === Infinity) return undefined;
  if (end <= fault.atMs) return 0;
  const work = doneAt(record.samples, end) - doneAt(record.samples, fault.atMs);
  return Math.max(0, end - fault.atMs - work / ratePerMs);
}
