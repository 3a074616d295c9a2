/**
 * The production topology for one test file, every part its own process and every port a
 * free one: embedded PostgreSQL in a temp dir (read model + Temporal's two databases), the
 * Temporal server 1.29.1 with 4 history shards (stack/cluster.ts, config in the repo), its
 * Web UI, two worker processes (worker/index.ts) and the API (api/index.ts). close() stops
 * all of it; an exit hook kills whatever is left if the test process ends another way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { spawnApp, waitForApi, waitForWorkers, type AppProcess } from '../../stack/app-processes';
import { postgresServerOf, startTemporalCluster, type TemporalCluster } from '../../stack/cluster';
import { applyMigrations } from '../../stack/migrate';
import { freePort } from '../../stack/ports';
import {
  ensureTemporalServer,
  ensureTemporalUiServer,
  type TemporalServerBinaries,
} from '../../stack/temporal-server-build';
import { startPostgresProcess, type PostgresProcess } from '../harness/postgres-process';

export const ADMIN_TOKEN = 'cluster-test-admin-token-0123456789';
export const NAMESPACE = 'default';
export const TASK_QUEUE = 'directive-cascade';

export interface Topology {
  dir: string;
  binaries: TemporalServerBinaries;
  databaseUrl: string;
  cluster: TemporalCluster;
  workers: AppProcess[];
  api: AppProcess;
  apiUrl: string;
  uiUrl: string;
  connection: Connection;
  client: Client;
  /** Stops everything started, in reverse order. Safe to call twice. */
  close(): Promise<void>;
  /** The last lines of every log, for a failure message. */
  logs(): string;
}

const say = (line: string) => process.stderr.write(`[cluster-test] ${line}\n`);

export async function startTopology(name: string): Promise<Topology> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cluster-${name}-`));
  fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must enter it
  const stops: (() => Promise<unknown>)[] = [];
  const children: { pid?: number }[] = [];
  let pg: PostgresProcess | undefined;
  // Last resort when Jest's process ends without afterAll (crash, forced exit).
  const onExit = () => {
    for (const c of children) {
      try {
        if (c.pid) process.kill(c.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    try {
      if (pg?.pid) process.kill(pg.pid, 'SIGINT');
    } catch {
      /* already gone */
    }
  };
  process.on('exit', onExit);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const stop of stops.reverse()) await stop().catch((err) => say(`while stopping: ${err}`));
    process.removeListener('exit', onExit);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const logFiles = () =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.log')) : [];
  const logs = () =>
    logFiles()
      .map((f) => {
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        return `--- ${f}\n${text.split('\n').slice(-15).join('\n')}`;
      })
      .join('\n');

  try {
    const binaries = await ensureTemporalServer(say);
    const uiServer = await ensureTemporalUiServer(say);
    pg = await startPostgresProcess({ dataDir: dir, port: await freePort() });
    const db = pg;
    stops.push(() => db.stop());
    await applyMigrations(pg.url);

    const cluster = await startTemporalCluster({
      binaries,
      uiServer,
      dataDir: dir,
      postgres: postgresServerOf(pg.url),
      frontendPort: await freePort(),
      uiPort: await freePort(),
      namespace: NAMESPACE,
      progress: say,
    });
    children.push(cluster.server, ...(cluster.ui ? [cluster.ui] : []));
    stops.push(() => cluster.stop());

    const env = {
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      CASCADE_ADMIN_TOKEN: ADMIN_TOKEN,
      NOTIFY_WEBHOOK_URL: undefined,
      LOG_LEVEL: 'warn',
      // The test drives hundreds of unit actions with the admin token within a minute.
      RATE_LIMIT_PER_TOKEN: '100000',
      RATE_LIMIT_PER_CLIENT: '100000',
    };
    const workers = [1, 2].map((i) =>
      spawnApp({
        role: 'worker',
        name: `worker-${i}`,
        env,
        logFile: path.join(dir, `worker-${i}.log`),
      }),
    );
    children.push(...workers.map((w) => w.child));
    stops.push(() => Promise.all(workers.map((w) => w.stop(15_000))));
    const connection = await Connection.connect({ address: cluster.address });
    stops.push(() => connection.close());
    await waitForWorkers(connection, NAMESPACE, TASK_QUEUE, workers);

    const port = await freePort();
    const api = spawnApp({
      role: 'api',
      name: 'api',
      env: { ...env, PORT: String(port) },
      logFile: path.join(dir, 'api.log'),
    });
    children.push(api.child);
    stops.push(() => api.stop(10_000));
    await waitForApi(api, port);

    return {
      dir,
      binaries,
      databaseUrl: pg.url,
      cluster,
      workers,
      api,
      apiUrl: `http://127.0.0.1:${port}`,
      uiUrl: cluster.uiUrl!,
      connection,
      client: new Client({ connection, namespace: NAMESPACE }),
      close,
      logs,
    };
  } catch (err) {
    const detail = logs();
    await close();
    throw new Error(`${err instanceof Error ? err.message : err}\n${detail}`);
  }
}
