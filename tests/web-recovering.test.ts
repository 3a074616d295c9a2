/**
 * The dashboard during an outage: a 503 with Retry-After reads "the system is recovering,
 * retrying in N s" (Vietnamese first), and an action is tried again after N s by itself
 * instead of failing.
 */
import { ApiFailure } from '../web/src/api/client';
import { plainError } from '../web/src/errors';
import { GIVE_UP_AFTER_S, recoveringIn, retryWhileRecovering } from '../web/src/recovering';

const outage = (seconds: number) => new ApiFailure(503, 'DATABASE_UNAVAILABLE', 'the database is not answering', undefined, seconds);

test('when the API answers 503 with Retry-After then the message says the system is recovering and when it retries, in Vietnamese first', () => {
  expect(plainError(outage(2), 'vi')).toBe('Hệ thống đang phục hồi; tự động thử lại sau 2 giây.');
  expect(plainError(outage(2), 'en')).toBe('The system is recovering; retrying in 2 s.');
  expect(recoveringIn(outage(2))).toBe(2);
  // Without Retry-After it is an error the user must act on, as before.
  expect(recoveringIn(new ApiFailure(503, 'ENGINE_UNAVAILABLE', 'x'))).toBeUndefined();
  expect(plainError(new ApiFailure(503, 'ENGINE_UNAVAILABLE', 'x'), 'vi')).not.toContain('phục hồi');
});

test('when an action meets an outage then it waits Retry-After each time, says so, and succeeds once the system is back', async () => {
  const answers: Array<() => Promise<string>> = [
    () => Promise.reject(outage(1)),
    () => Promise.reject(outage(2)),
    () => Promise.resolve('recorded'),
  ];
  const shown: Array<number | null> = [];
  const waits: number[] = [];
  const result = await retryWhileRecovering(
    () => answers.shift()!(),
    (s) => shown.push(s),
    async (ms) => void waits.push(ms),
  );
  expect(result).toBe('recorded');
  expect(waits).toEqual([1000, 2000]);
  expect(shown).toEqual([1, 2, null]);
});

test('when an action is refused for another reason then it fails at once without waiting', async () => {
  const conflict = new ApiFailure(409, 'CONFLICT', 'already acknowledged');
  const waits: number[] = [];
  await expect(retryWhileRecovering(() => Promise.reject(conflict), () => undefined, async (ms) => void waits.push(ms))).rejects.toBe(conflict);
  expect(waits).toEqual([]);
});

test('when the outage outlasts the retry budget then the last failure is shown', async () => {
  const waits: number[] = [];
  await expect(retryWhileRecovering(() => Promise.reject(outage(30)), () => undefined, async (ms) => void waits.push(ms))).rejects.toBeInstanceOf(ApiFailure);
  expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(GIVE_UP_AFTER_S * 1000);
  expect(waits.length).toBe(Math.floor(GIVE_UP_AFTER_S / 30));
});
