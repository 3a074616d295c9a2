/**
 * The one way the stack scripts, the test suites and the benchmark run a Node script as a
 * child process (a worker, the API, the PostgreSQL helper): tsx-loaded, environment on top
 * of ours, output to a file, to our stderr line by line, or passed through, an optional IPC
 * channel, and a stop that always ends (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childEnv } from '../runtime/config';
import { isAlive } from './orphans';
import { descendantsOf, signalAll } from './process-tree';

const root = path.resolve(__dirname, '..');

export interface NodeProcess {
  name: string;
  child: ChildProcess;
  /** The log file given at spawn, for error messages. */
  logFile?: string;
  /** Resolves with the exit code (null when ended by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnNodeInput {
  name: string;
  /** The script, absolute or from the repository root. */
  entry: string;
  /** Arguments after the script. */
  args?: string[];
  /** Added to this process's environment; an undefined value removes the variable. */
  env?: Record<string, string | undefined>;
  /** Node flags ahead of the script (heap cap, profilers, GC tracing). */
  nodeArgs?: string[];
  /** Append stdout and stderr to this file. */
  logFile?: string;
  /** Without a log file: each line to our stderr prefixed with `[name]` (default), or as is. */
  output?: 'prefixed' | 'inherit';
  /** Open an IPC channel (as `fork` does), for scripts that report over `process.send`. */
  ipc?: boolean;
}

/** Starts `node --import tsx <entry>` in the repository root. */
export function spawnNode(input: SpawnNodeInput): NodeProcess {
  const fd = input.logFile ? fs.openSync(input.logFile, 'a') : undefined;
  const out = fd ?? (input.output === 'inherit' ? 'inherit' : 'pipe');
  const child = spawn(
    process.execPath,
    [...(input.nodeArgs ?? []), '--import', 'tsx', input.entry, ...(input.args ?? [])],
    {
      cwd: root,
      env: childEnv(input.env),
      stdio: ['ignore', out, out, ...(input.ipc ? (['ipc'] as const) : [])],
    },
  );
  if (fd !== undefined) fs.closeSync(fd);
  if (out === 'pipe') {
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) process.stderr.write(`[${input.name}] ${line}\n`);
      });
    }
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    name: input.name,
    child,
    ...(input.logFile ? { logFile: input.logFile } : {}),
    exited,
    stop: (graceMs = 30_000) => stopChild(child, exited, graceMs),
  };
}

/** How long a process has to vanish after SIGKILL before the stop gives up on it. */
export const KILL_WAIT_MS = 5_000;

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * SIGTERM (or `signal`), then SIGKILL to the process and everything it started after
 * `graceMs`; resolves once `exited` does. Always ends: a process still there
 * KILL_WAIT_MS after SIGKILL (stuck in the kernel) is an error, not a wait. Children the
 * process leaves behind when it exits on its own are killed too, so nothing outlives a stop.
 */
export async function stopChild(
  child: ChildProcess,
  exited: Promise<unknown>,
  graceMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const children = descendantsOf(pid);
  child.kill(signal);
  if (!(await settlesWithin(exited, graceMs))) {
    signalAll([pid, ...children, ...descendantsOf(pid)], 'SIGKILL');
    if (!(await settlesWithin(exited, KILL_WAIT_MS))) {
      throw new Error(`process ${pid} did not exit within ${KILL_WAIT_MS} ms of SIGKILL`);
    }
  }
  signalAll(children.filter(isAlive), 'SIGKILL');
}

/** How a process ended, for an error message: `code 1` or `SIGKILL`. */
export function exitReason(child: ChildProcess): string {
  return child.signalCode ?? `code ${child.exitCode}`;
}

/**
 * The first IPC message `pick` accepts (returns a value for). Rejects when the process
 * exits first, or after `timeoutMs` when given.
 */
export function waitForMessage<T>(
  proc: NodeProcess,
  pick: (message: unknown) => T | undefined,
  timeoutMs?: number,
): Promise<T> {
  const { child } = proc;
  const see = proc.logFile ? `; see ${proc.logFile}` : '';
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: unknown) => {
      const value = pick(message);
      if (value === undefined) return;
      done();
      resolve(value);
    };
    const onExit = () => {
      done();
      reject(new Error(`${proc.name} exited (${exitReason(child)}) before it was ready${see}`));
    };
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            done();
            reject(new Error(`${proc.name} was not ready within ${timeoutMs} ms${see}`));
          }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) onExit();
  });
}

/** A `pick` for waitForMessage: the message itself when its `type` is `type` (`{ type: 'ready', … }`). */
export const messageOfType =
  <M extends { type?: string }>(type: string) =>
  (message: unknown): M | undefined =>
    (message as M | null)?.type === type ? (message as M) : undefined;
