/**
 * PostgreSQL of a test's own, in a helper process (postgres-entry.ts says why), that can be
 * stopped and started again on the same data directory and port: the cluster suite's
 * database, and the one a fault case takes down.
 */
import path from 'node:path';
import { isAlive } from '../../stack/orphans';
import {
  messageOfType,
  spawnNode,
  waitForMessage,
  type NodeProcess,
} from '../../stack/node-process';
import { waitFor } from '../../stack/wait';

export interface PostgresProcessOptions {
  dataDir: string;
  port: number;
  /** Append the helper's output to this file; otherwise it reaches our stderr, prefixed. */
  logFile?: string;
  /** Told of each process started (the helper, the postmaster) and of each one gone: a kill-on-exit safety net. */
  track?: { add(pid: number | undefined): void; remove(pid: number | undefined): void };
}

/** How long the helper has to stop PostgreSQL before it is killed, and the postmaster after it. */
const STOP_GRACE_MS = 30_000;

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
    );
    this.url = ready.url;
    this.postmaster = ready.pid ?? undefined;
    this.opts.track?.add(this.postmaster);
  }

  /** Fast shutdown through the helper; resolves once the postmaster is gone too. */
  async stop(): Promise<void> {
    const helper = this.helper;
    await helper?.stop(STOP_GRACE_MS);
    this.opts.track?.remove(helper?.child.pid);
    // The postmaster must be gone before a restart can take the port and data directory.
    const postmaster = this.postmaster;
    if (postmaster) {
      await waitFor(
        () => isAlive(postmaster),
        (alive) => !alive,
        'the postmaster to exit',
        STOP_GRACE_MS,
        100,
      ).catch(() => {
        try {
          process.kill(postmaster, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      });
    }
    this.opts.track?.remove(postmaster);
    this.helper = undefined;
    this.postmaster = undefined;
  }
}

/** A PostgreSQL helper process, started. */
export async function startPostgresProcess(opts: PostgresProcessOptions): Promise<PostgresProcess> {
  const pg = new PostgresProcess(opts);
  await pg.start();
  return pg;
}
