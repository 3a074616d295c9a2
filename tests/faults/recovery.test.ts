/** The fault report's "recovery s" and "time lost s": how fast a cascade comes back after a fault. */
import { recoveryMs, timeLostMs, timeToReach, type ProgressRecord, type Sample } from './harness/recovery';

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

describe('time lost', () => {
  test('when progress stalls for 6 s after the fault ends then goes on as in the baseline then the time lost is 6 s', () => {
    // 100 done when the fault ends at 20 s; nothing until 26 s; then 20 per second to 1,000.
    const record: ProgressRecord = { target: 1000, samples: [...steady(15_000, 20_000, 0, 20), ...steady(20_500, 26_000, 100, 0), ...steady(26_500, 80_000, 110, 20)] };
    expect(timeLostMs(record, [{ atMs: 20_000 }], 0, baseline)).toBeCloseTo(6_000, -2);
  });

  test('when progress crawls at a fifth of the baseline\'s rate for 10 s then the time lost counts the 8 s lost', () => {
    const record: ProgressRecord = { target: 1000, samples: [...steady(20_000, 30_000, 100, 4), ...steady(30_500, 80_000, 150, 20)] };
    expect(timeLostMs(record, [{ atMs: 20_000 }], 0, baseline)).toBeCloseTo(8_000, -2);
  });

  test('when the baseline itself is slower in that stretch of the cascade then the case is compared with that, not with its average', () => {
    // The baseline slows to 5 per second after 500 (acknowledgements after the deliveries); a
    // case that does the same after a fault ending at 500 has lost nothing.
    const phased: ProgressRecord = { target: 1000, samples: [...steady(0, 25_000, 0, 20), ...steady(25_500, 125_000, 502, 5)] };
    const record: ProgressRecord = { target: 1000, samples: steady(40_000, 140_000, 500, 5) };
    expect(timeLostMs(record, [{ atMs: 40_000 }], 0, phased)).toBeLessThan(1_000);
  });

  test('when the backlog drains faster than the baseline then the time lost is 0', () => {
    const record: ProgressRecord = { target: 1000, samples: steady(20_000, 45_000, 100, 40) };
    expect(timeLostMs(record, [{ atMs: 20_000 }], 0, baseline)).toBe(0);
  });

  test('when a second fault begins before the work is done then the first is measured up to it', () => {
    // Stalled from 20 s to 24 s, then as the baseline until the second fault starts at 30 s.
    const record: ProgressRecord = {
      target: 1000,
      samples: [...steady(20_000, 24_000, 100, 0), ...steady(24_500, 30_000, 110, 20), ...steady(30_500, 33_000, 220, 0), ...steady(33_500, 80_000, 220, 20)],
    };
    expect(timeLostMs(record, [{ atMs: 20_000 }, { atMs: 33_000, downMs: 3_000 }], 0, baseline)).toBeCloseTo(4_000, -2);
  });

  test('when the cascade never finishes its work within the samples then the time lost is unknown', () => {
    const record: ProgressRecord = { target: 1000, samples: steady(20_000, 30_000, 100, 0) };
    expect(timeLostMs(record, [{ atMs: 20_000 }], 0, baseline)).toBeUndefined();
  });
});

describe('recovery: until the cascade goes at its normal rate again', () => {
  test('when progress stalls for 6 s after the fault ends then goes on as in the baseline then recovery is 6 s', () => {
    const record: ProgressRecord = { target: 1000, samples: [...steady(15_000, 20_000, 0, 20), ...steady(20_500, 26_000, 100, 0), ...steady(26_500, 80_000, 110, 20)] };
    expect(recoveryMs(record, [{ atMs: 20_000 }], 0, baseline)?.ms).toBeGreaterThanOrEqual(5_000);
    expect(recoveryMs(record, [{ atMs: 20_000 }], 0, baseline)?.ms).toBeLessThanOrEqual(6_000);
  });

  test('when progress crawls at half the baseline\'s pace for 20 s then recovery is those 20 s, though 10 s were lost', () => {
    const record: ProgressRecord = { target: 1000, samples: [...steady(20_000, 40_000, 100, 10), ...steady(40_500, 80_000, 310, 20)] };
    const recovered = recoveryMs(record, [{ atMs: 20_000 }], 0, baseline)!;
    expect(recovered.ms).toBeGreaterThan(16_000);
    expect(recovered.ms).toBeLessThanOrEqual(20_000);
    expect(recovered.cutShort).toBe(false);
    expect(timeLostMs(record, [{ atMs: 20_000 }], 0, baseline)).toBeCloseTo(10_000, -3);
  });

  test('when progress goes on at 90 % of the baseline\'s pace then it has recovered at once', () => {
    const record: ProgressRecord = { target: 1000, samples: steady(20_000, 80_000, 100, 18) };
    expect(recoveryMs(record, [{ atMs: 20_000 }], 0, baseline)).toEqual({ ms: 0, cutShort: false });
  });

  test('when the next fault begins while the cascade still crawls then recovery is a lower bound', () => {
    const record: ProgressRecord = { target: 1000, samples: [...steady(20_000, 30_000, 100, 2), ...steady(30_500, 80_000, 120, 20)] };
    expect(recoveryMs(record, [{ atMs: 20_000 }, { atMs: 32_000, downMs: 2_000 }], 0, baseline)).toEqual({ ms: 10_000, cutShort: true });
  });

  test('when the work was done before the fault ended then recovery is 0', () => {
    const record: ProgressRecord = { target: 1000, samples: steady(0, 50_000, 0, 20) };
    expect(recoveryMs(record, [{ atMs: 60_000 }], 0, baseline)).toEqual({ ms: 0, cutShort: false });
  });
});
