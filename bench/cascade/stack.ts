/**
 * The local stack each phase runs on, started fresh and registered for cleanup: a headless
 * Temporal dev server (optionally with extra dynamic config), and for the cascade also
 * PostgreSQL (DATABASE_URL or embedded in the temp dir) with the units imported, the real
 * cascade worker in a child process, a client, and a read-model probe of delivery progress.
 */
import { startOtlpSink, type MetricsEndpoint, type OtlpSink } from './observability';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { waveSummary, type WaveSummary } from './waves';
import { sha256 } from '../../api/auth';
import type { UnitInput } from '../../domain/units/tree';
import { createDb, type Db } from '../../read-model/db';
import { upsertUnits } from '../../read-model/units';
import { startDevServer, type DevServer } from '../../stack/dev-server';
import { applyMigrations } from '../../stack/migrate';
import { freePort } from '../../stack/ports';
import { spawnApp } from '../../stack/app-processes';
import { messageOfType, waitForMessage } from '../../stack/node-process';
import { startEmbeddedPostgres } from '../../stack/postgres';
import { onCleanup, trackChild } from './cleanup';
import { startClusterTemporal, temporalProbes } from './cluster';
import { log, type CpuProbe } from './measure';
import { cacheEnv } from './floor';
import type { Options } from './options';
import { spawnWorker, type WorkerChild } from './worker-child';

/**
 * Starts a dev server on a free port with its data in `dir` (SQLite file unless `memory`),
 * or with `--server cluster` the production server and its PostgreSQL (./cluster.ts).
 */
export async function startTemporal(cli: string, dir: string, opts: Options, metricsPort?: number): Promise<DevServer> {
  if (opts.server === 'cluster') return startClusterTemporal(dir);
  const port = await freePort();
  const server = await startDevServer({
    cliPath: cli,
    dataDir: dir,
    port,
    namespace: 'default',
    dbFile: opts.temporalDb === 'memory' ? null : path.join(dir, 'temporal.db'),
    ...(metricsPort ? { metricsPort } : {}),
  });
  trackChild(server.process);
  onCleanup(`dev server ${server.address}`, () => server.stop());
  return server;
}

/** The CLI to start dev servers with: `cli` itself, or a wrapper adding `--dev-config` values. */
export function withDevConfig(cli: string, tmp: string, devConfig: string[]): string {
  if (!devConfig.length) return cli;
  // startDevServer takes a binary, not extra flags: a wrapper that appends them (exec keeps the pid).
  const wrapper = path.join(tmp, 'temporal-with-config.sh');
  const extra = devConfig.map((kv) => `--dynamic-config-value '${kv.replace(/'/g, '')}'`).join(' ');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec '${cli}' "$@" ${extra}\n`, { mode: 0o755 });
  log(`dev server dynamic config: ${devConfig.join(', ')}`);
  return wrapper;
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(
      fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
  } catch {
    return undefined;
  }
}

/** Assignments of a directive in the read model, and how many are acknowledged. */
export interface AssignmentCounts {
  total: number;
  acked: number;
}

/** Everything the cascade phases use, already started. */
export interface CascadeStack {
  db: Db;
  client: Client;
  taskQueue: string;
  worker: WorkerChild;
  /** The dev server, the worker, PostgreSQL (when embedded), this process and the API's. */
  probes: CpuProbe[];
  /** Reads assignment counts of one or more directives straight from the read model. */
  counts(directiveIds: string | string[]): Promise<AssignmentCounts>;
  /** Assignments of `directiveIds` not yet acknowledged, a random few (for probes). */
  unacked(directiveIds: string[], limit: number): Promise<Array<{ directiveId: string; unitCode: string }>>;
  api: BenchApi;
  /** The start waves of every level that forwarded in `directiveIds`, by size. */
  waves(directiveIds: string[]): Promise<WaveSummary>;
  /** With --observability on: the metrics endpoints, PostgreSQL's pid, the OTLP sink. */
  observability?: { endpoints: MetricsEndpoint[]; postgresPid: () => number | undefined; sink: OtlpSink };
}

/** The HTTP API under measurement: its base URL and bearer tokens. */
export interface BenchApi {
  /** `http://127.0.0.1:PORT/api/v1` */
  base: string;
  adminToken: string;
  /** One live unit token per unit code, as a unit's own client would hold. */
  tokens: Map<string, string>;
  /** The API's process. */
  pid: number | undefined;
}

