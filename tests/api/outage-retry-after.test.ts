/**
 * A user acting during an outage gets 503 with a Retry-After saying how soon a retry can
 * succeed: by the part that is away (api/retry-after.ts), against a real PostgreSQL and a
 * real Temporal client whose servers are not there (nothing listens on their ports).
 */
import request from 'supertest';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { createDb, type Db } from '../../read-model/db';
import { RETRY_AFTER_S } from '../../api/retry-after';
import { freePort } from '../../stack/ports';
import { temporalConnectionOptions } from '../../runtime/temporal-connection';
import { uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, startApiStack, type ApiStack } from './helpers';

let stack: ApiStack;
let downDb: Db;
let downConnection: Connection;
let downClient: Client;

beforeAll(async () => {
  stack = await startApiStack();
  downDb = createDb(`postgresql://cascade:cascade@127.0.0.1:${await freePort()}/cascade`);
  // The client's own retries of an unreachable server, cut to three attempts so that none is
  // still pending when the file ends; what the API answers does not depend on their number.
  downConnection = Connection.lazy({
    ...temporalConnectionOptions(`127.0.0.1:${await freePort()}`),
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3 }))],
  });
  downClient = new Client({ connection: downConnection, namespace: 'default' });
});

afterAll(async () => {
  await downConnection.close();
  await downDb.$disconnect();
  await stack.close();
});

/** A directive with one DELIVERED assignment (STTTT-VP) in the read model only. */
async function readModelAssignment(id: string): Promise<void> {
  await stack.db.directive.create({
    data: { id, number: id, kind: 'Công văn', title: 'outage', issuerCode: 'TTCS', issuedAt: new Date(), rootId: id, status: 'ACTIVE' },
  });
  await stack.db.assignment.create({
    data: {
      id: `${id}/STTTT-VP`, directiveId: id, unitCode: 'STTTT-VP', level: 'province', depth: 1, parentUnitCode: 'TTCS',
      receivedDirectiveId: id, stage: 'DELIVERED', mustConcretize: false, isLeaf: false, deliveredAt: new Date(),
    },
  });
}

test('when PostgreSQL is away then an acknowledgement answers 503 DATABASE_UNAVAILABLE with the database Retry-After', async () => {
  const res = await request(stack.appWith({ db: downDb }))
    .post(`/api/v1/directives/any-${uniqueSuffix()}/units/STTTT-VP/acknowledge`)
    .set(bearer(ADMIN))
    .send({})
    .expect(503);
  expect(res.body.error.code).toBe('DATABASE_UNAVAILABLE');
  expect(res.body.error.message).toMatch(/recovering/);
  expect(res.headers['retry-after']).toBe(String(RETRY_AFTER_S.database));
});

test.each([
  ['the client gives up retrying', 20_000],
  ['the update deadline passes first', 1],
])('when Temporal is away and %s then an acknowledgement answers 503 ENGINE_UNAVAILABLE with the Temporal reconnect Retry-After, not the workflow one', async (_, updateTimeoutMs) => {
  const id = `temporal-away-${uniqueSuffix()}`;
  await readModelAssignment(id);
  const app = stack.appWith({ client: downClient, config: { ...stack.config, UPDATE_TIMEOUT_MS: updateTimeoutMs } });
  const res = await request(app).post(`/api/v1/directives/${id}/units/STTTT-VP/acknowledge`).set(bearer(ADMIN)).send({}).expect(503);
  expect(res.body.error.code).toBe('ENGINE_UNAVAILABLE');
  expect(res.body.error.message).toMatch(/not reachable/);
  expect(res.headers['retry-after']).toBe(String(RETRY_AFTER_S.temporal));
  expect(RETRY_AFTER_S.temporal).not.toBe(RETRY_AFTER_S.workflow);
});

test('when a part is away then /health answers 503 naming it, with that part\'s Retry-After', async () => {
  const noDb = await request(stack.appWith({ db: downDb })).get('/health').expect(503);
  expect(noDb.body.checks.database).not.toBe('ok');
  expect(noDb.headers['retry-after']).toBe(String(RETRY_AFTER_S.database));
  const noTemporal = await request(stack.appWith({ client: downClient })).get('/health').expect(503);
  expect(noTemporal.body.checks).toMatchObject({ database: 'ok' });
  expect(noTemporal.headers['retry-after']).toBe(String(RETRY_AFTER_S.temporal));
});
