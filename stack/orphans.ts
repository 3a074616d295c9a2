/**
 * Telling an orphan from a live sibling. Every server we launch gets a pid file naming it
 * and the process that launched it. When the launcher is gone (killed outright: SIGKILL,
 * a crashed terminal) the server is an orphan, ours to stop and replace; when the
 * launcher still runs, the server belongs to another `npm start` and is left alone.
 */
import fs from 'node:fs';
import { sleep } from './wait';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function writeLaunchRecord(file: string, serverPid: number): void {
  fs.writeFileSync(file, `${serverPid} ${process.pid}\n`);
}

/** The server named by a launch record if its launcher has died, else null. */
export function orphanFrom(file: string): number | null {
  if (!fs.existsSync(file)) return null;
  const [server, launcher] = fs.readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
  if (!server || !isAlive(server)) return null;
  if (launcher && isAlive(launcher)) {
    throw new Error(`a server (pid ${server}) launched by a running process (pid ${launcher}) already uses ${file}; stop that first`);
  }
  return server;
}

/**
 * Sends `signal`, waits up to `ms` for the process to go, then SIGKILLs it and waits up to
 * 5 s more; resolves either way (a process SIGKILL cannot end is stuck in the kernel).
 */
export async function stopProcess(pid: number, signal: NodeJS.Signals, ms = 10_000): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return; // already gone
  }
  for (let waited = 0; waited < ms && isAlive(pid); waited += 100) await sleep(100);
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGKILL');
  for (let waited = 0; waited < 5_000 && isAlive(pid); waited += 100) await sleep(100);
}
