/**
 * The worker under measurement, as seen from the benchmark: forks bench/worker-process.ts
 * (so the worker's memory is its own), waits for its `ready`, and keeps the latest of the
 * `stats` it reports every 500 ms.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
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
  /** Asks the worker to shut down (SIGKILL after 15 s); returns its peak RSS read just before. */
  stop(): Promise<{ vmHwm: number }>;
}

/** Forks the worker with `env` added to ours; resolves once it polls. Registers its cleanup. */
export async function spawnWorker(
  env: Record<string, string>,
  target?: number,
): Promise<WorkerChild> {
  const proc = fork(path.resolve(__dirname, '..', 'worker-process.ts'), [], {
    execArgv: [
      '--import',
      'tsx',
      ...(env.BENCH_WORKER_HEAP_MIB ? [`--max-old-space-size=${env.BENCH_WORKER_HEAP_MIB}`] : []),
      // BENCH_WORKER_CPU_PROF=DIR: a V8 CPU profile of the worker (each of its threads), for
      // Chrome DevTools or `npx tsx bench/profile-summary.ts DIR`.
      ...(process.env.BENCH_WORKER_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WORKER_CPU_PROF}`] : []),
      // BENCH_WORKER_NODE_ARGS: more Node flags for the worker, for experiments (`--trace-gc`
      // prints each isolate's heap — the workflow threads' too, which memoryUsage() does not see).
      ...(process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const child: WorkerChild = {
    proc,
    rssPeakSampled: 0,
    touched: 0,
    cpuMs: 0,
    async stop() {
      const vmHwm = peakRss(proc.pid);
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.send({ type: 'shutdown' });
        const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      return { vmHwm };
    },
  };
  trackChild(proc);
  onCleanup('worker', () => child.stop());
  const ready = new Promise<void>((resolve, reject) => {
    type Stats = { type: string; rss?: number; heapUsed?: number; external?: number; touched?: number; cpuMs?: number };
    proc.on('message', (m: Stats) => {
      if (m.type === 'ready') resolve();
      if (m.type === 'stats') {
        if ((m.rss ?? 0) > child.rssPeakSampled) {
          child.rssPeakSampled = m.rss ?? 0;
          child.atPeak = { heapUsed: m.heapUsed ?? 0, external: m.external ?? 0 };
        }
        child.touched = m.touched ?? 0;
        child.cpuMs = m.cpuMs ?? 0;
        if (target !== undefined && child.doneAt === undefined && child.touched >= target) {
          child.doneAt = Date.now();
        }
      }
    });
    proc.on('exit', (code) =>
      reject(new Error(`the worker exited (code ${code}) before it was ready`)),
    );
  });
  await ready;
  return child;
}
