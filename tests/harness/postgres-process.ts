/**
 * PostgreSQL of a test's own, in a helper process (postgres-entry.ts says why), that can be
 * stopped and started again on the same data directory and port: the cluster suite's
 * database, and the one a fault case takes down.
 */
import path from 'node:path';
import { isAlive, stopProcess } from '../../stack/orphans';
import { descendantsOf, signalAll } from '../../stack/process-tree';
import {
  messageOfType,
  spawnNode,
  waitForMessage,
  type NodeProcess,
} from '../../stack/node-process';

export interface PostgresProcessOptions {
  dataDir: string;
  port: number;
  /** Append the helper's output to this file; otherwise it reaches our stderr, prefixed. */
  logFile?: string;
  /** Told of each process started (the helper, the postmaster) and of each one gone: a kill-on-exit safety net. */
  track?: { add(pid: number | undefined): void; remove(pid: number | undefined): void };
}

/** How long the helper has to stop PostgreSQL (fast shutdown) before it and its children are killed. */
const STOP_GRACE_MS = 20_000;
/** How long PostgreSQL may take to start (initdb on a fresh directory included). */
const START_TIMEOUT_MS = 180_000;
/** How long the postmaster may outlive its helper before it is killed. */
const POSTMASTER_GRACE_MS = 5_000;

export class PostgresProcess {
  private helper: NodeProcess | undefined;
  private postmaster: number | undefined;
  url = '';

  constructor(private readonly opts: PostgresProcessOptions) {}

  /** The postmaster's pid while it runs. */
  get pid(): number | undefined {
    return this.postmaster;
  }

  async start(): Promise<void> {
    const helper = spawnNode({
      name: 'postgres',
      entry: path.join(__dirname, 'postgres-entry.ts'),
      args: [this.opts.dataDir, String(this.opts.port)],
      ...(this.opts.logFile ? { logFile: this.opts.logFile } : {}),
      ipc: true,
    });
    this.helper = helper;
    this.opts.track?.add(helper.child.pid);
    const ready = await waitForMessage(
      helper,
      messageOfType<{ type: 'ready'; url: string; pid: number | null }>('ready'),
      START_TIMEOUT_MS,
    ).catch(async (err: unknown) => {
      // Nothing half-started stays behind (a postmaster holding the port and data directory).
      await this.stop().catch(() => undefined);
      throw err;
    });
    this.url = ready.url;
    this.postmaster = ready.pid ?? undefined;
    this.opts.track?.add(this.postmaster);
  }

  /**
   * Fast shutdown through the helper; resolves once the postmaster and its backends are gone
   * too. Bounded whatever state PostgreSQL is in: what does not stop in time is killed.
   */
  async stop(): Promise<void> {
    const helper = this.helper;
    const postmaster = this.postmaster;
    const backends = postmaster ? descendantsOf(postmaster) : [];
    try {
      await helper?.stop(STOP_GRACE_MS);
    } finally {
      // The postmaster must be gone before a restart can take the port and data directory.
      if (postmaster) await stopProcess(postmaster, 'SIGINT', POSTMASTER_GRACE_MS);
      signalAll(backends.filter(isAlive), 'SIGKILL');
      this.opts.track?.remove(helper?.child.pid);
      this.opts.track?.remove(postmaster);
      this.helper = undefined;
      this.postmaster = undefined;
    }
  }
}

/** A PostgreSQL helper process, started. */
export async function startPostgresProcess(opts: PostgresProcessOptions): Promise<PostgresProcess> {
  const pg = new PostgresProcess(opts);
  await pg.start();
  return pg;
}
