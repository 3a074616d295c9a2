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

test('when four handlers queue on the lock then they enter one at a time, in arrival order', async () => {
  const taskQueue = 'lock-probe';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/lock-probe-workflow'),
  });
  const result = await worker.runUntil(
    env.client.workflow.execute(lockProbe, { taskQueue, workflowId: `lock-probe-${Date.now()}` }),
  );
  expect(result).toEqual({ maxInside: 1, order: ['first', 'second', 'third', 'fourth'] });
});

test('when a change in steps lets others in then those queued meanwhile run between its steps, one at a time', async () => {
  const taskQueue = 'lock-steps-probe';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/lock-probe-workflow'),
  });
  const result = await worker.runUntil(
    env.client.workflow.execute(lockStepsProbe, { taskQueue, workflowId: `lock-steps-probe-${Date.now()}` }),
  );
  // Both queued during step 1 enter before step 2; nothing queued during step 2: step 3 follows.
  expect(result).toEqual({ maxInside: 1, order: ['step 1', 'second', 'third', 'step 2', 'step 3'] });
});
