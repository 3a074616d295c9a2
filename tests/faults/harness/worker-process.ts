/**
 * The worker child as seen from a fault case: start it, `kill -9` it, and — like a
 * process supervisor (systemd, Docker's restart policy) — start it again when it exits
 * on its own (e.g. it could not reach Temporal at start-up). Counts what happened.
 */
import path from 'node:path';
import { spawnApp, type AppProcess } from '../../../stack/app-processes';
import { messageOfType, waitForMessage } from '../../../stack/node-process';
import { sleep } from '../../../stack/wait';
import { forgetPid, trackPid } from './cleanup';

export interface WorkerEnv {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  bundlePath: string;
  webhookUrl?: string;
  /** Send e-mail to people through this SMTP server (the stack's Mailpit). */
  smtpUrl?: string;
}

const ENTRY = path.resolve(__dirname, 'worker-entry.ts');
const READY_TIMEOUT_MS = 180_000;
/** How long a graceful stop may drain before the worker is killed. */
const STOP_GRACE_MS = 15_000;

export class WorkerProcess {
  private app: AppProcess | undefined;
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
    return this.app?.child.pid;
  }

  /** Starts the child and resolves once it polls (or rejects if it dies first). */
  async start(): Promise<void> {
    this.intended = false;
    const app = spawnApp({
      role: 'worker',
      name: 'the fault worker',
      entry: ENTRY,
      env: {
        FAULT_DATABASE_URL: this.env.databaseUrl,
        FAULT_TEMPORAL_ADDRESS: this.env.temporalAddress,
        FAULT_TASK_QUEUE: this.env.taskQueue,
        FAULT_BUNDLE_PATH: this.env.bundlePath,
        ...(this.env.webhookUrl ? { FAULT_WEBHOOK_URL: this.env.webhookUrl } : {}),
        ...(this.env.smtpUrl ? { FAULT_SMTP_URL: this.env.smtpUrl } : {}),
      },
      logFile: this.logFile,
      ipc: true,
    });
    this.app = app;
    this.starts++;
    trackPid(app.child.pid);
    void app.exited.then(() => {
      forgetPid(app.child.pid);
      if (!this.intended && !this.closed) this.superviseRestart();
    });
    await waitForMessage(app, messageOfType('ready'), READY_TIMEOUT_MS).catch(async (err: unknown) => {
      // One that never became ready is not left running (the supervisor starts another).
      await app.stop(STOP_GRACE_MS).catch(() => undefined);
      throw err;
    });
  }

  /** A supervisor's restart: again and again, 2 s apart, until it comes up or we close. */
  private superviseRestart(): void {
    this.unexpectedExits++;
    this.restarting = (async () => {
      while (!this.closed && !this.intended) {
        await sleep(2000);
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
    const app = this.app;
    if (app && app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill('SIGKILL');
      this.kills++;
    }
    await app?.exited;
  }

  async restart(): Promise<void> {
    await this.start();
  }

  /** Graceful stop (SIGTERM, SIGKILL after 15 s); the supervisor stays away for good. */
  async close(): Promise<void> {
    this.closed = true;
    this.intended = true;
    await this.restarting?.catch(() => undefined);
    await this.app?.stop(STOP_GRACE_MS);
  }
}