/** Starts PostgreSQL, imports `units`, starts a dev server and the cascade worker. */
export async function startCascadeStack(
  cli: string,
  tmp: string,
  opts: Options,
  units: UnitInput[],
): Promise<CascadeStack> {
  let url = process.env.DATABASE_URL;
  let pgRoot: number | undefined;
  if (!url) {
    log('cascade: starting embedded PostgreSQL');
    const dataDir = path.join(tmp, 'pg');
    const embedded = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      database: 'cascade',
    });
    onCleanup('embedded PostgreSQL', () => embedded.stop());
    url = embedded.url;
    pgRoot = postmasterPid(dataDir);
  }
  await applyMigrations(url);
  const db: Db = createDb(url, 4);
  onCleanup('database client', () => db.$disconnect());
  const imported = await upsertUnits(db, units);
  log(`cascade: units imported (created ${imported.created}, unchanged ${imported.unchanged})`);

  const observed = opts.observability === 'on';
  const ports = observed ? { temporal: await freePort(), worker: await freePort() } : undefined;
  const sink = observed ? await startOtlpSink() : undefined;
  if (sink) onCleanup('OTLP sink', () => sink.close());
  const tracingEnv: Record<string, string> = sink ? { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sink.url } : {};
  log(`cascade: starting a fresh dev server${observed ? ' (metrics and traces on)' : ''}`);
  const server = await startTemporal(cli, path.join(tmp, 'temporal-cascade'), opts, ports?.temporal);
  const taskQueue = `bench-cascade-${crypto.randomUUID().slice(0, 8)}`;
  const worker = await spawnWorker({
    BENCH_MODE: 'cascade',
    BENCH_ADDRESS: server.address,
    BENCH_TASK_QUEUE: taskQueue,
    DATABASE_URL: url,
    BENCH_DB_POOL: String(opts.dbPool),
    ...cacheEnv(opts),
    ...(opts.workerOptions ? { BENCH_WORKER_OPTIONS: opts.workerOptions } : {}),
    ...(ports ? { BENCH_WORKER_METRICS_PORT: String(ports.worker) } : {}),
    ...tracingEnv,
  });
  const connection = await Connection.connect({ address: server.address });
  onCleanup('client connection', () => connection.close());
  const client = new Client({ connection, namespace: 'default' });
  const probes: CpuProbe[] = [
    ...temporalProbes(server),
    { label: 'worker', pid: () => worker.proc.pid },
    { label: 'postgres', pid: () => pgRoot },
    { label: 'bench', pid: () => process.pid },
  ];

  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined); // a connection dropped during shutdown
  onCleanup('read-model pool', () => pool.end());
  const counts = async (directiveIds: string | string[]): Promise<AssignmentCounts> => {
    const ids = typeof directiveIds === 'string' ? [directiveIds] : directiveIds;
    const r = await pool.query<{ total: string; acked: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE "ackVersion" >= 1) AS acked FROM "Assignment" WHERE "directiveId" = ANY($1)`,
      [ids],
    );
    return { total: Number(r.rows[0]!.total), acked: Number(r.rows[0]!.acked) };
  };
  const unacked = async (ids: string[], limit: number) => {
    const r = await pool.query<{ directiveId: string; unitCode: string }>(
      `SELECT "directiveId", "unitCode" FROM "Assignment" WHERE "directiveId" = ANY($1) AND "ackVersion" = 0 ORDER BY random() LIMIT $2`,
      [ids, limit],
    );
    return r.rows;
  };
  const api = await startApi(url, server.address, taskQueue, units, db, tracingEnv);
  probes.push({ label: 'API', pid: () => api.pid });
  const waves = (ids: string[]) => waveSummary(pool, ids);
  const observability =
    ports && sink
      ? {
          endpoints: [
            { label: 'API', url: `${api.base.replace(/\/api\/v1$/, '')}/metrics`, pid: () => api.pid },
            { label: 'worker', url: `http://127.0.0.1:${ports.worker}/metrics`, pid: () => worker.proc.pid },
            { label: 'dev server', url: `http://127.0.0.1:${ports.temporal}/metrics`, pid: () => server.process.pid },
          ],
          postgresPid: () => pgRoot,
          sink,
        }
      : undefined;
  return { db, client, taskQueue, worker, probes, counts, unacked, api, waves, ...(observability ? { observability } : {}) };
}

/**
 * The API as a deployment runs it (createApp in a process of its own, bench/api-process.ts),
 * listening on a free local port, over its own database pool and Temporal client; its CPU
 * is the probe `API`. The rate limits are raised out of the way (the default overall limit,
 * 6,000 requests a minute, would itself cap a load test at 100/s); every unit gets a live
 * token of its own, so each request pays the real token lookup.
 */
async function startApi(url: string, address: string, taskQueue: string, units: UnitInput[], db: Db, extraEnv: Record<string, string>): Promise<BenchApi> {
  const adminToken = crypto.randomBytes(24).toString('hex');
  const tokens = new Map<string, string>();
  const expiresAt = new Date(Date.now() + 86_400_000);
  const rows = units.map((u) => {
    const token = `bench-${crypto.randomBytes(16).toString('hex')}`;
    tokens.set(u.code, token);
    return {
      id: crypto.randomUUID(),
      unitCode: u.code,
      tokenHash: sha256(token).toString('hex'),
      label: 'bench',
      expiresAt,
    };
  });
  for (let i = 0; i < rows.length; i += 2000) {
    await db.apiToken.createMany({ data: rows.slice(i, i + 2000) });
  }
  const app = spawnApp({
    role: 'api',
    name: 'API',
    entry: path.resolve(__dirname, '..', 'api-process.ts'),
    // BENCH_API_CPU_PROF=DIR: a V8 CPU profile of the API (`npx tsx bench/profile-summary.ts DIR`).
    nodeArgs: process.env.BENCH_API_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_API_CPU_PROF}`] : [],
    env: {
      DATABASE_URL: url,
      BENCH_ADDRESS: address,
      CASCADE_ADMIN_TOKEN: adminToken,
      TEMPORAL_TASK_QUEUE: taskQueue,
      RATE_LIMIT_PER_CLIENT: '100000000',
      RATE_LIMIT_PER_TOKEN: '100000000',
      // One log line per request would be much of the API's work.
      LOG_LEVEL: 'warn',
      // Every scrape counts the business metrics anew: their cost, not the cache's.
      BUSINESS_METRICS_CACHE_MS: '0',
      ...extraEnv,
    },
    output: 'inherit',
    ipc: true,
  });
  const proc = app.child;
  trackChild(proc);
  onCleanup('API', () => app.stop(10_000));
  const { port } = await waitForMessage(app, messageOfType<{ type: 'ready'; port: number }>('ready'));
  log(`cascade: API listening on 127.0.0.1:${port} (pid ${proc.pid}), ${tokens.size} unit tokens`);
  return { base: `http://127.0.0.1:${port}/api/v1`, adminToken, tokens, pid: proc.pid };
}
