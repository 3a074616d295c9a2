/**
 * The assignment's Lock is a mutex inside workflow code: when the holder leaves, exactly
 * one waiter enters (an acknowledgement at the deadline and the deadline's own rung must
 * never both run and persist out of order).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv, TIME_SKIPPING_SETUP_TIMEOUT_MS } from './harness/time-skipping';
import { lockProbe, lockStepsProbe } from './fixtures/lock-probe-workflow';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
}, TIME_SKIPPING_SETUP_TIMEOUT_MS);

afterAll(() => env?.teardown());

/** Runs one probe workflow of tests/fixtures/lock-probe-workflow.ts on its own queue. */
async function probe(workflow: typeof lockProbe, taskQueue: string): Promise<{ maxInside: number; order: string[] }> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/lock-probe-workflow'),
  });
  return worker.runUntil(env.client.workflow.execute(workflow, { taskQueue, workflowId: `${taskQueue}-${Date.now()}` }));
}

test('when four handlers queue on the lock then they enter one at a time, in arrival order', async () => {
  expect(await probe(lockProbe, 'lock-probe')).toEqual({ maxInside: 1, order: ['first', 'second', 'third', 'fourth'] });
});

test('when a change in steps lets others in then those queued meanwhile run between its steps, one at a time', async () => {
  // Both queued during step 1 enter before step 2; nothing queued during step 2: step 3 follows.
  expect(await probe(lockStepsProbe, 'lock-steps-probe')).toEqual({
    maxInside: 1,
    order: ['step 1', 'second', 'third', 'step 2', 'step 3'],
  });
});
