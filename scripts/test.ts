/**
 * `npm test`: provisions what the tests need on a fresh machine (the Prisma client, the
 * Temporal CLI, the Java time-skipping test server, Mailpit, Prometheus's promtool — each
 * cached after the first run),
 * type-checks, lints, then runs Jest. Extra arguments go to Jest.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureTemporalCli } from '../stack/temporal-cli';
import { ensureJavaTestServer } from '../stack/java-test-server';
import { ensureMailpit } from '../stack/mailpit';
import { ensurePromtool } from '../stack/promtool';
import { generatePrismaClient } from '../stack/prisma-generate';

const say = (line: string) => process.stderr.write(`[test] ${line}\n`);

const bin = (name: string) => path.resolve(__dirname, '..', 'node_modules', '.bin', name);

/** Runs a check before the tests, so type errors and lint findings fail CI too. */
function check(label: string, command: string, args: string[]): boolean {
  say(label);
  const run = spawnSync(bin(command), args, { stdio: 'inherit' });
  return run.status === 0;
}

async function main(): Promise<number> {
  generatePrismaClient();
  if (!check('type-checking (tsc --noEmit)', 'tsc', ['--noEmit', '-p', '.'])) return 1;
  if (!check('linting (eslint)', 'eslint', ['.'])) return 1;
  const cli = await ensureTemporalCli(say);
  const testServer = await ensureJavaTestServer(say);
  const mailpit = await ensureMailpit(say);
  const promtool = await ensurePromtool(say);
  const run = spawnSync(bin('jest'), ['--runInBand', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TEMPORAL_CLI_PATH: cli, TEMPORAL_TEST_SERVER_PATH: testServer, MAILPIT_PATH: mailpit, PROMTOOL_PATH: promtool },
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
