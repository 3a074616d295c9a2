/**
 * The worker under measurement, run as a child process of bench/cascade.ts so its
 * memory is its own. Mode `floor` runs the bare floor workflow; mode `cascade` runs the real
 * cascade worker (worker/create-worker.ts). Reports over IPC: `ready`, then `stats` every 500 ms;
 * drains and exits on SIGTERM or SIGINT, or when the benchmark goes away.
 *
 * Environment: BENCH_MODE, BENCH_ADDRESS, BENCH_TASK_QUEUE, BENCH_TREE + BENCH_PROVINCES (floor),
 * DATABASE_URL + BENCH_DB_POOL (cascade), BENCH_WORKER_OPTIONS (JSON overrides of the
 * worker options, for experiments; unset = exactly createCascadeWorker).
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createDb, type Db } from '../read-model/db';
import { type CascadeWorker, createCascadeWorker, workerTuning } from '../worker/create-worker';
import { createFloorActivities } from './floor-activities';
import { applyStackTraces, stackTracesFromEnv } from '../worker/stack-traces';
import { DEFAULT_NATIONAL_TREE, isNationalTreeName } from '../domain/units/national';
import { benchTree, childrenMap } from './tree';
import { loadConfig } from '../runtime/config';
import { startTracing, type Tracing } from '../runtime/tracing';

// Keep the SDK's INFO lines (bundle statistics, poller states) out of the benchmark's output.
// BENCH_WORKER_METRICS_PORT: Temporal's SDK metrics for Prometheus, as the deployed worker serves them.
const metricsPort = process.env.BENCH_WORKER_METRICS_PORT;
Runtime.install({
  logger: new DefaultLogger('WARN'),
  ...(metricsPort ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } } } : {}),
});

const send = (msg: unknown) => {
  if (process.connected) process.send?.(msg, undefined, {}, () => undefined);
};

async function main(): Promise<void> {
  const mode = process.env.BENCH_MODE;
  const address = process.env.BENCH_ADDRESS!;
  const taskQueue = process.env.BENCH_TASK_QUEUE!;
  const overrides = process.env.BENCH_WORKER_OPTIONS ? (JSON.parse(process.env.BENCH_WORKER_OPTIONS) as Partial<WorkerOptions>) : undefined;
  const connection = await NativeConnection.connect({ address });
  const touched = new Set<string>();
  let db: Db | undefined;
  let tracing: Tracing | undefined;
  let worker: Worker | CascadeWorker;
  // The floors' workers take the cascade's stack-trace setting too, so the comparison stays fair.
  applyStackTraces(stackTracesFromEnv());
  if (mode === 'floor') {
    const provinces = process.env.BENCH_PROVINCES ? Number(process.env.BENCH_PROVINCES) : undefined;
    const tree = process.env.BENCH_TREE ?? DEFAULT_NATIONAL_TREE;
    if (!isNationalTreeName(tree)) throw new Error(`unknown BENCH_TREE ${tree}`);
    const children = childrenMap(benchTree(provinces, tree));
    worker = await Worker.create({
      connection,
      namespace: 'default',
      taskQueue,
      workflowsPath: path.resolve(__dirname, 'floor-workflows.ts'),
      activities: createFloorActivities(
        children,
        (code) => touched.add(code),
        new Client({ connection: await Connection.connect({ address }), namespace: 'default' }),
      ),
      // The same concurrency and cache as the cascade worker, so the comparison is fair.
      ...workerTuning(),
      ...overrides,
    });
  } else if (mode === 'cascade') {
    db = createDb(process.env.DATABASE_URL!, Number(process.env.BENCH_DB_POOL ?? 10));
    // OTEL_EXPORTER_OTLP_TRACES_ENDPOINT set: spans exported, the workflows bundled with the tracing interceptors.
    const config = loadConfig();
    tracing = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? startTracing(config, { serviceName: 'bench-worker' }) : undefined;
    worker = await createCascadeWorker({ connection, namespace: 'default', taskQueue, db, ...(overrides ? { overrides } : {}), ...(tracing ? { tracing } : {}) });
  } else {
    throw new Error(`unknown BENCH_MODE ${mode}`);
  }

  let cpu = process.cpuUsage();
  const stats = () => {
    cpu = process.cpuUsage();
    const { rss, heapUsed, external } = process.memoryUsage();
    send({ type: 'stats', rss, heapUsed, external, touched: touched.size, cpuMs: (cpu.user + cpu.system) / 1000 });
  };
  const timer = setInterval(stats, 500);
  const stop = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('disconnect', stop);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const running = worker.run();
  send({ type: 'ready' });
  await running;
  clearInterval(timer);
  stats();
  await db?.$disconnect();
  await connection.close();
  await tracing?.shutdown();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
