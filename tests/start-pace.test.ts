/** The size of a fan-out's next wave of child starts (run-start-v8, v9; workflows/start-pace.ts). */
import { WAVE_TARGET_MS, nextWaveSize } from '../workflows/start-pace';

describe('nextWaveSize', () => {
  test('when a wave is started well within the target then the next grows by one start (v9), up to the issuer\'s largest', () => {
    expect(nextWaveSize(1, 8, 0, 'add-one')).toBe(2);
    expect(nextWaveSize(4, 8, WAVE_TARGET_MS / 2, 'add-one')).toBe(5);
    expect(nextWaveSize(8, 8, 10, 'add-one')).toBe(8);
    expect(nextWaveSize(6, 6, 10, 'add-one')).toBe(6);
  });

  test('when a v8 run\'s wave is started well within the target then the next is twice as large, up to the largest', () => {
    expect(nextWaveSize(1, 8, 0, 'double')).toBe(2);
    expect(nextWaveSize(4, 8, WAVE_TARGET_MS / 2, 'double')).toBe(8);
    expect(nextWaveSize(4, 6, 10, 'double')).toBe(6);
  });

  test('when a wave took longer than the target then the next is the size its pace fills in the target, never below one', () => {
    for (const growth of ['add-one', 'double'] as const) {
      expect(nextWaveSize(8, 8, WAVE_TARGET_MS * 2, growth)).toBe(4);
      expect(nextWaveSize(8, 8, WAVE_TARGET_MS * 10, growth)).toBe(1);
      expect(nextWaveSize(1, 8, 60_000, growth)).toBe(1);
    }
  });

  test('when a wave took about the target then the size holds', () => {
    expect(nextWaveSize(4, 8, WAVE_TARGET_MS, 'add-one')).toBe(4);
    expect(nextWaveSize(8, 8, WAVE_TARGET_MS * 1.05, 'add-one')).toBe(8);
    expect(nextWaveSize(5, 8, WAVE_TARGET_MS, 'double')).toBe(5);
  });

  test('when the largest wave is one (or less) then every wave is one', () => {
    expect(nextWaveSize(1, 1, 0, 'add-one')).toBe(1);
    expect(nextWaveSize(1, 0, 0, 'double')).toBe(1);
  });
});
