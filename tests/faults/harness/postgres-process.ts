/**
 * PostgreSQL for a fault case that can be stopped and started again on the same data
 * directory and port (see postgres-entry.ts for why it lives in a helper process).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { forgetPid, isAlive, trackPid } from './cleanup';
import { sleep } from './util';

const ENTRY = path.resolve(__dirname, 'postgres-entry.ts');

export class PostgresProcess {
  private helper: ChildProcess | undefined;
  private postmaster: number | undefined;
  url = '';

  constructor(
    private readonly dataDir: string,
    private readonly port: number,
  ) {}

  async start(): Promise<void> {
    const log = fs.openSync(path.join(this.dataDir, 'postgres-helper.log'), 'a');
    const helper = fork(ENTRY, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, FAULT_PG_DIR: this.dataDir, FAULT_PG_PORT: String(this.port) },
      stdio: ['ignore', log, log, 'ipc'],
    });
    fs.closeSync(log);
    this.helper = helper;
    trackPid(helper.pid);
    const ready = await new Promise<{ url: string; pid: number | null }>((resolve, reject) => {
      helper.on('message', (m: { type?: string; url?: string; pid?: number | null }) => {
        if (m?.type === 'ready') resolve({ url: m.url!, pid: m.pid ?? null });
      });
      helper.once('exit', (code) => reject(new Error(`embedded PostgreSQL did not start (exit ${code}); see ${this.dataDir}/postgres-helper.log`)));
    });
    this.url = ready.url;
    this.postmaster = ready.pid ?? undefined;
    trackPid(this.postmaster);
  }

  /** Fast shutdown (SIGINT to the postmaster through the package); waits until it is gone. */
  async stop(): Promise<void> {
    const helper = this.helper;
    if (helper && helper.exitCode === null && helper.signalCode === null) {
      const exited = new Promise<void>((resolve) => helper.once('exit', () => resolve()));
      if (helper.connected) helper.send({ type: 'stop' });
      else helper.kill('SIGTERM');
      const timer = setTimeout(() => helper.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    forgetPid(helper?.pid);
    // The postmaster must be gone before a restart can take the port and data directory.
    for (let i = 0; this.postmaster && isAlive(this.postmaster) && i < 300; i++) await sleep(100);
    if (this.postmaster && isAlive(this.postmaster)) process.kill(this.postmaster, 'SIGKILL');
    forgetPid(this.postmaster);
    this.helper = undefined;
  }
}
