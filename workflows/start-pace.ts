/**
 * How many children a forwarding workflow starts in its next wave (run-start-v8, v9).
 *
 * Every start in flight is work queued on the server; a few hundred keep it busy, thousands
 * make it slower for everyone (ten national cascades with waves of 8: 2,720 starts in flight,
 * 4 deliveries/s against 14/s one at a time; BENCHMARKS.md runs G–J). A parent cannot see
 * the other parents, but it sees how long its own wave took to be started, and by Little's
 * law that time grows with everything in flight on the server. So each wave aims to be
 * started within {@link WAVE_TARGET_MS}: the next wave is the size the last one's pace per
 * start would fill in that time — at least one, never past the issuer's CASCADE_START_WAVE,
 * and growing from one by one start a wave (v9; v8 runs doubled, which let ten cascades
 * reach waves of 8 before the server was loaded, and lose a fifth of their throughput:
 * BENCHMARKS.md, ninth session). One cascade on two cores starts a wave of 8 in about 1.6 s
 * and keeps 7–8; ten at once take 4–18 s for a wave of one and stay at one.
 * Times are the workflow's own clock (each workflow task's start time, recorded in history),
 * so the sizes replay exactly.
 */

/** How long a wave of starts should take; the next wave is sized for it. */
export const WAVE_TARGET_MS = 2_000;

/** The first wave of an adaptive fan-out. */
export const FIRST_WAVE = 1;

/** How a fast wave's successor grows: by one start (run-start-v9), or twice as large (v8). */
export type WaveGrowth = 'add-one' | 'double';

/** The next wave's size after a wave of `size` took `tookMs`, within 1..`max`. */
export function nextWaveSize(size: number, max: number, tookMs: number, growth: WaveGrowth): number {
  const fits = tookMs > 0 ? Math.round((size * WAVE_TARGET_MS) / tookMs) : Infinity;
  const grown = growth === 'double' ? size * 2 : size + 1;
  return Math.max(1, Math.min(max, grown, fits));
}
