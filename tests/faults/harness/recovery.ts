/**
 * How fast the cascade comes back after a fault, two figures from the same progress samples
 * (the read model's count of deliveries plus acknowledgements, every 0.5 s, harness/progress.ts),
 * each against the fault-free baseline of the same run over the same stretch of its cascade (a
 * relay's burst of deliveries, or the steadier acknowledgements), on the same machine:
 *
 * - **recovery** (`recoveryMs`): from the fault's end until the cascade progresses at its
 *   normal rate again — the first moment from which the next 5 s of work goes at least at
 *   80 % of the pace the baseline had for that same work. A cascade that stalls for 8 s and
 *   then goes on as the baseline did has recovery 8 s; one that crawls at half pace for 20 s
 *   has 20 s.
 * - **time lost** (`timeLostMs`): how much longer the work left at the fault's end (up to the
 *   next fault) took than the baseline took for it — the whole cost, however spread: 8 s for
 *   the stall above, 10 s for the 20 s crawl; 0 when the backlog drains faster than the baseline.
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

/** Where fault `index`'s measurement ends: the work done, or the next fault beginning. */
function measuredUntil(record: ProgressRecord, faults: FaultSpan[], index: number): { end: number; done: boolean } | undefined {
  const next = faults[index + 1];
  const nextStart = next ? next.atMs - (next.downMs ?? 0) : Infinity;
  const done = timeToReach(record.samples, record.target) ?? Infinity;
  if (done === Infinity && nextStart === Infinity) return undefined;
  return { end: Math.min(done, nextStart), done: done <= nextStart };
}

/**
 * Milliseconds fault `index` cost after it ended (see above), or undefined when the work was
 * not done within the samples and no later fault bounds the measurement.
 */
export function timeLostMs(record: ProgressRecord, faults: FaultSpan[], index: number, baseline: ProgressRecord): number | undefined {
  const fault = faults[index]!;
  const until = measuredUntil(record, faults, index);
  if (!until) return undefined;
  const { end } = until;
  if (end <= fault.atMs) return 0;
  const from = timeToReach(baseline.samples, doneAt(record.samples, fault.atMs));
  const to = timeToReach(baseline.samples, doneAt(record.samples, end));
  if (from === undefined || to === undefined) return undefined;
  return Math.max(0, end - fault.atMs - (to - from));
}

/** The window over which the pace is compared, and the share of the baseline's pace that is "normal". */
export const PACE_WINDOW_MS = 5_000;
export const NORMAL_PACE = 0.8;

export interface Recovery {
  ms: number;
  /** The next fault began before the cascade was back at its normal rate: `ms` is a lower bound. */
  cutShort: boolean;
}

/**
 * From fault `index`'s end until the cascade progresses at its normal rate again (see above),
 * checked every 0.5 s; undefined when the work was not done within the samples and no later
 * fault bounds the measurement.
 */
export function recoveryMs(record: ProgressRecord, faults: FaultSpan[], index: number, baseline: ProgressRecord): Recovery | undefined {
  const fault = faults[index]!;
  const until = measuredUntil(record, faults, index);
  if (!until) return undefined;
  for (let t = fault.atMs; t < until.end; t += 500) {
    const from = doneAt(record.samples, t);
    // The window ends with the measurement: at the work's end, or where the next fault began.
    const windowEnd = Math.min(t + PACE_WINDOW_MS, until.end);
    const to = windowEnd === until.end && until.done ? record.target : doneAt(record.samples, windowEnd);
    if (to <= from) continue;
    const baseFrom = timeToReach(baseline.samples, from);
    const baseTo = timeToReach(baseline.samples, to);
    if (baseFrom === undefined || baseTo === undefined) return undefined;
    if (baseTo - baseFrom >= NORMAL_PACE * (windowEnd - t)) return { ms: t - fault.atMs, cutShort: false };
  }
  return { ms: Math.max(0, until.end - fault.atMs), cutShort: !until.done };
}
