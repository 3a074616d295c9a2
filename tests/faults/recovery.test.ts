/** The fault report's "recovery s": when the cascade progresses at its normal rate again after a fault. */
import { normalRate, recoveryMs, SHARE, WINDOW_MS, type ProgressRecord, type Sample } from './harness/recovery';

/** Samples every 500 ms from `from` to `to` of a count rising `perSecond`, from `start`. */
function steady(from: number, to: number, start: number, perSecond: number): Sample[] {
  const out: Sample[] = [];
  for (let t = from; t <= to; t += 500) out.push([t, Math.round(start + ((t - from) / 1000) * perSecond)]);
  return out;
}

// A baseline doing 200 units of work in 10 s (20 per second) after starting at 1 s.
const baseline: ProgressRecord = { target: 200, samples: [[500, 0], ...steady(1000, 11000, 0, 20)] };

test('when the baseline does all its work in 10 s then its normal rate is the work over that time', () => {
  expect(normalRate(baseline)).toBeCloseTo(200 / 10_000);
});

// A window that starts before progress resumes can already hold half the normal progress:
// recovery is measured to within SHARE × WINDOW_MS (1 s) below the moment progress resumed.
test('when progress stalls for 6 s after the fault ends then resumes at the normal rate then recovery is 5 to 6 s', () => {
  // 100 done when the fault ends at 20 s; nothing until 26 s; then 20 per second.
  const record: ProgressRecord = { target: 300, samples: [...steady(15_000, 20_000, 0, 20), ...steady(20_500, 26_000, 100, 0), ...steady(26_500, 40_000, 110, 20)] };
  const ms = recoveryMs(record, 20_000, normalRate(baseline)!)!;
  expect(ms).toBeGreaterThanOrEqual(6_000 - SHARE * WINDOW_MS);
  expect(ms).toBeLessThanOrEqual(6_000);
});

test('when progress resumes at a fifth of the normal rate then it has not recovered until the rate is back', () => {
  const record: ProgressRecord = { target: 400, samples: [...steady(20_000, 30_000, 100, 4), ...steady(30_500, 45_000, 140, 20)] };
  const ms = recoveryMs(record, 20_000, normalRate(baseline)!)!;
  expect(ms).toBeGreaterThanOrEqual(10_000 - SHARE * WINDOW_MS);
  expect(ms).toBeLessThanOrEqual(10_000);
});

test('when only a little work is left and it is all done within the window then the cascade has recovered', () => {
  const record: ProgressRecord = { target: 105, samples: [[20_000, 100], [20_500, 100], [21_000, 103], [21_500, 105]] };
  expect(recoveryMs(record, 20_000, normalRate(baseline)!)).toBe(0);
});

test('when the cascade never progresses again within the samples then recovery is unknown', () => {
  const record: ProgressRecord = { target: 300, samples: steady(20_000, 30_000, 100, 0) };
  expect(recoveryMs(record, 20_000, normalRate(baseline)!)).toBeUndefined();
});
