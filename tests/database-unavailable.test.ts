/** Which errors mean "the database is away" (503) rather than a bug (500). */
import { isDatabaseUnavailable } from '../read-model/db';

describe('isDatabaseUnavailable', () => {
  test('when the driver reports a refused or lost connection, even wrapped, then it is unavailable', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('outer', { cause: Object.assign(new Error('x'), { code: '57P01' }) }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    // Seen when PostgreSQL stopped while a transaction was rolling back (the fault suite).
    expect(isDatabaseUnavailable(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
  });
  test('when a query is wrong or data breaks a rule then it is not', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: 'P2002' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  });
});
