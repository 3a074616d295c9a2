/**
 * Runs the embedded PostgreSQL for a fault case in a helper process: the npm package is
 * ESM-only, which Jest's module registry cannot load (tests/harness starts it in global
 * setup for the same reason). Reports `{ type: 'ready', url, pid }` over IPC; on
 * `{ type: 'stop' }` stops PostgreSQL (fast shutdown) and exits.
 *
 * Environment: FAULT_PG_DIR, FAULT_PG_PORT.
 */
import { startEmbeddedPostgres } from '../../../stack/postgres';

async function main(): Promise<void> {
  const db = await startEmbeddedPostgres({
    dataDir: process.env.FAULT_PG_DIR!,
    port: Number(process.env.FAULT_PG_PORT),
    database: 'cascade',
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await db.stop();
    process.exit(0);
  };
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  process.send?.({ type: 'ready', url: db.url, pid: db.pid });
}

main().catch((err: unknown) => {
  process.stderr.write(`embedded PostgreSQL failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
