/** The size of a fan-out's next wave of child starts (run-start-v8, workflows/start-pace.ts). */
import { WAVE_FAST_MS, WAVE_SLOW_MS, nextWaveSize } from '../workflows/start-pace';

describe('nextWaveSize', () => {
  test('when a wave is started quickly then the next is twice as large, up to the issuer\'s largest', () => {
    expect(nextWaveSize(1, 8, 0)).toBe(2);
    expect(nextWaveSize(4, 8, WAVE_FAST_MS - 1)).toBe(8);
    expect(nextWaveSize(8, 8, 10)).toBe(8);
    expect(nextWaveSize(4, 6, 10)).toBe(6);
  });

  test('when a wave is slow then the next is half as large, never below one', () => {
    expect(nextWaveSize(8, 8, WAVE_SLOW_MS + 1)).toBe(4);
    expect(nextWaveSize(5, 8, 60_000)).toBe(2);
    expect(nextWaveSize(1, 8, 60_000)).toBe(1);
  });

  test('when a wave took between fast and slow then the size holds', () => {
    expect(nextWaveSize(4, 8, WAVE_FAST_MS)).toBe(4);
    expect(nextWaveSize(4, 8, WAVE_SLOW_MS)).toBe(4);
  });

  test('when the largest wave is one (or less) then every wave is one', () => {
    expect(nextWaveSize(1, 1, 0)).toBe(1);
    expect(nextWaveSize(1, 0, 0)).toBe(1);
  });
});
