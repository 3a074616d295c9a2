/**
 * An Idempotency-Key whose request ended while the database was away is settled once the
 * database is back: otherwise the client's retries would be answered 409
 * IDEMPOTENCY_IN_PROGRESS until the claim turned stale (minutes after the outage).
 */
import { settleEventually } from '../../api/middleware/idempotency';
import { setLogLevel } from '../../runtime/log';
import { waitFor } from '../../stack/wait';

beforeAll(() => setLogLevel('error'));

test('when storing the record fails while the database is away then the answer leaves and the record is stored once it is back', async () => {
  let attempts = 0;
  let stored = false;
  const settle = async () => {
    attempts++;
    if (attempts < 3) throw new Error("Can't reach database server");
    stored = true;
  };
  await settleEventually(settle, { giveUpAfterMs: 60_000, firstAttemptMs: 2_000, retryMs: 10 });
  // The answer goes out after the first attempt; the record follows.
  expect(attempts).toBe(1);
  await waitFor(() => stored, (s) => s, 'the record to be stored', 5_000, 10);
  expect(attempts).toBe(3);
});

test('when the database never comes back then the retries stop once the claim is stale anyway', async () => {
  let attempts = 0;
  await settleEventually(async () => {
    attempts++;
    throw new Error('ECONNREFUSED');
  }, { giveUpAfterMs: 50, firstAttemptMs: 2_000, retryMs: 10 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const settled = attempts;
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(attempts).toBe(settled);
  expect(attempts).toBeGreaterThan(1);
});
