/**
 * A cascade worker on the shared real stack (dev server + PostgreSQL) with its own task
 * queue, and the demo tree loaded: what the end-to-end engine tests start in beforeAll.
 */
import type { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Db } from '../../read-model/db';
import { createCascadeWorker } from '../../worker/create-worker';
import { demoTree } from '../../domain/units/demo-tree';
import { upsertUnits } from '../../read-model/units';
import { stackState, testDb, testTemporal, uniqueSuffix } from './stack';

export interface RealCascade {
  db: Db;
  client: Client;
  taskQueue: string;
  close(): Promise<void>;
}

export async function startRealCascade(prefix: string): Promise<RealCascade> {
  const db = testDb();
  const { connection, client }: { connection: Connection; client: Client } = await testTemporal();
  const native = await NativeConnection.connect({ address: stackState().temporalAddress });
  await upsertUnits(db, demoTree());
  const taskQueue = `${prefix}-${uniqueSuffix()}`;
  const worker = await createCascadeWorker({ connection: native, namespace: 'default', taskQueue, db });
  const running = worker.run();
  return {
    db,
    client,
    taskQueue,
    async close() {
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
      await db.$disconnect();
    },
  };
}
