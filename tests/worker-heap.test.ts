/**
 * The worker's heap cap (WORKER_MAX_HEAP_MB) is given to Node by its launcher: `npm run
 * worker` passes it, and a worker started without it says so at start-up. Both runs stop
 * at the missing DATABASE_URL, after the heap check.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const env = { ...process.env, DATABASE_URL: '', TEMPORAL_ADDRESS: '', WORKER_MAX_HEAP_MB: '300' };

test('when the worker starts through npm run worker then its heap is capped and it does not warn', () => {
  const run = spawnSync('npm', ['run', '--silent', 'worker'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/DATABASE_URL and TEMPORAL_ADDRESS are required/);
  expect(run.stderr).not.toMatch(/heap limit/);
});

test('when the worker starts without the cap then it warns naming WORKER_MAX_HEAP_MB', () => {
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const run = spawnSync(tsx, ['worker/index.ts'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/the heap limit is \d+ MiB, not WORKER_MAX_HEAP_MB=300/);
});
