/**
 * The worker under measurement, as seen from the benchmark: runs bench/worker-process.ts
 * (so the worker's memory is its own), waits for its `ready`, and keeps the latest of the
 * `stats` it reports every 500 ms.
 */
import { type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { spawnApp } from '../../stack/app-processes';
import { messageOfType, waitForMessage } from '../../stack/node-process';
import { onCleanup, trackChild } from './cleanup';
import { peakRss } from './measure';

/** A running worker child and what it last reported. */
export interface WorkerChild {
  proc: ChildProcess;
  /** Highest RSS among the sampled reports, in bytes. */
  rssPeakSampled: number;
  /** What that highest sample was made of: V8's heap in use, and memory V8 tracks outside it. */
  atPeak?: { heapUsed: number; external: number };
  /** Nodes whose floor activity ran (floor mode). */
  touched: number;
  cpuMs: number;
  /** When `touched` first reached the target given to spawnWorker. */
  doneAt?: number;
  /** Stops the worker (SIGTERM, SIGKILL after 15 s); returns its peak RSS read just before. */
  stop(): Promise<{ vmHwm: number }>;
}

/** Starts the worker with `env` added to ours; resolves once it polls. Registers its cleanup. */
export async function spawnWorker(
  env: Record<string, string>,
  target?: number,
): Promise<WorkerChild> {
  const app = spawnApp({
    role: 'worker',
    name: 'worker',
    entry: path.resolve(__dirname, '..', 'worker-process.ts'),
    env,
    output: 'inherit',
    ipc: true,
    ...(env.BENCH_WORKER_HEAP_MIB ? { heapMb: Number(env.BENCH_WORKER_HEAP_MIB) } : {}),
    nodeArgs: [
      // BENCH_WORKER_CPU_PROF=DIR: a V8 CPU profile of the worker (each of its threads), for
      // Chrome DevTools or `npx tsx bench/profile-summary.ts DIR`.
      ...(process.env.BENCH_WORKER_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WORKER_CPU_PROF}`] : []),
      // BENCH_WORKER_NODE_ARGS: more Node flags for the worker, for experiments (`--trace-gc`
      // prints each isolate's heap — the workflow threads' too, which memoryUsage() does not see).
      ...(process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
  });
  const proc = app.child;
  const child: WorkerChild = {
    proc,
    rssPeakSampled: 0,
    touched: 0,
    cpuMs: 0,
    async stop() {
      const vmHwm = peakRss(proc.pid);
      await app.stop(15_000);
      return { vmHwm };
    },
  };
  trackChild(proc);
  onCleanup('worker', () => child.stop());
  type Stats = { type: string; rss?: number; heapUsed?: number; external?: number; touched?: number; cpuMs?: number };
  proc.on('message', (m: Stats) => {
    if (m.type !== 'stats') return;
    if ((m.rss ?? 0) > child.rssPeakSampled) {
      child.rssPeakSampled = m.rss ?? 0;
      child.atPeak = { heapUsed: m.heapUsed ?? 0, external: m.external ?? 0 };
    }
    child.touched = m.touched ?? 0;
    child.cpuMs = m.cpuMs ?? 0;
    if (target !== undefined && child.doneAt === undefined && child.touched >= target) {
      child.doneAt = Date.now();
    }
  });
  await waitForMessage(app, messageOfType('ready'));
  return child;
}
