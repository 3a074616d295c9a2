/** The size of a fan-out's next wave of child starts (workflows/start-pace.ts). */
import { WAVE_TARGET_MS, nextWaveSize } from '../workflows/start-pace';

describe('nextWaveSize', () => {
  test("when a wave is started well within the target then the next grows by one start, up to the issuer's largest", () => {
    expect(nextWaveSize(1, 8, 0)).toBe(2);
    expect(nextWaveSize(4, 8, WAVE_TARGET_MS / 2)).toBe(5);
    expect(nextWaveSize(8, 8, 10)).toBe(8);
    expect(nextWaveSize(6, 6, 10)).toBe(6);
  });

  test('when a wave took longer than the target then the next is the size its pace fills in the target, never below one', () => {
    expect(nextWaveSize(8, 8, WAVE_TARGET_MS * 2)).toBe(4);
    expect(nextWaveSize(8, 8, WAVE_TARGET_MS * 10)).toBe(1);
    expect(nextWaveSize(1, 8, 60_000)).toBe(1);
  });

  test('when a wave took about the target then the size holds', () => {
    expect(nextWaveSize(4, 8, WAVE_TARGET_MS)).toBe(4);
    expect(nextWaveSize(8, 8, WAVE_TARGET_MS * 1.05)).toBe(8);
  });

  test('when the largest wave is one (or less) then every wave is one', () => {
    expect(nextWaveSize(1, 1, 0)).toBe(1);
    expect(nextWaveSize(1, 0, 0)).toBe(1);
  });
});
