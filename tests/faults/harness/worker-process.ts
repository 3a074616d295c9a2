/**
 * The worker child as seen from a fault case: start it, `kill -9` it, and — like a
 * process supervisor (systemd, Docker's restart policy) — start it again when it exits
 * on its own (e.g. it could not reach Temporal at start-up). Counts what happened.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { forgetPid, trackPid } from './cleanup';

export interface WorkerEnv {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  bundlePath: string;
  webhookUrl?: string;
}

const ENTRY = path.resolve(__dirname, 'worker-entry.ts');
const READY_TIMEOUT_MS = 180_000;

export class WorkerProcess {
  private proc: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** Set while we stop or kill it on purpose, so the supervisor does not restart it. */
  private intended = false;
  private closed = false;
  starts = 0;
  kills = 0;
  /** Exits we did not cause (crashes); each was followed by a restart. */
  unexpectedExits = 0;
  private restarting: Promise<void> | undefined;

  constructor(
    private readonly env: WorkerEnv,
    private readonly logFile: string,
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Starts the child and resolves once it polls (or rejects if it dies first). */
  async start(): Promise<void> {
    this.intended = false;
    const log = fs.openSync(this.logFile, 'a');
    const proc = fork(ENTRY, [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        FAULT_DATABASE_URL: this.env.databaseUrl,
        FAULT_TEMPORAL_ADDRESS: this.env.temporalAddress,
        FAULT_TASK_QUEUE: this.env.taskQueue,
        FAULT_BUNDLE_PATH: this.env.bundlePath,
        ...(this.env.webhookUrl ? { FAULT_WEBHOOK_URL: this.env.webhookUrl } : {}),
      },
      stdio: ['ignore', log, log, 'ipc'],
    });
    fs.closeSync(log);
    this.proc = proc;
    this.starts++;
    trackPid(proc.pid);
    this.exited = new Promise<void>((resolve) =>
      proc.once('exit', () => {
        forgetPid(proc.pid);
        resolve();
      }),
    );
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the worker was not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      proc.on('message', (m: { type?: string }) => {
        if (m?.type === 'ready') {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the worker exited (${signal ?? code}) before it was ready; see ${this.logFile}`));
      });
    });
    proc.once('exit', () => {
      if (!this.intended && !this.closed) this.superviseRestart();
    });
    await ready;
  }

  /** A supervisor's restart: again and again, 2 s apart, until it comes up or we close. */
  private superviseRestart(): void {
    this.unexpectedExits++;
    this.restarting = (async () => {
      while (!this.closed && !this.intended) {
        await new Promise((r) => setTimeout(r, 2000));
        if (this.closed || this.intended) return;
        try {
          await this.start();
          return;
        } catch {
          // start() counted the exit and its own exit handler restarts again
          return;
        }
      }
    })();
  }

  /** `kill -9`: no drain, no goodbye. */
  async kill9(): Promise<void> {
    this.intended = true;
    await this.restarting;
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      this.kills++;
    }
    await this.exited;
  }

  async restart(): Promise<void> {
    await this.start();
  }

  /** Graceful stop (SIGKILL after 15 s); the supervisor stays away for good. */
  async close(): Promise<void> {
    this.closed = true;
    this.intended = true;
    await this.restarting?.catch(() => undefined);
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      if (proc.connected) proc.send({ type: 'shutdown' });
      else proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}
