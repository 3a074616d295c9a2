/** The dev server provisioning survives a start that was killed outright. */
import fs from 'node:fs';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { listensOn } from '../stack/ports';
import os from 'node:os';
import path from 'node:path';
import { ensureTemporalCli } from '../stack/temporal-cli';
import { startDevServer } from '../stack/dev-server';
import { freePort } from './harness/stack-state';

jest.setTimeout(120_000);

/** A pid that cannot be alive: the launcher of a start that was killed outright. */
const DEAD_LAUNCHER = 2 ** 22 + 1;

test('when an earlier start was killed and left its dev server running then the next start replaces it', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devserver-'));
  const port = await freePort();
  const cli = await ensureTemporalCli(() => undefined);
  const orphan = await startDevServer({ cliPath: cli, dataDir, port, namespace: 'default' });
  // Simulate `kill -9` of npm start: nobody calls stop(), and the launcher is gone.
  fs.writeFileSync(path.join(dataDir, `temporal-${port}.pid`), `${orphan.process.pid} ${DEAD_LAUNCHER}\n`);
  const second = await startDevServer({ cliPath: cli, dataDir, port, namespace: 'default' });
  try {
    expect(orphan.process.exitCode !== null || orphan.process.signalCode !== null).toBe(true);
    expect(second.process.pid).not.toBe(orphan.process.pid);
  } finally {
    await second.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('when another running start owns the dev server then a second start refuses and leaves it alone', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devserver-'));
  const port = await freePort();
  const cli = await ensureTemporalCli(() => undefined);
  const first = await startDevServer({ cliPath: cli, dataDir, port, namespace: 'default' });
  try {
    await expect(startDevServer({ cliPath: cli, dataDir, port, namespace: 'default' })).rejects.toThrow(
      /launched by a running process/,
    );
    expect(first.process.exitCode).toBeNull();
  } finally {
    await first.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('when the port is taken by something else then start-up says so', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devserver-'));
  const net = await import('node:net');
  const blocker = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => blocker.once('listening', r));
  const port = (blocker.address() as { port: number }).port;
  try {
    const cli = await ensureTemporalCli(() => undefined);
    await expect(startDevServer({ cliPath: cli, dataDir, port, namespace: 'default' })).rejects.toThrow(
      `port ${port} is already in use`,
    );
  } finally {
    blocker.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('when a port is listened on then listensOn names its owner and no other process', async () => {
  // What startDevServer checks once its port answers: that the listener is the server it
  // started, not a process that took the port between the free-port pick and the bind.
  const port = await freePort();
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
  try {
    expect(listensOn(process.pid, port)).toBe(true);
    expect(listensOn(other.pid!, port)).toBe(false);
  } finally {
    other.kill('SIGKILL');
    await new Promise((resolve) => server.close(resolve));
  }
  expect(listensOn(process.pid, port)).toBe(false);
});
