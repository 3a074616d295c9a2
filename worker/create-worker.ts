/**
 * Builds the cascade worker: the workflow bundle plus the activities over one database
 * client. The caller owns the connection and the database and closes them.
 */
import path from 'node:path';
import { type NativeConnection, Worker, type WorkerOptions, type WorkflowBundleOption, bundleWorkflowCode } from '@temporalio/worker';
import type { Db } from '../read-model/db';
import { createActivities } from '../activities';
import { createStore } from '../read-model/store';
import { loadConfig } from '../runtime/config';
import { taskQueuesOf } from '../contract/task-queues';
import { applyStackTraces, stackTracesFromEnv } from './stack-traces';
import type { Tracing } from '../runtime/tracing';
import { exporting, workflowTracingInterceptorsModule, tracingWorkerOptions } from '../runtime/temporal-tracing';

export const workflowsPath = path.resolve(__dirname, '..', 'workflows', 'index.ts');

/**
 * WORKER_MAX_CACHED_WORKFLOWS from the configuration (`env`, default the process's), else its
 * default (runtime/config.ts: sized for memory).
 */
export function maxCachedWorkflowsFromEnv(env?: NodeJS.ProcessEnv): number {
  return loadConfig(env).WORKER_MAX_CACHED_WORKFLOWS;
}

/** WORKER_MAX_CACHED_PARENTS from the configuration, else its default. */
export function maxCachedParentsFromEnv(env?: NodeJS.ProcessEnv): number {
  return loadConfig(env).WORKER_MAX_CACHED_PARENTS;
}

/**
 * Worker tuning shared with the benchmark's floor workers, so comparisons stay fair.
 * A cascade keeps one workflow open per unit; a cache smaller than the open workflows makes
 * the worker replay a history whenever an evicted parent is woken (by a child start, a
 * child's close or an acknowledgement): CPU traded for memory, measured in docs/performance.md.
 */
export function workerTuning(
  maxCachedWorkflows: number = maxCachedWorkflowsFromEnv(),
  stickyTimeoutS: number = loadConfig().WORKER_STICKY_TIMEOUT_S,
) {
  return {
    maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxConcurrentActivityTaskExecutions: 100,
    maxConcurrentLocalActivityExecutions: 100,
    stickyQueueScheduleToStartTimeout: `${stickyTimeoutS} seconds`,
  } as const;
}

/**
 * The cascade's two workers in one process, over one connection and one set of activities:
 * the units' (leaves' assignments and the directives' roots) and the parents' (units with
 * units below, relays), each polling its own task queue with its own workflow cache
 * (contract/task-queues.ts). One bundle serves both.
 */
export class CascadeWorker {
  constructor(
    readonly units: Worker,
    readonly parents: Worker,
  ) {}

  /** Runs both until shut down (or a signal); if one fails, the other is shut down too. */
  async run(): Promise<void> {
    const results = await Promise.allSettled(
      [this.units, this.parents].map((w) =>
        w.run().catch((err: unknown) => {
          this.shutdown();
          throw err;
        }),
      ),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Starts draining both (those still running). */
  shutdown(): void {
    for (const w of [this.units, this.parents]) if (w.getState() === 'RUNNING') w.shutdown();
  }

  /** The units' worker's state (both start and stop together). */
  getState(): ReturnType<Worker['getState']> {
    return this.units.getState();
  }
}

export async function createCascadeWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  /** The units' queue; the parents' is derived from it (taskQueuesOf). */
  taskQueue: string;
  db: Db;
  workflowBundle?: WorkflowBundleOption;
  /** Default: WORKER_MAX_CACHED_WORKFLOWS (runtime/config.ts). */
  maxCachedWorkflows?: number;
  /** Default: WORKER_MAX_CACHED_PARENTS (runtime/config.ts). */
  maxCachedParents?: number;
  /** Further worker options for both workers (benchmark experiments). */
  overrides?: Partial<WorkerOptions>;
  /**
   * Traces (runtime/tracing.ts): when it exports spans, the workflows are bundled with
   * Temporal's OpenTelemetry interceptors and the activities run inside theirs (worker/tracing.ts).
   * A `workflowBundle` given with it must have been built by {@link bundleCascadeWorkflows} with it.
   */
  tracing?: Tracing;
}): Promise<CascadeWorker> {
  // Before the SDK's workflow threads exist: each copies the process's environment at its start.
  applyStackTraces(stackTracesFromEnv());
  const traced = exporting(opts.tracing);
  const workflowBundle = opts.workflowBundle ?? (await bundleCascadeWorkflows({ tracing: opts.tracing }));
  const activities = createActivities({ store: createStore(opts.db) });
  const queues = taskQueuesOf(opts.taskQueue);
  const create = (taskQueue: string, maxCachedWorkflows: number) =>
    Worker.create({
      connection: opts.connection,
      namespace: opts.namespace,
      taskQueue,
      workflowBundle,
      activities,
      ...workerTuning(maxCachedWorkflows),
      ...(traced ? tracingWorkerOptions(traced) : {}),
      ...opts.overrides,
    });
  return new CascadeWorker(
    await create(queues.units, opts.maxCachedWorkflows ?? maxCachedWorkflowsFromEnv()),
    await create(queues.parents, opts.maxCachedParents ?? maxCachedParentsFromEnv()),
  );
}

/** The cascade's workflow code, with the tracing interceptors when `tracing` exports spans. */
export async function bundleCascadeWorkflows(opts: { tracing?: Tracing } = {}): Promise<WorkflowBundleOption> {
  return bundleWorkflowCode({
    workflowsPath,
    ignoreModules: ['node:fs', 'node:path'],
    logger: quietBundler,
    ...(exporting(opts.tracing) ? { workflowInterceptorModules: [workflowTracingInterceptorsModule] } : {}),
  });
}

/** The bundler's statistics are noise in a worker's log; its warnings and errors are not. */
const noop = () => undefined;
const quietBundler = { log: noop, trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error };
