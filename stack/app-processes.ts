/**
 * The application's own processes as the production topology runs them: workers
 * (worker/index.ts) and the API (api/index.ts), each a separate Node process configured
 * only by environment variables, as docker-compose.yml's `worker` and `api` services are.
 * Used by `npm run start:cluster` and the cluster tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { childEnv } from '../runtime/config';
import { waitForPort } from './ports';

const root = path.resolve(__dirname, '..');

export type AppRole = 'worker' | 'api';

const ENTRY: Record<AppRole, string> = { worker: 'worker/index.ts', api: 'api/index.ts' };

export interface AppProcess {
  name: string;
  role: AppRole;
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The worker identity Temporal reports for it (`<pid>@<hostname>`, the SDK's default). */
  identity: string;
  /** SIGTERM, then SIGKILL after `graceMs` (workers drain in-flight tasks on SIGTERM). */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnAppInput {
  role: AppRole;
  name: string;
  env: Record<string, string | undefined>;
  /** Append output to this file; otherwise each line goes to stderr prefixed with `[name]`. */
  logFile?: string;
}

/** Starts a worker or the API as its own Node process (tsx, as `npm run worker` / `npm run api`). */
export function spawnApp(input: SpawnAppInput): AppProcess {
  const env = childEnv(input.env);
  const fd = input.logFile ? fs.openSync(input.logFile, 'a') : undefined;
  // A worker's heap is capped as in production (WORKER_MAX_HEAP_MB, runtime/config.ts).
  const heap = input.role === 'worker' ? [`--max-old-space-size=${env.WORKER_MAX_HEAP_MB ?? 768}`] : [];
  const child = spawn(process.execPath, [...heap, '--import', 'tsx', ENTRY[input.role]], {
    cwd: root,
    env,
    stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'],
  });
  if (fd !== undefined) fs.closeSync(fd);
  else {
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) process.stderr.write(`[${input.name}] ${line}\n`);
      });
    }
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    name: input.name,
    role: input.role,
    child,
    exited,
    identity: `${child.pid}@${os.hostname()}`,
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Fails fast when the process exits before `ready` resolves. */
async function unlessExited<T>(app: AppProcess, ready: Promise<T>): Promise<T> {
  return Promise.race([
    ready,
    app.exited.then((code) => {
      throw new Error(`${app.name} exited (code ${code}) before it was ready`);
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
  const deadline = Date.now() + timeoutMs;
  await unlessExited(
    app,
    (async () => {
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        if (Date.now() > deadline)
          throw new Error(`${app.name}: /health did not answer 200 within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 500));
      }
    })(),
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
  const deadline = Date.now() + timeoutMs;
  const ready = (async () => {
    for (;;) {
      // Matching may still be joining the ring right after a server start: ask again.
      const seen = await pollers(connection, namespace, taskQueue).catch(() => ({
        workflow: [] as string[],
        activity: [] as string[],
      }));
      const missing = workers.filter(
        (w) => !seen.workflow.includes(w.identity) || !seen.activity.includes(w.identity),
      );
      if (missing.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${missing.map((w) => w.name).join(', ')} did not poll ${taskQueue} within ${timeoutMs} ms`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  await Promise.race([
    ready,
    ...workers.map((w) => unlessExited(w, new Promise<never>(() => undefined))),
  ]);
}
