/**
 * The production Temporal server on this machine: PostgreSQL persistence and SQL
 * visibility, 4 history shards, all four services (frontend, history, matching, worker)
 * in one `temporal-server` process, configured by config/temporal-cluster/server.yaml, and
 * optionally the Web UI server pointed at it (config/temporal-cluster/ui.yaml).
 *
 * Start-up: create the two databases if missing, apply or upgrade their schemas with the
 * sql tool (idempotent), start the server, register the namespace and the custom search
 * attributes (idempotent), start the UI. Every value that differs between runs is passed
 * as an environment variable the config files read, so the files in the repo are what ran.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import pg from 'pg';
import { ensureSearchAttributes } from './dev-server';
import { stopChild } from './node-process';
import { orphanFrom, stopProcess, writeLaunchRecord } from './orphans';
import { portOpen, waitForPort } from './ports';
import type { TemporalServerBinaries } from './temporal-server-build';
import { waitFor } from './wait';
import { childEnv } from '../runtime/config';

const root = path.resolve(__dirname, '..');

/** The server config directory, relative to the repo root (`--config`). */
export const CLUSTER_CONFIG_DIR = 'config/temporal-cluster';

/** The PostgreSQL server that holds Temporal's two databases. */
export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** PostgreSQL server and credentials of a `postgresql://` URL (its database is ignored). */
export function postgresServerOf(url: string): PostgresServer {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

export interface TemporalDatabases {
  /** Persistence (executions, history, timers, shards). */
  temporal: string;
  visibility: string;
}

export const DEFAULT_TEMPORAL_DATABASES: TemporalDatabases = {
  temporal: 'temporal',
  visibility: 'temporal_visibility',
};

export interface StartClusterInput {
  binaries: TemporalServerBinaries;
  /** `temporal-ui-server`; without it no UI is started. */
  uiServer?: string;
  /** Logs and launch records. */
  dataDir: string;
  postgres: PostgresServer;
  databases?: TemporalDatabases;
  /** Frontend gRPC port (the address clients and workers use); the internal ports are free ones. */
  frontendPort: number;
  uiPort?: number;
  namespace: string;
  /** Serves the server's own Prometheus metrics on 127.0.0.1:<port>/metrics (server.yaml `metrics`). */
  metricsPort?: number;
  /** Server log level (config LOG_LEVEL); default warn. */
  logLevel?: string;
  progress?: (line: string) => void;
}

export interface TemporalCluster {
  /** Frontend `host:port`. */
  address: string;
  uiUrl?: string;
  /** The server's Prometheus metrics, when `metricsPort` was given. */
  metricsUrl?: string;
  server: ChildProcess;
  ui?: ChildProcess;
  /** The server's log file. */
  logFile: string;
  /** Stops the UI, then the server (SIGTERM, SIGKILL after 15 s). */
  stop(): Promise<void>;
}

/** Creates the databases that do not exist yet. */
async function createDatabases(server: PostgresServer, names: string[]): Promise<void> {
  const admin = new pg.Client({ ...server, database: 'postgres' });
  await admin.connect();
  try {
    for (const name of names) {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
    }
  } finally {
    await admin.end();
  }
}

function sqlTool(bin: string, server: PostgresServer, database: string, args: string[]): void {
  // Connection settings through the tool's environment variables: no password in `ps`.
  const run = spawnSync(bin, args, {
    env: childEnv({
      SQL_PLUGIN: 'postgres12',
      SQL_HOST: server.host,
      SQL_PORT: String(server.port),
      SQL_USER: server.user,
      SQL_PASSWORD: server.password,
      SQL_DATABASE: database,
    }),
    encoding: 'utf8',
    timeout: 5 * 60_000,
  });
  if (run.status !== 0) {
    throw new Error(
      `temporal-sql-tool ${args.join(' ')} on ${database} failed (exit ${run.status}):\n${run.stderr || run.stdout}`,
    );
  }
}

async function schemaVersion(
  server: PostgresServer,
  database: string,
): Promise<string | undefined> {
  const client = new pg.Client({ ...server, database });
  await client.connect();
  try {
    const table = await client.query(`SELECT to_regclass('public.schema_version') AS t`);
    if (!table.rows[0]?.t) return undefined;
    const row = await client.query<{ curr_version: string }>(
      'SELECT curr_version FROM schema_version LIMIT 1',
    );
    return row.rows[0]?.curr_version;
  } finally {
    await client.end();
  }
}

/**
 * Creates Temporal's databases if missing and brings both schemas to the version this
 * server embeds: `setup-schema -v 0.0` (creates only the version tables, a no-op once a
 * schema is there) then `update-schema --schema-name postgresql/v12/…` (applies every
 * versioned step above the recorded version). Safe to run on every start.
 */
export async function prepareTemporalDatabases(
  sqlToolPath: string,
  server: PostgresServer,
  databases: TemporalDatabases = DEFAULT_TEMPORAL_DATABASES,
  progress: (line: string) => void = () => undefined,
): Promise<void> {
  await createDatabases(server, [databases.temporal, databases.visibility]);
  for (const [database, schema] of [
    [databases.temporal, 'postgresql/v12/temporal'],
    [databases.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    const before = await schemaVersion(server, database);
    sqlTool(sqlToolPath, server, database, ['setup-schema', '-v', '0.0']);
    sqlTool(sqlToolPath, server, database, ['update-schema', '--schema-name', schema]);
    const after = await schemaVersion(server, database);
    progress(
      before === after
        ? `  schema of ${database}: ${after} (up to date)`
        : `  schema of ${database}: ${before ?? 'none'} → ${after}`,
    );
  }
}

/**
 * A free port below 32768. The server records each service's membership port in
 * cluster_membership.rpc_port, a SMALLINT: an ephemeral port the OS hands out (32768 and
 * up) makes the server die at start-up ("value … is out of range for type smallint").
 */
export async function freeClusterPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port found between 20000 and 32000');
}

/** Stops a process left by a start that was killed outright (see orphans.ts). */
async function stopOrphan(pidFile: string): Promise<void> {
  const orphan = orphanFrom(pidFile);
  if (orphan !== null) await stopProcess(orphan, 'SIGTERM', 15_000);
  fs.rmSync(pidFile, { force: true });
}

interface Launched {
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function launch(
  bin: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
  pidFile: string,
): Launched {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(bin, args, {
    cwd: root,
    env: childEnv(env),
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  if (child.pid) writeLaunchRecord(pidFile, child.pid);
  void exited.then(() => fs.rmSync(pidFile, { force: true }));
  return {
    child,
    exited,
    stop: () => stopChild(child, exited, 15_000),
  };
}

/** Retries `fn` every 500 ms until it resolves; after `ms` fails naming `what` and the last error. */
const retry = <T>(what: string, ms: number, fn: () => Promise<T>): Promise<T> =>
  waitFor(fn, () => true, what, ms, 500);

/** Registers the namespace if it does not exist (retention 7 days) and waits until it is served. */
export async function ensureNamespace(address: string, namespace: string): Promise<void> {
  // The frontend listens before history and matching have joined the ring; keep asking.
  const connection = await retry('connecting to the frontend', 120_000, () =>
    Connection.connect({ address, connectTimeout: 5_000 }),
  );
  try {
    await retry('registering the namespace', 120_000, async () => {
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs('7 days'),
          description: 'directive cascade',
        });
      } catch (err) {
        // 6 = ALREADY_EXISTS: registered by an earlier start.
        if ((err as { code?: number }).code !== 6) throw err;
      }
    });
    // The frontend's namespace cache picks a new namespace up within seconds.
    await retry('the namespace becoming visible', 60_000, () =>
      connection.workflowService.describeNamespace({ namespace }),
    );
  } finally {
    await connection.close();
  }
}

/**
 * Waits until matching and history serve requests too, not just the frontend: right after
 * a (re)start the frontend answers while the other services are still joining the
 * membership ring ("Not enough hosts to serve the request").
 */
export async function waitUntilServing(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await retry('the cluster serving requests', 120_000, async () => {
      await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: 'cluster-readiness-probe' },
      });
      try {
        await connection.workflowService.describeWorkflowExecution({
          namespace,
          execution: { workflowId: 'cluster-readiness-probe' },
        });
      } catch (err) {
        // 5 = NOT_FOUND: the history shard owning that id answered.
        if ((err as { code?: number }).code !== 5) throw err;
      }
    });
  } finally {
    await connection.close();
  }
}

