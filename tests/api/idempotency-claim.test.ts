/**
 * An Idempotency-Key claimed by a request that then failed before it ran (the database went
 * away between storing the claim and answering) is released, so the client's retry with the
 * same key runs instead of being answered 409 IDEMPOTENCY_IN_PROGRESS until the claim turns
 * stale; and a request releases only its own claim. Against the real test database.
 */
import express from 'express';
import request from 'supertest';
import type { Principal } from '../../api/auth';
import { idempotency } from '../../api/middleware/idempotency';
import { errorHandler } from '../../api/middleware/error-handler';
import { claimKey, releaseKey } from '../../read-model/idempotency';
import type { Db } from '../../read-model/db';
import { setLogLevel } from '../../runtime/log';
import { testDb, uniqueSuffix } from '../harness/stack';
import { waitFor } from '../../stack/wait';

const db = testDb();
const config = { IDEMPOTENCY_TTL_HOURS: 1, IDEMPOTENCY_MAX_PER_TOKEN: 100 };

beforeAll(() => setLogLevel('error'));
afterAll(() => db.$disconnect());

/** The real database, except that the next raw statement (the owner's trim after a claim) fails as when PostgreSQL stops. */
function databaseGoingAwayAfterTheClaim(): Db {
  let failNext = true;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === '$executeRaw' && failNext) {
        failNext = false;
        return () => Promise.reject(new Error('Connection terminated unexpectedly'));
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

test('when the database goes away right after a request claimed its key then the retry with the key runs once the database answers', async () => {
  const owner = `tok-${uniqueSuffix()}`;
  let handled = 0;
  const app = express();
  app.use(express.json());
  app.use((_req, res, next) => {
    res.locals.principal = { kind: 'unit', id: owner, unitCode: 'X' } as Principal;
    next();
  });
  app.post('/acknowledge', idempotency(databaseGoingAwayAfterTheClaim(), config), (_req, res) => {
    handled++;
    res.json({ handled });
  });
  app.use(errorHandler);

  const first = await request(app).post('/acknowledge').set('Idempotency-Key', 'ack-1').send({ note: 'x' });
  expect(first.status).toBe(503);
  expect(handled).toBe(0);
  await waitFor(() => db.idempotencyRecord.count({ where: { key: `${owner}:ack-1` } }), (n) => n === 0, 'the failed claim to be released');

  const retry = await request(app).post('/acknowledge').set('Idempotency-Key', 'ack-1').send({ note: 'x' });
  expect(retry.status).toBe(200);
  expect(retry.body).toEqual({ handled: 1 });
  const replay = await request(app).post('/acknowledge').set('Idempotency-Key', 'ack-1').send({ note: 'x' });
  expect(replay.headers['idempotent-replayed']).toBe('true');
  expect(handled).toBe(1);
});

test('when a request releases a key another request has claimed then the claim stays', async () => {
  const key = `tok-${uniqueSuffix()}:k`;
  const claim = { key, owner: 'tok', requestHash: 'h', expiresAt: new Date(Date.now() + 60_000), maxPerOwner: 100 };
  expect(await claimKey(db, { ...claim, claimId: 'first' })).toBe(true);
  await releaseKey(db, key, 'second');
  expect(await db.idempotencyRecord.count({ where: { key } })).toBe(1);
  await releaseKey(db, key, 'first');
  expect(await db.idempotencyRecord.count({ where: { key } })).toBe(0);
});
