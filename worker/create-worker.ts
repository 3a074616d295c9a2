/**
 * Builds the cascade worker: the workflow bundle plus the activities over one database
 * client. The caller owns the connection and the database and closes them.
 */
import path from 'node:path';
import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Db } from '../read-model/db';
import { createActivities } from '../activities';

export const workflowsPath = path.resolve(__dirname, '..', 'workflows', 'index.ts');

/**
 * Worker tuning shared with the benchmark's floor worker, so comparisons stay fair.
 * A national cascade keeps 11,368 workflows open; a cache smaller than that makes the
 * worker replay whole histories whenever an evicted parent is woken by a child start
 * (measured: delivery fell to 3-6 units/s past 2,000 open workflows with a 2,000 cache).
 */
export const workerTuning = {
  maxCachedWorkflows: 12_000,
  maxConcurrentWorkflowTaskExecutions: 100,
  maxConcurrentActivityTaskExecutions: 100,
  maxConcurrentLocalActivityExecutions: 100,
} as const;

export async function createCascadeWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
  workflowBundle?: WorkflowBundleOption;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    activities: createActivities({ db: opts.db }),
    ...workerTuning,
    bundlerOptions: { ignoreModules: ['node:fs', 'node:path'] },
  });
}
