/**
 * How activity errors are classified against a real PostgreSQL: a database that is away is
 * an outage, retried; a statement the database refuses for its data is an incident. Raw
 * queries (the delivery's hot path) report both as Prisma's P2010, which once turned a
 * 30-second outage into hundreds of FAILED assignments in the fault suite.
 */
import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../activities';
import { createStore } from '../read-model/store';
import { classify } from '../activities/errors';
import { createDb, isDatabaseUnavailable, type Db } from '../read-model/db';
import { stackState, testDb, uniqueSuffix } from './harness/stack';

/** What a failed call threw, classified as the workflow sees it. */
async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return classify(err);
  }
  throw new Error('expected the call to fail');
}

const isIncident = (err: unknown) => err instanceof ApplicationFailure && err.type === 'Incident' && err.nonRetryable;

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(() => db.$disconnect());

describe('activity errors from the database', () => {
  test('when the database cannot be reached then a delivery fails as an outage to retry, not as an incident', async () => {
    const url = new URL(stackState().databaseUrl);
    url.port = '1'; // nothing listens there
    const away = createDb(url.toString(), 1);
    try {
      const directiveId = `away-${uniqueSuffix()}`;
      const err = await failure(() =>
        createActivities({ store: createStore(away) }).deliver({
          assignmentId: `${directiveId}/STTTT-VP`, directiveId, unitCode: 'STTTT-VP', parentAssignmentId: null,
          parentUnitCode: 'TTCS', receivedDirectiveId: directiveId, relDepth: 1, baseCycles: [], directiveVersion: 1,
          policy: { ackWithin: 'P2D', escalation: [], calendar: 'none' }, at: new Date().toISOString(),
        }),
      );
      expect(isIncident(err)).toBe(false);
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      await away.$disconnect();
    }
  });

  test('when the database ends the connection of a raw query (57P01) then it is an outage, not an incident', async () => {
    const own = createDb(stackState().databaseUrl, 1);
    try {
      const err = await failure(() => own.$queryRaw`SELECT pg_terminate_backend(pg_backend_pid())`);
      expect(isIncident(err)).toBe(false);
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      await own.$disconnect();
    }
  });

  test('when the database refuses a raw statement for its data then it is an incident, not retried', async () => {
    const err = await failure(() => db.$queryRaw`SELECT 1 / 0`);
    expect(isIncident(err)).toBe(true);
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
