/** The fault report's "recovery s": what a fault still costs the cascade after it ended. */
import { recoveryMs, timeToReach, type ProgressRecord, type Sample } from './harness/recovery';

/** Samples every 500 ms from `from` to `to` of a count rising `perSecond`, from `start`. */
function steady(from: number, to: number, start: number, perSecond: number): Sample[] {
  const out: Sample[] = [];
  for (let t = from; t <= to; t += 500) out.push([t, Math.round(start + ((t - from) / 1000) * perSecond)]);
  return out;
}

// A baseline doing 20 units of work per second from 0 s until it reaches 1,000 at 50 s.
const baseline: ProgressRecord = { target: 1000, samples: steady(0, 50_000, 0, 20) };

test('when the count passes a level between two samples then it reached it in between', () => {
  expect(timeToReach([[1000, 10], [2000, 30]], 20)).toBe(1500);
  expect(timeToReach([[1000, 10]], 20)).toBeUndefined();
});

test('when progress stalls for 6 s after the fault ends then goes on as in the baseline then recovery is 6 s', () => {
  // 100 done when the fault ends at 20 s; nothing until 26 s; then 20 per second to 1,000.
  const record: ProgressRecord = { target: 1000, samples: [...steady(15_000, 20_000, 0, 20), ...steady(20_500, 26_000, 100, 0), ...steady(26_500, 80_000, 110, 20)] };
  expect(recoveryMs(record, [{ atMs: 20_000 }], 0, baseline)).toBeCloseTo(6_000, -2);
});

test('when progress crawls at a fifth of the baseline\'s rate for 10 s then recovery counts the 8 s lost', () => {
  const record: ProgressRecord = { target: 1000, samples: [...steady(20_000, 30_000, 100, 4), ...steady(30_500, 80_000, 150, 20)] };
  expect(recoveryMs(record, [{ atMs: 20_000 }], 0, baseline)).toBeCloseTo(8_000, -2);
});

test('when the baseline itself is slower in that stretch of the cascade then the case is compared with that, not with its average', () => {
  // The baseline slows to 5 per second after 500 (acknowledgements after the deliveries); a
  // case that does the same after a fault ending at 500 has lost nothing.
  const phased: ProgressRecord = { target: 1000, samples: [...steady(0, 25_000, 0, 20), ...steady(25_500, 125_000, 502, 5)] };
  const record: ProgressRecord = { target: 1000, samples: steady(40_000, 140_000, 500, 5) };
  expect(recoveryMs(record, [{ atMs: 40_000 }], 0, phased)).toBeLessThan(1_000);
});

test('when the backlog drains faster than the baseline then recovery is 0', () => {
  const record: ProgressRecord = { target: 1000, samples: steady(20_000, 45_000, 100, 40) };
  expect(recoveryMs(record, [{ atMs: 20_000 }], 0, baseline)).toBe(0);
});

test('when a second fault begins before the work is done then the first is measured up to it', () => {
  // Stalled from 20 s to 24 s, then as the baseline until the second fault starts at 30 s.
  const record: ProgressRecord = {
    target: 1000,
    samples: [...steady(20_000, 24_000, 100, 0), ...steady(24_500, 30_000, 110, 20), ...steady(30_500, 33_000, 220, 0), ...steady(33_500, 80_000, 220, 20)],
  };
  expect(recoveryMs(record, [{ atMs: 20_000 }, { atMs: 33_000, downMs: 3_000 }], 0, baseline)).toBeCloseTo(4_000, -2);
});

test('when the cascade never finishes its work within the samples then recovery is unknown', () => {
  const record: ProgressRecord = { target: 1000, samples: steady(20_000, 30_000, 100, 0) };
  expect(recoveryMs(record, [{ atMs: 20_000 }], 0, baseline)).toBeUndefined();
});
