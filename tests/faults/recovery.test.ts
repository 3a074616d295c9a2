/** The fault report's "recovery s": what a fault still costs the cascade after it ended. */
import { normalRate, recoveryMs, type ProgressRecord, type Sample } from './harness/recovery';

/** Samples every 500 ms from `from` to `to` of a count rising `perSecond`, from `start`. */
function steady(from: number, to: number, start: number, perSecond: number): Sample[] {
  const out: Sample[] = [];
  for (let t = from; t <= to; t += 500) out.push([t, Math.round(start + ((t - from) / 1000) * perSecond)]);
  return out;
}

// A baseline doing 200 units of work in 10 s (20 per second) after starting at 1 s.
const baseline: ProgressRecord = { target: 200, samples: [[500, 0], ...steady(1000, 11000, 0, 20)] };
const rate = normalRate(baseline)!;

test('when the baseline does all its work in 10 s then its normal rate is the work over that time', () => {
  expect(rate).toBeCloseTo(200 / 10_000);
});

test('when progress stalls for 6 s after the fault ends then goes on at the normal rate then recovery is 6 s', () => {
  // 100 done when the fault ends at 20 s; nothing until 26 s; then 20 per second to 300.
  const record: ProgressRecord = { target: 300, samples: [...steady(15_000, 20_000, 0, 20), ...steady(20_500, 26_000, 100, 0), ...steady(26_500, 40_000, 110, 20)] };
  expect(recoveryMs(record, [{ atMs: 20_000 }], 0, rate)).toBeCloseTo(6_000, -3);
});

test('when progress crawls at a fifth of the normal rate for 10 s then recovery counts the 8 s lost', () => {
  const record: ProgressRecord = { target: 400, samples: [...steady(20_000, 30_000, 100, 4), ...steady(30_500, 45_000, 150, 20)] };
  expect(recoveryMs(record, [{ atMs: 20_000 }], 0, rate)).toBeCloseTo(8_000, -3);
});

test('when the backlog drains faster than the normal rate then recovery is 0', () => {
  const record: ProgressRecord = { target: 300, samples: steady(20_000, 25_000, 100, 40) };
  expect(recoveryMs(record, [{ atMs: 20_000 }], 0, rate)).toBe(0);
});

test('when a second fault begins before the work is done then the first is measured up to it', () => {
  // Stalled from 20 s to 24 s, normal until the second fault starts at 30 s (it ends at 33 s).
  const record: ProgressRecord = {
    target: 1000,
    samples: [...steady(20_000, 24_000, 100, 0), ...steady(24_500, 30_000, 100, 20), ...steady(30_500, 33_000, 210, 0), ...steady(33_500, 80_000, 210, 20)],
  };
  expect(recoveryMs(record, [{ atMs: 20_000 }, { atMs: 33_000, downMs: 3_000 }], 0, rate)).toBeCloseTo(4_500, -3);
});

test('when the cascade never finishes its work within the samples then recovery is unknown', () => {
  const record: ProgressRecord = { target: 300, samples: steady(20_000, 30_000, 100, 0) };
  expect(recoveryMs(record, [{ atMs: 20_000 }], 0, rate)).toBeUndefined();
});
