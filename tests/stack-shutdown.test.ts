/**
 * Every stop ends: a process that ignores SIGTERM is killed after its grace period together
 * with what it started, and a stack whose part never finishes stopping still closes, its
 * other parts stopped.
 */
import { spawn } from 'node:child_process';
import { isAlive } from '../stack/orphans';
import { stopChild, KILL_WAIT_MS } from '../stack/node-process';
import { descendantsOf } from '../stack/process-tree';
import { runStopSteps } from '../stack/shutdown';
import { waitFor } from '../stack/wait';

/** A Node process that ignores SIGTERM and starts a grandchild that ignores it too. */
const STUBBORN = `
  process.on('SIGTERM', () => {});
  require('node:child_process').spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
  setInterval(() => {}, 1000);
`;

function spawnStubborn() {
  const child = spawn(process.execPath, ['-e', STUBBORN], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, exited };
}

test('when a process ignores SIGTERM then stop kills it and its child within the grace period plus the kill wait', async () => {
  const { child, exited } = spawnStubborn();
  const [grandchild] = await waitFor(() => descendantsOf(child.pid!), (d) => d.length === 1, 'the grandchild to start', 10_000, 50);
  const graceMs = 500;
  const started = Date.now();
  await stopChild(child, exited, graceMs);
  const tookMs = Date.now() - started;

  expect(child.signalCode).toBe('SIGKILL');
  expect(tookMs).toBeGreaterThanOrEqual(graceMs);
  expect(tookMs).toBeLessThan(graceMs + KILL_WAIT_MS);
  await waitFor(() => isAlive(grandchild!), (alive) => !alive, 'the grandchild to be gone', 5_000, 50);
});

test('when a process exits on SIGTERM then stop resolves without SIGKILL', async () => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await stopChild(child, exited, 30_000);
  expect(child.signalCode).toBe('SIGTERM');
});

test('when one part of a stack never finishes stopping then close reports it and still stops the parts after it', async () => {
  const { child, exited } = spawnStubborn();
  const stopped: string[] = [];
  const problems = await runStopSteps([
    { what: 'API', stop: () => void stopped.push('API') },
    { what: 'database pool', stop: () => new Promise<void>(() => undefined), timeoutMs: 300 },
    { what: 'broken part', stop: () => Promise.reject(new Error('socket closed')) },
    { what: 'server', stop: () => stopChild(child, exited, 200).then(() => void stopped.push('server')) },
  ]);

  expect(stopped).toEqual(['API', 'server']);
  expect(problems).toEqual([
    'stopping database pool did not finish within 300 ms',
    'stopping broken part failed: socket closed',
  ]);
  expect(isAlive(child.pid!)).toBe(false);
});
