/**
 * Resolves the database the process should use: DATABASE_URL when set, otherwise the
 * embedded PostgreSQL under DATA_DIR — reusing it when `npm start` already runs it, or
 * starting it for the lifetime of this process. Migrations are applied either way.
 */
import path from 'node:path';
import type { Config } from '../runtime/config';
import { applyMigrations } from './migrate';
import { portOpen } from './ports';
import { startEmbeddedPostgres } from './postgres';
import { orphanFrom, stopProcess, writeLaunchRecord } from './orphans';

/** A PostgreSQL left by a start that was killed outright: stop it so this start owns one. */
async function stopOrphanedPostgres(dataDir: string): Promise<void> {
  const orphan = orphanFrom(launchRecord(dataDir));
  if (orphan !== null) await stopProcess(orphan, 'SIGINT'); // SIGINT: PostgreSQL's fast shutdown
}

const launchRecord = (dataDir: string) => path.resolve(dataDir, 'postgres.launch');

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded server if this process started it; otherwise a no-op. */
  stop(): Promise<void>;
}


export async function resolveDatabase(
  config: Config,
  progress: (line: string) => void = () => undefined,
  /** `own`: the caller runs the stack (npm start) and replaces a PostgreSQL orphaned by a killed start. */
  opts: { own?: boolean } = {},
): Promise<ResolvedDatabase> {
  if (config.DATABASE_URL) {
    await applyMigrations(config.DATABASE_URL);
    return { url: config.DATABASE_URL, embedded: false, stop: async () => undefined };
  }
  const port = config.EMBEDDED_POSTGRES_PORT;
  if (opts.own) await stopOrphanedPostgres(config.DATA_DIR);
  if (await portOpen(port)) {
    const url = `postgresql://cascade:cascade@127.0.0.1:${port}/cascade`;
    await applyMigrations(url);
    return { url, embedded: true, stop: async () => undefined };
  }
  progress(`Starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${config.DATA_DIR}/postgres)`);
  const db = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port, database: 'cascade' });
  if (db.pid) writeLaunchRecord(launchRecord(config.DATA_DIR), db.pid);
  try {
    await applyMigrations(db.url);
  } catch (err) {
    await db.stop(); // do not leave a server behind when start-up fails
    throw err;
  }
  return { url: db.url, embedded: true, stop: db.stop };
}
