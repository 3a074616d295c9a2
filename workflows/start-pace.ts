/**
 * How many children a forwarding workflow starts in its next wave.
 *
 * Every start in flight is work queued on the server; a few hundred keep it busy, thousands
 * make it slower for everyone (ten national cascades with fixed waves of 8 put 2,720 starts
 * in flight). A parent cannot see the other parents, but it sees how long its own wave took
 * to be started, and by Little's law that time grows with everything in flight on the
 * server. So each wave aims to be started within {@link WAVE_TARGET_MS}: the next wave is
 * the size the last one's pace per start would fill in that time, at least one, never past
 * the issuer's CASCADE_START_WAVE, growing from one by one start a wave (doubling let ten
 * cascades at once reach waves of 8 before the server was loaded; see docs/performance.md).
 * Times are the workflow's own clock (each workflow task's start time, recorded in
 * history), so the sizes replay exactly.
 */

/** How long a wave of starts should take; the next wave is sized for it. */
export const WAVE_TARGET_MS = 2_000;

/** The first wave of a fan-out. */
export const FIRST_WAVE = 1;

/** The next wave's size after a wave of `size` took `tookMs`, within 1..`max`. */
export function nextWaveSize(size: number, max: number, tookMs: number): number {
  const fits = tookMs > 0 ? Math.round((size * WAVE_TARGET_MS) / tookMs) : Infinity;
  return Math.max(1, Math.min(max, size + 1, fits));
}
