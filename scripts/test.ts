/**
 * `npm test`: provisions what the tests need on a fresh machine (the Prisma client, the
 * Temporal CLI, the Java time-skipping test server — each cached after the first run),
 * then runs Jest. Extra arguments go to Jest.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureTemporalCli } from '../lib/temporal-cli';
import { ensureJavaTestServer } from '../lib/java-test-server';
import { generatePrismaClient } from '../lib/prisma-generate';

const say = (line: string) => process.stderr.write(`[test] ${line}\n`);

async function main(): Promise<number> {
  generatePrismaClient();
  const cli = await ensureTemporalCli(say);
  const testServer = await ensureJavaTestServer(say);
  const jest = path.resolve(__dirname, '..', 'node_modules', '.bin', 'jest');
  const run = spawnSync(jest, ['--runInBand', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TEMPORAL_CLI_PATH: cli, TEMPORAL_TEST_SERVER_PATH: testServer },
  });
  return run.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
