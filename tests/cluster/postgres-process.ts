/** Starts postgres-entry.ts (embedded PostgreSQL) as a child process and stops it. */
import { fork } from 'node:child_process';
import path from 'node:path';

export interface PostgresProcess {
  url: string;
  /** The postmaster's pid. */
  pid: number | null;
  stop(): Promise<void>;
}

export async function startPostgresProcess(
  dataDir: string,
  port: number,
): Promise<PostgresProcess> {
  const child = fork(path.join(__dirname, 'postgres-entry.ts'), [dataDir, String(port)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const ready = await new Promise<{ url: string; pid: number | null }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; pid: number | null }));
    child.once('exit', (code) =>
      reject(new Error(`embedded PostgreSQL exited (code ${code}) before it was ready`)),
    );
  });
  return {
    ...ready,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
