/**
 * The time-skipping environment (Java test server from Maven Central) works on this machine:
 * long timers are skipped, Updates with validators run, and condition timeouts race signals;
 * and a test that timed out with its worker running does not keep Jest alive.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv, TIME_SKIPPING_SETUP_TIMEOUT_MS } from './harness/time-skipping';
import { runQueueWorkers, teardownTestEnv } from './harness/workflow-kit';
import { sleep } from '../stack/wait';
import { addUpdate, approveSignal, awaitApproval, closeSignal, counter, sleepThreeDays } from './fixtures/smoke-workflows';

const DAY_MS = 24 * 60 * 60 * 1000;
const taskQueue = 'time-skipping-smoke';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let seq = 0;
const workflowId = (name: string) => `smoke-${name}-${Date.now()}-${++seq}`;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/smoke-workflows'),
  });
  running = worker.run();
}, TIME_SKIPPING_SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (worker) {
    worker.shutdown();
    await running;
  }
  await env?.teardown();
});

describe('time-skipping test environment', () => {
  test('when a workflow sleeps 3 days then it completes in seconds of real time with 3 days of server time passed', async () => {
    const realStart = Date.now();
    const serverStart = await env.currentTimeMs();
    const result = await env.client.workflow.execute(sleepThreeDays, { taskQueue, workflowId: workflowId('sleep') });
    expect(result).toBe('woke after 3 days');
    expect((await env.currentTimeMs()) - serverStart).toBeGreaterThanOrEqual(3 * DAY_MS);
    expect(Date.now() - realStart).toBeLessThan(15_000);
  });

  test('when an Update is executed then its handler result comes back and the workflow sees it', async () => {
    const handle = await env.client.workflow.start(counter, { taskQueue, workflowId: workflowId('update') });
    expect(await handle.executeUpdate(addUpdate, { args: [2] })).toBe(2);
    expect(await handle.executeUpdate(addUpdate, { args: [5] })).toBe(7);
    await handle.signal(closeSignal);
    expect(await handle.result()).toBe(7);
  });

  test('when an Update fails its validator then it is rejected and the state is unchanged', async () => {
    const handle = await env.client.workflow.start(counter, { taskQueue, workflowId: workflowId('reject') });
    expect(await handle.executeUpdate(addUpdate, { args: [3] })).toBe(3);
    const rejected = handle.executeUpdate(addUpdate, { args: [-1] });
    await expect(rejected).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(rejected).rejects.toMatchObject({ cause: { message: 'amount must be positive, got -1' } });
    expect(await handle.executeUpdate(addUpdate, { args: [1] })).toBe(4);
    await handle.signal(closeSignal);
    expect(await handle.result()).toBe(4);
  });

  test('when no signal arrives within 2 days then condition times out', async () => {
    const realStart = Date.now();
    const serverStart = await env.currentTimeMs();
    const result = await env.client.workflow.execute(awaitApproval, { taskQueue, workflowId: workflowId('timeout') });
    expect(result.outcome).toBe('timed out');
    expect(result.waitedMs).toBeGreaterThanOrEqual(2 * DAY_MS);
    expect((await env.currentTimeMs()) - serverStart).toBeGreaterThanOrEqual(2 * DAY_MS);
    expect(Date.now() - realStart).toBeLessThan(15_000);
  });

  test('when the signal arrives after 1 day then condition resolves with approval before its 2-day timeout', async () => {
    const handle = await env.client.workflow.start(awaitApproval, { taskQueue, workflowId: workflowId('approve') });
    const serverStart = await env.currentTimeMs();
    await env.sleep('1 day');
    expect((await env.currentTimeMs()) - serverStart).toBeGreaterThanOrEqual(DAY_MS);
    await handle.signal(approveSignal);
    const result = await handle.result();
    expect(result.outcome).toBe('approved');
    expect(result.waitedMs).toBeGreaterThanOrEqual(DAY_MS);
    expect(result.waitedMs).toBeLessThan(2 * DAY_MS);
  });

  test('when a test times out with its worker still running then teardown stops that worker before closing the environment', async () => {
    const own = await createTimeSkippingEnv();
    const queue = 'left-running';
    let settled = false;
    // A test body that never finishes, as one that hit Jest's timeout.
    const leftRunning = runQueueWorkers(
      { connection: own.nativeConnection, workflowsPath: require.resolve('./fixtures/smoke-workflows') },
      queue,
      () => new Promise<never>(() => undefined),
    )
      .catch(() => undefined)
      .finally(() => {
        settled = true;
      });
    // The worker runs: it answers an Update.
    const handle = await own.client.workflow.start(counter, { taskQueue: queue, workflowId: workflowId('left') });
    expect(await handle.executeUpdate(addUpdate, { args: [1] })).toBe(1);
    expect(settled).toBe(false);

    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await teardownTestEnv(own);
      // Stopped by teardown, not left polling a server that is gone.
      expect(settled).toBe(true);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      await Promise.race([leftRunning, sleep(15_000)]);
    }
  }, 60_000);
});
