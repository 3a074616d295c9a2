/**
 * Builds the cascade worker: the workflow bundle plus the activities over one database
 * client. The caller owns the connection and the database and closes them.
 */
import path from 'node:path';
import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Db } from '../read-model/db';
import { createActivities } from '../activities';
import { configSchema } from '../runtime/config';

export const workflowsPath = path.resolve(__dirname, '..', 'workflows', 'index.ts');

/**
 * WORKER_MAX_CACHED_WORKFLOWS from `env`, validated by the config schema, else its default
 * (runtime/config.ts: sized for memory, see BENCHMARKS.md).
 */
export function maxCachedWorkflowsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WORKER_MAX_CACHED_WORKFLOWS;
  return configSchema.shape.WORKER_MAX_CACHED_WORKFLOWS.parse(raw === '' ? undefined : raw);
}

/**
 * Worker tuning shared with the benchmark's floor workers, so comparisons stay fair.
 * A cascade keeps one workflow open per unit; a cache smaller than the open workflows makes
 * the worker replay a history whenever an evicted parent is woken (by a child start, a
 * child's close or an acknowledgement): CPU traded for memory, measured in BENCHMARKS.md.
 */
export function workerTuning(maxCachedWorkflows: number = maxCachedWorkflowsFromEnv()) {
  return {
    maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxConcurrentActivityTaskExecutions: 100,
    maxConcurrentLocalActivityExecutions: 100,
  } as const;
}

export async function createCascadeWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
  workflowBundle?: WorkflowBundleOption;
  /** Default: WORKER_MAX_CACHED_WORKFLOWS (runtime/config.ts). */
  maxCachedWorkflows?: number;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    activities: createActivities({ db: opts.db }),
    ...workerTuning(opts.maxCachedWorkflows),
    bundlerOptions: { ignoreModules: ['node:fs', 'node:path'] },
  });
}
