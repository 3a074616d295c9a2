/**
 * `npm run test:faults`: the slow fault suite. Provisions what it needs (Prisma client,
 * Temporal CLI), names the run, runs Jest with jest.faults.config.js (extra arguments go
 * to Jest, e.g. `npm run test:faults -- tests/faults/worker-kill.fault.ts`), then prints
 * the run's table (tests/faults/report.ts) and exits with Jest's status.
 * FAULT_MIN_UNITS (default 1500) sizes the cascades; FAULT_KEEP_DATA=1 keeps every case's
 * databases and logs under .data/faults/ (a failed case keeps them anyway); FAULT_PEER_WORKERS
 * (default 1) is how many worker processes run beside the one the cases kill: two workers in
 * all, as docker-compose.yml runs them; 0 measures a single-worker deployment.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { generatePrismaClient } from '../../stack/prisma-generate';
import { ensureTemporalCli } from '../../stack/temporal-cli';

const root = path.resolve(__dirname, '..', '..');
const say = (line: string) => process.stderr.write(`[faults] ${line}\n`);

async function main(): Promise<number> {
  generatePrismaClient();
  const cli = await ensureTemporalCli(say);
  const runId = process.env.FAULT_RUN_ID ?? `run-${new Date().toISOString()}`;
  say(`run ${runId}`);
  const jest = spawnSync(
    path.join(root, 'node_modules', '.bin', 'jest'),
    ['-c', 'jest.faults.config.js', '--runInBand', ...process.argv.slice(2)],
    { cwd: root, stdio: 'inherit', env: { ...process.env, FAULT_RUN_ID: runId, TEMPORAL_CLI_PATH: cli } },
  );
  spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(__dirname, 'report.ts'), '--run', runId], {
    cwd: root,
    stdio: 'inherit',
  });
  return jest.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
