/**
 * "recovery s" of the fault report: the time a fault still costs the cascade after it has
 * ended, until the cascade is back at its normal rate. Progress is the read model's count of
 * deliveries plus acknowledgements, sampled every 0.5 s (harness/progress.ts). From the
 * fault's end to the moment the work left then is done (or the next fault begins), the case
 * took the cascade from count a to count b; recovery is how much longer that took than the
 * fault-free baseline of the same run took from a to b — the same stretch of the same cascade
 * (a relay's burst of deliveries, or the steadier acknowledgements), on the same machine. A
 * cascade that stalls for 8 s and then goes on as the baseline did has recovery 8 s; one that
 * stalls, crawls and catches up counts the time it lost; one that drains its backlog faster
 * than the baseline counts 0.
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

/** When the count reached `n`, interpolated between the samples around it; undefined if never. */
export function timeToReach(samples: Sample[], n: number): number | undefined {
  let previous: Sample | undefined;
  for (const sample of samples) {
    const [at, done] = sample;
    if (done >= n) {
      if (!previous || done === previous[1]) return at;
      return previous[0] + ((at - previous[0]) * (n - previous[1])) / (done - previous[1]);
    }
    previous = sample;
  }
  return undefined;
}

/**
 * Milliseconds fault `index` cost after it ended (see above), or undefined when the work was
 * not done within the samples and no later fault bounds the measurement.
 */
export function recoveryMs(record: ProgressRecord, faults: FaultSpan[], index: number, baseline: ProgressRecord): number | undefined {
  const fault = faults[index]!;
  const next = faults[index + 1];
  const nextStart = next ? next.atMs - (next.downMs ?? 0) : undefined;
  const done = timeToReach(record.samples, record.target);
  const end = Math.min(done ?? Infinity, nextStart ?? Infinity);
  if (end === Infinity) return undefined;
  if (end <= fault.atMs) return 0;
  const from = timeToReach(baseline.samples, doneAt(record.samples, fault.atMs));
  const to = timeToReach(baseline.samples, doneAt(record.samples, end));
  if (from === undefined || to === undefined) return undefined;
  return Math.max(0, end - fault.atMs - (to - from));
}
