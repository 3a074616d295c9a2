/**
 * The floor phase: the same tree fanned out by a bare workflow (bench/floor-workflows.ts)
 * with one no-op activity per node, on a dev server of its own, timed until every node's
 * activity has run. What the cascade's delivery time is compared against.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NATIONAL_ROOT_CODE } from '../../domain/units/national';
import { cpuWindow, log, mib, secs, sleep } from './measure';
import type { Options } from './options';
import { startTemporal } from './stack';
import { temporalProbes } from './cluster';
import { spawnWorker } from './worker-child';

/** How the floor went. */
export interface FloorResult {
  nodes: number;
  /** From starting the root workflow until every node's activity ran. */
  ms: number;
  /** The worker's peak RSS, in bytes. */
  vmHwm: number;
  /** CPU seconds by process tree over `ms`. */
  cpu: Record<string, number>;
}

/** Runs the floor over `nodes` nodes (the tree chosen by `opts.provinces`), then stops its stack. */
export async function runFloor(
  cli: string,
  tmp: string,
  opts: Options,
  nodes: number,
): Promise<FloorResult> {
  log(`floor: starting a fresh dev server`);
  const server = await startTemporal(cli, path.join(tmp, 'temporal-floor'), opts);
  const taskQueue = `bench-floor-${crypto.randomUUID().slice(0, 8)}`;
  const worker = await spawnWorker(
    {
      BENCH_MODE: 'floor',
      BENCH_ADDRESS: server.address,
      BENCH_TASK_QUEUE: taskQueue,
      BENCH_TREE: opts.tree,
      ...(opts.provinces !== undefined ? { BENCH_PROVINCES: String(opts.provinces) } : {}),
      ...(opts.workerOptions ? { BENCH_WORKER_OPTIONS: opts.workerOptions } : {}),
    },
    nodes,
  );
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  const cpu = cpuWindow([
    ...temporalProbes(server),
    { label: 'worker', pid: () => worker.proc.pid },
    { label: 'bench', pid: () => process.pid },
  ]);
  const run = crypto.randomUUID().slice(0, 8);
  log(`floor: fanning out ${nodes} nodes`);
  const t0 = Date.now();
  await client.workflow.start('floorNode', {
    workflowId: `floor/${run}/${NATIONAL_ROOT_CODE}`,
    taskQueue,
    args: [NATIONAL_ROOT_CODE, opts.floorBatch],
  });
  let lastPrint = t0;
  let lastCount = 0;
  while (worker.doneAt === undefined) {
    await sleep(250);
    if (worker.proc.exitCode !== null) throw new Error('the floor worker died');
    if (Date.now() - lastPrint >= 5000) {
      const rate = ((worker.touched - lastCount) * 1000) / (Date.now() - lastPrint);
      log(
        `floor: ${worker.touched}/${nodes} nodes ran their activity (${rate.toFixed(0)}/s), worker RSS ${mib(worker.rssPeakSampled)}`,
      );
      lastPrint = Date.now();
      lastCount = worker.touched;
    }
  }
  const ms = worker.doneAt - t0;
  const spent = cpu();
  log(`floor: all ${nodes} nodes in ${secs(ms)} s (${((nodes * 1000) / ms).toFixed(0)} nodes/s)`);
  const { vmHwm } = await worker.stop();
  await connection.close();
  await server.stop();
  return { nodes, ms, vmHwm: Math.max(vmHwm, worker.rssPeakSampled), cpu: spent };
}
