/**
 * What the HTTP tests share: the app wired to the real test stack (PostgreSQL and the
 * Temporal dev server of this run), with an optional cascade worker on its own task queue.
 */
import type { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type express from 'express';
import request from 'supertest';
import { createApp, type AppDeps } from '../../api/app';
import { loadConfig, type Config } from '../../runtime/config';
import type { Db } from '../../read-model/db';
import { setLogLevel } from '../../runtime/log';
import { type CascadeWorker, createCascadeWorker } from '../../worker/create-worker';
import { demoTree } from '../../domain/units/demo-tree';
import { stackState, testDb, testTemporal, uniqueSuffix } from '../harness/stack';

export const ADMIN = 'x'.repeat(32);

export interface ApiStack {
  db: Db;
  client: Client;
  config: Config;
  app: express.Express;
  /** Builds another app over the same stack with some dependencies replaced, counting its rate limits afresh. */
  appWith(overrides: Partial<AppDeps>): express.Express;
  close(): Promise<void>;
}

export async function startApiStack(opts: { worker?: boolean; env?: Record<string, string> } = {}): Promise<ApiStack> {
  setLogLevel(process.env.API_TEST_LOG === '1' ? 'info' : 'warn');
  const taskQueue = `api-${uniqueSuffix()}`;
  // Rate-limit counters are in the shared test database: each stack counts on its own.
  const config = loadConfig({ CASCADE_ADMIN_TOKEN: ADMIN, TEMPORAL_TASK_QUEUE: taskQueue, RATE_LIMIT_NAMESPACE: taskQueue, ...opts.env });
  const db = testDb();
  const { connection, client } = await testTemporal();
  let native: NativeConnection | undefined;
  let worker: CascadeWorker | undefined;
  let running: Promise<void> | undefined;
  if (opts.worker) {
    native = await NativeConnection.connect({ address: stackState().temporalAddress });
    worker = await createCascadeWorker({ connection: native, namespace: 'default', taskQueue, db });
    running = worker.run();
  }
  const deps: AppDeps = { db, client, config };
  return {
    db,
    client,
    config,
    app: createApp(deps),
    appWith: (overrides) =>
      createApp({ ...deps, ...overrides, config: { ...(overrides.config ?? config), RATE_LIMIT_NAMESPACE: `${taskQueue}-${uniqueSuffix()}` } }),
    async close() {
      if (worker) {
        worker.shutdown();
        await running;
      }
      await native?.close();
      await (connection as Connection).close();
      await db.$disconnect();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Loads the demo tree through the API (idempotent: other files may have loaded it). */
export async function putDemoTree(app: express.Express): Promise<void> {
  await request(app).put('/api/v1/units').set(bearer(ADMIN)).send({ units: demoTree() }).expect(200);
}

/** Issues a unit token through the API. */
export async function tokenFor(app: express.Express, unitCode: string): Promise<{ token: string; id: string }> {
  const res = await request(app).post(`/api/v1/units/${unitCode}/tokens`).set(bearer(ADMIN)).send({}).expect(201);
  return res.body as { token: string; id: string };
}

export { sleep, waitFor } from '../../stack/wait';
