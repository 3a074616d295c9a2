/**
 * How many children a forwarding workflow starts in its next wave (run-start-v8).
 *
 * Every start in flight is work queued on the server; a few hundred keep it busy, thousands
 * make it slower for everyone (ten national cascades with waves of 8: 2,720 starts in flight,
 * 4 deliveries/s against 14/s one at a time; BENCHMARKS.md runs G–J). A parent cannot see
 * the other parents, but it sees how long its own wave took to be started, and by Little's
 * law that time grows with everything in flight on the server. So, like TCP's slow start:
 * begin with one, double while a wave is started quickly, halve when it is slow, never past
 * the issuer's CASCADE_START_WAVE. Times are the workflow's own clock (each workflow task's
 * start time, recorded in history), so the sizes replay exactly.
 */

/** A wave started within this time: the server has room, the next may be twice as large. */
export const WAVE_FAST_MS = 2_000;
/** A wave that took longer: the server is queued up, the next is half as large. */
export const WAVE_SLOW_MS = 8_000;

/** The first wave of an adaptive fan-out. */
export const FIRST_WAVE = 1;

/** The next wave's size after a wave of `size` took `tookMs`, within 1..`max`. */
export function nextWaveSize(size: number, max: number, tookMs: number): number {
  const limit = Math.max(1, max);
  if (tookMs < WAVE_FAST_MS) return Math.min(limit, size * 2);
  if (tookMs > WAVE_SLOW_MS) return Math.max(1, Math.floor(size / 2));
  return Math.min(limit, size);
}
