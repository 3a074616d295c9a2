/**
 * WORKFLOW_STACK_TRACES on the real stack, with the worker as its own process configured by
 * its environment (worker/index.ts, as deployed): with traces off the stack trace query (the
 * Temporal UI's Stack Trace tab) answers that they are not enabled; with them on it answers
 * with a stack through the engine's own workflow code.
 */
import { issueDirective } from '../api/use-cases/issue-directive';
import type { Principal } from '../api/auth';
import { createStore } from '../read-model/store';
import { configSchema } from '../runtime/config';
import { issueDirectiveSchema } from '../api/schemas';
import { workflowIds } from '../contract/ids';
import { demoTree } from '../domain/units/demo-tree';
import { upsertUnits } from '../read-model/units';
import { spawnApp, waitForWorkers } from '../stack/app-processes';
import { stackState, testDb, testTemporal, uniqueSuffix } from './harness/stack';
import { waitFor } from '../stack/wait';
import type { StackTraces } from '../worker/stack-traces';

jest.setTimeout(180_000);

/** The admin, who issues without quotas. */
const ADMIN: Principal = { kind: 'admin', id: 'admin' };

/** Issues a directive to a worker process started with `setting`, then asks a province's workflow for its stack. */
async function stackTraceQuery(setting: StackTraces): Promise<string> {
  const db = testDb();
  const { connection, client } = await testTemporal();
  await upsertUnits(db, demoTree());
  const taskQueue = `traces-${setting}-${uniqueSuffix()}`;
  const worker = spawnApp({
    role: 'worker',
    name: `worker-traces-${setting}`,
    env: {
      DATABASE_URL: stackState().databaseUrl,
      TEMPORAL_ADDRESS: stackState().temporalAddress,
      TEMPORAL_NAMESPACE: stackState().namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKFLOW_STACK_TRACES: setting,
    },
  });
  try {
    await waitForWorkers(connection, stackState().namespace, taskQueue, [worker], 120_000);
    const input = issueDirectiveSchema.parse({
      number: `TRACES-${uniqueSuffix()}`,
      kind: 'Chỉ thị',
      title: 'Stack traces',
      issuerCode: 'TTCS',
      issuedAt: new Date().toISOString(),
      policy: { ackWithin: 'PT1H' },
    });
    const { id } = await issueDirective(
      { store: createStore(db), client, taskQueue, maxFanout: 50, startWave: configSchema.shape.CASCADE_START_WAVE.parse(undefined) },
      ADMIN,
      input,
    );
    await waitFor(() => db.assignment.count({ where: { directiveId: id, unitCode: 'STTTT-VP' } }), (n) => n === 1, 'the province delivered');
    return await client.workflow.getHandle(workflowIds.assignment(id, 'STTTT-VP')).query<string>('__stack_trace');
  } finally {
    await worker.stop(15_000);
    await connection.close();
    await db.$disconnect();
  }
}

test('when a worker process runs with stack traces off then the stack trace query says they are not enabled', async () => {
  await expect(stackTraceQuery('off')).rejects.toThrow(/stack traces are not enabled/i);
});

test('when a worker process runs with stack traces on then the stack trace query shows the engine waiting in its own code', async () => {
  expect(await stackTraceQuery('on')).toMatch(/workflows\/assignment(-workflow)?\.ts/);
});
