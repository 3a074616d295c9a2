/**
 * The local stack each phase runs on, started fresh and registered for cleanup: a headless
 * Temporal dev server (optionally with extra dynamic config), and for the cascade also
 * PostgreSQL (DATABASE_URL or embedded in the temp dir) with the units imported, the real
 * cascade worker in a child process, a client, and a read-model probe of delivery progress.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import type { UnitInput } from '../../domain/units/tree';
import { createDb, type Db } from '../../read-model/db';
import { upsertUnits } from '../../read-model/units';
import { startDevServer, type DevServer } from '../../stack/dev-server';
import { applyMigrations } from '../../stack/migrate';
import { freePort } from '../../stack/ports';
import { startEmbeddedPostgres } from '../../stack/postgres';
import { onCleanup, trackChild } from './cleanup';
import { startClusterTemporal, temporalProbes } from './cluster';
import { log, type CpuProbe } from './measure';
import type { Options } from './options';
import { spawnWorker, type WorkerChild } from './worker-child';

/**
 * Starts a dev server on a free port with its data in `dir` (SQLite file unless `memory`),
 * or with `--server cluster` the production server and its PostgreSQL (./cluster.ts).
 */
export async function startTemporal(cli: string, dir: string, opts: Options): Promise<DevServer> {
  if (opts.server === 'cluster') return startClusterTemporal(dir);
  const port = await freePort();
  const server = await startDevServer({
    cliPath: cli,
    dataDir: dir,
    port,
    namespace: 'default',
    dbFile: opts.temporalDb === 'memory' ? null : path.join(dir, 'temporal.db'),
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
  /** The dev server, the worker, PostgreSQL (when embedded) and this process. */
  probes: CpuProbe[];
  /** Reads a directive's assignment counts straight from the read model. */
  counts(directiveId: string): Promise<AssignmentCounts>;
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

  log('cascade: starting a fresh dev server');
  const server = await startTemporal(cli, path.join(tmp, 'temporal-cascade'), opts);
  const taskQueue = `bench-cascade-${crypto.randomUUID().slice(0, 8)}`;
  const worker = await spawnWorker({
    BENCH_MODE: 'cascade',
    BENCH_ADDRESS: server.address,
    BENCH_TASK_QUEUE: taskQueue,
    DATABASE_URL: url,
    BENCH_DB_POOL: String(opts.dbPool),
    ...(opts.workerOptions ? { BENCH_WORKER_OPTIONS: opts.workerOptions } : {}),
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
  const counts = async (directiveId: string): Promise<AssignmentCounts> => {
    const r = await pool.query<{ total: string; acked: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE "ackVersion" >= 1) AS acked FROM "Assignment" WHERE "directiveId" = $1`,
      [directiveId],
    );
    return { total: Number(r.rows[0]!.total), acked: Number(r.rows[0]!.acked) };
  };
  return { db, client, taskQueue, worker, probes, counts };
}