/** Starts the server (and the UI), registers namespace and search attributes; see the file header. */
export async function startTemporalCluster(input: StartClusterInput): Promise<TemporalCluster> {
  const say = input.progress ?? (() => undefined);
  const databases = input.databases ?? DEFAULT_TEMPORAL_DATABASES;
  fs.mkdirSync(input.dataDir, { recursive: true });
  const serverPidFile = path.resolve(input.dataDir, `temporal-server-${input.frontendPort}.pid`);
  const uiPidFile = path.resolve(input.dataDir, `temporal-ui-${input.uiPort ?? 0}.pid`);
  await stopOrphan(serverPidFile);
  if (input.uiPort) await stopOrphan(uiPidFile);
  for (const port of [input.frontendPort, input.uiPort, input.metricsPort]) {
    if (port && (await portOpen(port))) {
      throw new Error(
        `port ${port} is already in use (another Temporal server or UI?); stop it or choose other ports`,
      );
    }
  }

  say(
    `Preparing Temporal's databases (${databases.temporal}, ${databases.visibility}) on ${input.postgres.host}:${input.postgres.port}`,
  );
  await prepareTemporalDatabases(input.binaries.sqlTool, input.postgres, databases, say);

  const ports = {
    FRONTEND_GRPC_PORT: input.frontendPort,
    FRONTEND_HTTP_PORT: await freeClusterPort(),
    FRONTEND_MEMBERSHIP_PORT: await freeClusterPort(),
    HISTORY_GRPC_PORT: await freeClusterPort(),
    HISTORY_MEMBERSHIP_PORT: await freeClusterPort(),
    MATCHING_GRPC_PORT: await freeClusterPort(),
    MATCHING_MEMBERSHIP_PORT: await freeClusterPort(),
    WORKER_GRPC_PORT: await freeClusterPort(),
    WORKER_MEMBERSHIP_PORT: await freeClusterPort(),
  };
  const env: Record<string, string> = {
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    LOG_LEVEL: input.logLevel ?? 'warn',
    POSTGRES_SEEDS: input.postgres.host,
    DB_PORT: String(input.postgres.port),
    POSTGRES_USER: input.postgres.user,
    POSTGRES_PWD: input.postgres.password,
    DBNAME: databases.temporal,
    VISIBILITY_DBNAME: databases.visibility,
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: path.join(root, CLUSTER_CONFIG_DIR, 'dynamicconfig.yaml'),
    ...(input.metricsPort ? { PROMETHEUS_ENDPOINT: `127.0.0.1:${input.metricsPort}` } : {}),
  };
  const logFile = path.resolve(input.dataDir, 'temporal-server.log');
  say(
    `Starting the Temporal server (4 history shards, PostgreSQL) on 127.0.0.1:${input.frontendPort}; log ${logFile}`,
  );
  const server = launch(
    input.binaries.server,
    ['--root', root, '--config', CLUSTER_CONFIG_DIR, '--env', 'server', '--allow-no-auth', 'start'],
    env,
    logFile,
    serverPidFile,
  );
  const launched: Launched[] = [server];
  const stopAll = async () => {
    for (const l of [...launched].reverse()) await l.stop();
  };
  const address = `127.0.0.1:${input.frontendPort}`;
  const died = server.exited.then((code) => {
    throw new Error(`the Temporal server exited (code ${code}); see ${logFile}`);
  });
  died.catch(() => undefined); // only raced below; a later exit is the caller's business
  try {
    await Promise.race([
      (async () => {
        await waitForPort(input.frontendPort, 180_000);
        await ensureNamespace(address, input.namespace);
        await waitUntilServing(address, input.namespace);
        await retry('registering the search attributes', 60_000, () =>
          ensureSearchAttributes(address, input.namespace),
        );
      })(),
      died,
    ]);

    let ui: Launched | undefined;
    if (input.uiServer && input.uiPort) {
      const uiLog = path.resolve(input.dataDir, 'temporal-ui.log');
      ui = launch(
        input.uiServer,
        ['--root', root, '--config', CLUSTER_CONFIG_DIR, '--env', 'ui', 'start'],
        {
          TEMPORAL_ADDRESS: address,
          TEMPORAL_UI_PORT: String(input.uiPort),
          TEMPORAL_DEFAULT_NAMESPACE: input.namespace,
        },
        uiLog,
        uiPidFile,
      );
      launched.push(ui);
      await Promise.race([
        waitForPort(input.uiPort, 60_000),
        ui.exited.then((code) => {
          throw new Error(`the Temporal UI server exited (code ${code}); see ${uiLog}`);
        }),
      ]);
    }
    return {
      address,
      uiUrl: ui ? `http://localhost:${input.uiPort}` : undefined,
      metricsUrl: input.metricsPort ? `http://127.0.0.1:${input.metricsPort}/metrics` : undefined,
      server: server.child,
      ui: ui?.child,
      logFile,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll(); // leave nothing running when start-up fails
    throw err;
  }
}
