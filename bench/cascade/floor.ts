/**
 * The two floors the cascade's delivery time is compared against, each on a dev server of
 * its own, timed until every node's activity has run:
 * - `design`: the tree fanned out by a bare workflow (bench/floor-workflows.ts `floorNode`),
 *   parent-child starts one at a time per parent, as the engine's fanOut does. It mirrors the
 *   engine's design, so it says what that design costs on bare Temporal.
 * - `client`: one bare workflow per node (`clientFloorNode`: one activity, then a durable
 *   timer) started by a client with bounded concurrency (64 starts in flight). No tree: what
 *   Temporal itself does for the same number of workflows, whatever the design. Unless
 *   --skip-ack, each is then acknowledged (ack-floor.ts): the floor for unit actions.
 * - `activity`: a prototype of the alternative fan-out: each node's workflow runs one
 *   activity that starts its children through the client (16 in flight), then waits on a
 *   timer (`activityFanoutNode`). The tree, without Temporal parent-child links.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NATIONAL_ROOT_CODE } from '../../domain/units/national';
import type { UnitInput } from '../../domain/units/tree';
import { sleep } from '../../stack/wait';
import { cpuWindow, log, mib, secs } from './measure';
import type { Options } from './options';
import { startTemporal } from './stack';
import { temporalProbes } from './cluster';
import { spawnWorker, type WorkerChild } from './worker-child';
import { runAckFloor, type AckFloorResult } from './ack-floor';

/** Which floor. */
export type FloorKind = 'design' | 'client' | 'activity';

/** Starts in flight at once in the client floor. */
export const CLIENT_FLOOR_CONCURRENCY = 64;

/** How a floor went. */
export interface FloorResult {
  kind: FloorKind;
  nodes: number;
  /** From the first start until every node's activity ran (or the budget ran out). */
  ms: number;
  /** Set when --budget stopped the phase: nodes whose activity ran by then. */
  reached?: number;
  /** Client floor: until the last start call returned. */
  startsMs?: number;
  /** The worker's peak RSS, in bytes. */
  vmHwm: number;
  /** CPU seconds by process tree over `ms`. */
  cpu: Record<string, number>;
  /** 1-minute load average of the machine before and after. */
  load: [number, number];
  /** Client floor, unless --skip-ack: every workflow acknowledged by `--clients` clients. */
  acks?: AckFloorResult;
}

/** The cache size, heap limit and stack traces given to every worker of the run (unset: the defaults). */
export function cacheEnv(opts: Options): Record<string, string> {
  return {
    WORKFLOW_STACK_TRACES: opts.stackTraces,
    ...(opts.cache !== undefined ? { WORKER_MAX_CACHED_WORKFLOWS: String(opts.cache) } : {}),
    ...(opts.parentsCache !== undefined ? { WORKER_MAX_CACHED_PARENTS: String(opts.parentsCache) } : {}),
    ...(opts.workerHeap !== undefined ? { BENCH_WORKER_HEAP_MIB: String(opts.workerHeap) } : {}),
  };
}

