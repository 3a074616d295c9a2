/**
 * A small kit for workflow tests on the time-skipping server with mocked activities: one
 * environment and bundle per file, a worker per test (activities replaceable), starting a
 * cascade's root, handles on assignments, and polling.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { acknowledgeUpdate, type CascadePolicy } from '../../contract/definitions';
import type { CascadeActivities } from '../../contract/activities';
import { workflowIds } from '../../contract/ids';
import type { assignmentWorkflow } from '../../workflows/assignment-workflow';
import { directiveWorkflow } from '../../workflows/directive-workflow';
import { sleep } from '../../stack/wait';
import { createCascadeTestEnv } from './cascade-test-env';
import type { MockActivities } from './mock-activities';

export interface WorkflowKit {
  env: TestWorkflowEnvironment;
  /** Runs `fn` with a worker on `taskQueue` whose activities are the mocks, some replaced by `over`. */
  withWorker<T>(taskQueue: string, fn: () => Promise<T>, over?: Partial<CascadeActivities>): Promise<T>;
  /** Starts a cascade's root; `startWave` is the issuer's CASCADE_START_WAVE (absent: 1). */
  startDirective(
    taskQueue: string,
    directiveId: string,
    recipients: string[],
    policy: CascadePolicy,
    startWave?: number,
  ): ReturnType<typeof startRoot>;
  assignment(directiveId: string, unit: string): ReturnType<TestWorkflowEnvironment['client']['workflow']['getHandle']>;
  /** The unit acknowledges (as itself). */
  ack(directiveId: string, unit: string): ReturnType<typeof acknowledge>;
  teardown(): Promise<void>;
}

let env: TestWorkflowEnvironment;
const startRoot = (taskQueue: string, directiveId: string, recipients: string[], policy: CascadePolicy, startWave?: number) =>
  env.client.workflow.start(directiveWorkflow, {
    taskQueue,
    workflowId: workflowIds.directive(directiveId),
    args: [
      {
        directiveId,
        number: `${directiveId}/N`,
        issuerCode: 'ISS',
        recipients,
        policy,
        cycles: [],
        version: 1,
        maxFanout: 50,
        ...(startWave ? { startWave } : {}),
      },
    ],
  });
const handle = (directiveId: string, unit: string) =>
  env.client.workflow.getHandle<typeof assignmentWorkflow>(workflowIds.assignment(directiveId, unit));
const acknowledge = (directiveId: string, unit: string) =>
  handle(directiveId, unit).executeUpdate(acknowledgeUpdate, { args: [{ actorUnitCode: unit }] });

export async function createWorkflowKit(mock: MockActivities): Promise<WorkflowKit> {
  let workflowBundle: WorkflowBundleWithSourceMap;
  ({ env, workflowBundle } = await createCascadeTestEnv());
  return {
    env,
    withWorker: (taskQueue, fn, over = {}) =>
      runQueueWorkers({ connection: env.nativeConnection, workflowBundle, activities: { ...mock.activities, ...over } }, taskQueue, fn),
    startDirective(taskQueue, directiveId, recipients, policy, startWave) {
      mock.issued(directiveId, policy);
      return startRoot(taskQueue, directiveId, recipients, policy, startWave);
    },
    assignment: handle,
    ack: acknowledge,
    teardown: () => teardownTestEnv(env),
  };
}

/** Workers runQueueWorkers started that have not stopped yet, each with its run. */
const running = new Map<Worker, Promise<unknown>>();

/** How long teardown waits for the workers to stop after asking them to shut down. */
const WORKER_STOP_WAIT_MS = 10_000;

/**
 * Stops every worker still running, then the environment. A test that timed out leaves its
 * `fn` pending and its worker polling; closing the environment under it fails ("Workers hold
 * a reference") and the worker then polls a dead server for ever, so Jest never exits.
 */
export async function teardownTestEnv(testEnv: TestWorkflowEnvironment): Promise<void> {
  for (const worker of running.keys()) if (worker.getState() === 'RUNNING') worker.shutdown();
  await Promise.race([Promise.allSettled(running.values()), sleep(WORKER_STOP_WAIT_MS)]);
  await testEnv.teardown();
}

/**
 * Runs `fn` with one worker on `taskQueue`. The mocked units all say they are leaves
 * (mock-activities.ts), so every workflow of a test runs on this one queue.
 */
export async function runQueueWorkers<T>(
  options: Omit<WorkerOptions, 'taskQueue'>,
  taskQueue: string,
  fn: () => Promise<T>,
): Promise<T> {
  const worker = await Worker.create({ ...options, taskQueue });
  const run = worker.runUntil(fn).finally(() => running.delete(worker));
  running.set(worker, run);
  return run;
}

/** The shared poll (stack/wait.ts), offered here with the kit for the workflow tests. */
export { waitFor } from '../../stack/wait';
