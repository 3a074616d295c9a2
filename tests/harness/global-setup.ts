/**
 * One Temporal dev server (in memory, headless) and one fresh PostgreSQL database per test
 * run, shared by every test file. Their addresses are written to a state file that
 * `stack.ts` reads from inside the test workers.
 */
import fs from 'node:fs';
import pg from 'pg';
import { ensureTemporalCli } from '../../stack/temporal-cli';
import { startDevServer } from '../../stack/dev-server';
import { startEmbeddedPostgres } from '../../stack/postgres';
import { applyMigrations } from '../../stack/migrate';
import { freePort, STATE_FILE, TEST_DATA_DIR, type StackState } from './stack-state';

export default async function globalSetup(): Promise<void> {
  // Test files run in this process or in workers forked after this point: both see this,
  // so every file resolves the same per-run data dir.
  process.env.CASCADE_TEST_RUN = `run-${process.pid}`;
  fs.mkdirSync(TEST_DATA_DIR, { recursive: true });
  const cli = await ensureTemporalCli();
  let temporalMetricsPort = 0;
  const server = await startOnFreePort(async (port) => {
    temporalMetricsPort = await freePort();
    return startDevServer({ cliPath: cli, dataDir: TEST_DATA_DIR, port, namespace: 'default', dbFile: null, metricsPort: temporalMetricsPort });
  });

  let databaseUrl = process.env.TEST_DATABASE_URL;
  let stopDb: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    const db = await startEmbeddedPostgres({
      dataDir: TEST_DATA_DIR,
      port: await freePort(),
      database: 'postgres',
    });
    stopDb = db.stop;
    databaseUrl = await recreateDatabase(db.url, 'cascade_test');
  }
  await applyMigrations(databaseUrl);

  const state: StackState = { databaseUrl, temporalAddress: server.address, namespace: 'default', temporalMetricsPort };
  fs.writeFileSync(STATE_FILE, JSON.stringify(state));
  (globalThis as Record<string, unknown>).__cascadeStack = { server, stopDb };
}

/** A fresh database per run, so no test sees another run's rows. */
async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Starts a server on a port picked free; another process on the machine may take that port
 * before ours binds it (the server then refuses or exits), so up to three ports are tried.
 */
async function startOnFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}
