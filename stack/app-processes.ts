/**
 * The application's own processes as the production topology runs them: workers
 * (worker/index.ts) and the API (api/index.ts), each a separate Node process configured
 * only by environment variables, as docker-compose.yml's `worker` and `api` services are.
 * Used by `npm run start:cluster` and the cluster tests.
 */
import os from 'node:os';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { childEnv } from '../runtime/config';
import { exitReason, spawnNode, type NodeProcess, type SpawnNodeInput } from './node-process';
import { waitForPort } from './ports';
import { waitFor } from './wait';

export type AppRole = 'worker' | 'api';

const ENTRY: Record<AppRole, string> = { worker: 'worker/index.ts', api: 'api/index.ts' };

export interface AppProcess extends NodeProcess {
  role: AppRole;
  /** The worker identity Temporal reports for it (`<pid>@<hostname>`, the SDK's default). */
  identity: string;
}

export interface SpawnAppInput extends Omit<SpawnNodeInput, 'entry' | 'env'> {
  role: AppRole;
  env: Record<string, string | undefined>;
  /** Another script in the role (a benchmark's or a fault case's worker); default `npm run worker`'s / `npm run api`'s. */
  entry?: string;
  /**
   * V8's old-space cap in MiB. The production worker gets WORKER_MAX_HEAP_MB (default 768)
   * as `npm run worker` gives it (runtime/config.ts); any other script Node's own unless set.
   */
  heapMb?: number;
}

/** Starts a worker or the API as its own Node process (tsx, as `npm run worker` / `npm run api`). */
export function spawnApp(input: SpawnAppInput): AppProcess {
  const { role, entry, heapMb, ...rest } = input;
  const productionWorker = role === 'worker' && entry === undefined;
  const cap =
    heapMb ??
    (productionWorker ? Number(childEnv(input.env).WORKER_MAX_HEAP_MB ?? 768) : undefined);
  const proc = spawnNode({
    ...rest,
    entry: entry ?? ENTRY[role],
    nodeArgs: [
      ...(cap === undefined ? [] : [`--max-old-space-size=${cap}`]),
      ...(input.nodeArgs ?? []),
    ],
  });
  return { ...proc, role, identity: `${proc.child.pid}@${os.hostname()}` };
}

/** Fails fast when the process exits before `ready` resolves. */
async function unlessExited<T>(app: AppProcess, ready: Promise<T>): Promise<T> {
  return Promise.race([
    ready,
    app.exited.then(() => {
      throw new Error(`${app.name} exited (${exitReason(app.child)}) before it was ready`);
    }),
  ]);
}

/** Waits until the API answers 200 on /health (API, Temporal and the database up). */
export async function waitForApi(
  app: AppProcess,
  port: number,
  timeoutMs = 120_000,
): Promise<void> {
  await unlessExited(app, waitForPort(port, timeoutMs));
  const healthy = () =>
    fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
  await unlessExited(
    app,
    waitFor(healthy, (ok) => ok, `${app.name}: /health to answer 200`, timeoutMs, 500),
  );
}

/** Identities of the workers polling the task queue for workflow tasks and for activity tasks. */
export async function pollers(
  connection: Connection,
  namespace: string,
  taskQueue: string,
): Promise<{ workflow: string[]; activity: string[] }> {
  const TaskQueueType = temporal.api.enums.v1.TaskQueueType;
  const of = async (taskQueueType: temporal.api.enums.v1.TaskQueueType) => {
    const res = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType,
    });
    return (res.pollers ?? []).map((p) => p.identity ?? '');
  };
  return {
    workflow: await of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
    activity: await of(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
  };
}

/** Waits until every worker polls the task queue for both workflow and activity tasks. */
export async function waitForWorkers(
  connection: Connection,
  namespace: string,
  taskQueue: string,
  workers: AppProcess[],
  timeoutMs = 180_000,
): Promise<void> {
  // Matching may still be joining the ring right after a server start: a failed ask is "not yet".
  const missing = async () => {
    const seen = await pollers(connection, namespace, taskQueue);
    return workers
      .filter((w) => !seen.workflow.includes(w.identity) || !seen.activity.includes(w.identity))
      .map((w) => w.name);
  };
  const ready = waitFor(
    missing,
    (names) => names.length === 0,
    `the workers to poll ${taskQueue} (last: those not polling)`,
    timeoutMs,
    500,
  );
  await Promise.race([
    ready,
    ...workers.map((w) => unlessExited(w, new Promise<never>(() => undefined))),
  ]);
}
