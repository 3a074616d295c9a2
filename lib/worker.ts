/**
 * Builds the cascade worker: the workflow bundle plus the activities over one database
 * client. The caller owns the connection and the database and closes them.
 */
import path from 'node:path';
import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Db } from './db';
import { createActivities } from '../activities';

export const workflowsPath = path.resolve(__dirname, '..', 'workflows', 'index.ts');

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
    // National cascades keep thousands of workflows open; let the cache hold them.
    maxCachedWorkflows: 2000,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxConcurrentActivityTaskExecutions: 100,
    maxConcurrentLocalActivityExecutions: 100,
    bundlerOptions: { ignoreModules: ['node:fs', 'node:path'] },
  });
}
