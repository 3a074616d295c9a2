/** Knobs of the fault suite, from the environment. */

/** Every slow case cascades over at least this many units (FAULT_MIN_UNITS, default 1,500). */
export function minUnits(): number {
  const n = Number(process.env.FAULT_MIN_UNITS ?? 1500);
  return Number.isFinite(n) && n > 0 ? n : 1500;
}

/** A slow case (stack start excluded) may take this long on a busy 2-core machine. */
export const SLOW_CASE_TIMEOUT_MS = 45 * 60_000;