/** Runs one floor over `units` (the tree chosen by `opts.provinces`), then stops its stack. */
export async function runFloor(
  cli: string,
  tmp: string,
  opts: Options,
  units: UnitInput[],
  kind: FloorKind,
): Promise<FloorResult> {
  // The client floor starts what the cascade delivers: every unit below the root, per directive.
  const nodes = kind === 'client' ? (units.length - 1) * opts.directives : units.length;
  log(`floor (${kind}): starting a fresh dev server`);
  const server = await startTemporal(cli, path.join(tmp, `temporal-floor-${kind}`), opts);
  const taskQueue = `bench-floor-${crypto.randomUUID().slice(0, 8)}`;
  const worker = await spawnWorker(
    {
      BENCH_MODE: 'floor',
      BENCH_ADDRESS: server.address,
      BENCH_TASK_QUEUE: taskQueue,
      BENCH_TREE: opts.tree,
      ...(opts.provinces !== undefined ? { BENCH_PROVINCES: String(opts.provinces) } : {}),
      ...(opts.workerOptions ? { BENCH_WORKER_OPTIONS: opts.workerOptions } : {}),
      ...cacheEnv(opts),
    },
    nodes,
  );
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  const probes = [
    ...temporalProbes(server),
    { label: 'worker', pid: () => worker.proc.pid },
    { label: 'bench', pid: () => process.pid },
  ];
  const cpu = cpuWindow(probes);
  const run = crypto.randomUUID().slice(0, 8);
  const load0 = os.loadavg()[0]!;
  log(`floor (${kind}): ${nodes} workflows, load ${load0.toFixed(1)}`);
  const t0 = Date.now();
  let startsMs: number | undefined;
  let clientIds: string[] = [];
  if (kind === 'design') {
    await client.workflow.start('floorNode', {
      workflowId: `floor/${run}/${NATIONAL_ROOT_CODE}`,
      taskQueue,
      args: [NATIONAL_ROOT_CODE, opts.floorBatch],
    });
  } else if (kind === 'activity') {
    await client.workflow.start('activityFanoutNode', {
      workflowId: `activity-floor/${run}/${NATIONAL_ROOT_CODE}`,
      taskQueue,
      args: [NATIONAL_ROOT_CODE],
    });
  } else {
    // Every unit below the root, as the cascade delivers: N starts, at most 64 in flight.
    const below = units.filter((u) => u.code !== NATIONAL_ROOT_CODE).map((u) => u.code);
    const codes = Array.from({ length: opts.directives }, (_, d) => below.map((c) => `${d}/${c}`)).flat();
    clientIds = codes.map((code) => `client-floor/${run}/${code}`);
    let next = 0;
    const starter = async () => {
      for (let i = next++; i < codes.length; i = next++) {
        await client.workflow.start('clientFloorNode', {
          workflowId: clientIds[i]!,
          taskQueue,
          args: [codes[i]],
        });
      }
    };
    void Promise.all(Array.from({ length: CLIENT_FLOOR_CONCURRENCY }, starter)).then(
      () => (startsMs = Date.now() - t0),
      (err: unknown) => log(`floor (client): a start failed: ${(err as Error).message}`),
    );
  }
  const deadline = opts.budgetS !== undefined ? t0 + opts.budgetS * 1000 : Infinity;
  await waitForTouched(worker, nodes, kind, t0, deadline);
  const reached = worker.doneAt === undefined ? worker.touched : undefined;
  const ms = (worker.doneAt ?? Date.now()) - t0;
  const spent = cpu();
  const load: [number, number] = [load0, os.loadavg()[0]!];
  const count = reached ?? nodes;
  log(`floor (${kind}): ${count}/${nodes} in ${secs(ms)} s (${((count * 1000) / ms).toFixed(1)}/s)`);
  // The ack floor needs every workflow delivered (its update handler is set by then).
  const acks =
    kind === 'client' && !opts.skipAck && reached === undefined
      ? await runAckFloor({ client, workflowIds: clientIds, clients: opts.clients, budgetS: opts.ackBudgetS, probes })
      : undefined;
  const { vmHwm } = await worker.stop();
  await connection.close();
  await server.stop();
  return {
    kind,
    nodes,
    ms,
    ...(reached !== undefined ? { reached } : {}),
    ...(startsMs !== undefined ? { startsMs } : {}),
    vmHwm: Math.max(vmHwm, worker.rssPeakSampled),
    cpu: spent,
    load,
    ...(acks ? { acks } : {}),
  };
}

async function waitForTouched(
  worker: WorkerChild,
  nodes: number,
  kind: FloorKind,
  t0: number,
  deadline: number,
) {
  let lastPrint = t0;
  let lastCount = 0;
  while (worker.doneAt === undefined && Date.now() < deadline) {
    await sleep(250);
    if (worker.proc.exitCode !== null) throw new Error(`the ${kind} floor worker died`);
    if (Date.now() - lastPrint >= 5000) {
      const rate = ((worker.touched - lastCount) * 1000) / (Date.now() - lastPrint);
      log(
        `floor (${kind}): ${worker.touched}/${nodes} ran their activity (${rate.toFixed(0)}/s), worker RSS ${mib(worker.rssPeakSampled)}, load ${os.loadavg()[0]!.toFixed(1)}`,
      );
      lastPrint = Date.now();
      lastCount = worker.touched;
    }
  }
}
