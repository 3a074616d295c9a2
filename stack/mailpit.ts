/**
 * Mailpit, the local mail catcher: `npm start` sends e-mail to it unless SMTP_URL names a real
 * server, and the tests read what arrived through its HTTP API (a real SMTP server, not a mock
 * transport). Found as MAILPIT_PATH, in the cache, on PATH, else built from the Go module
 * proxy once and cached outside the clone, like the Temporal CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../runtime/config';
import { stopChild } from './node-process';
import { portOpen, waitForPort } from './ports';
import { cacheRoot, goInstall, onPath, type Progress } from './temporal-server-build';

export const MAILPIT_VERSION = 'v1.33.1';

export function mailpitCacheDir(): string {
  return path.join(cacheRoot(), `mailpit-${MAILPIT_VERSION}`);
}

/** `mailpit --help` exits 0 without touching anything (`version` asks GitHub for releases). */
function runs(binary: string): boolean {
  return spawnSync(binary, ['--help'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

/** A working `mailpit` binary, built if needed. */
export async function ensureMailpit(progress: Progress = (l) => process.stderr.write(`${l}\n`)): Promise<string> {
  const explicit = loadConfig().MAILPIT_PATH;
  if (explicit) {
    if (!runs(explicit)) throw new Error(`MAILPIT_PATH=${explicit} is not a runnable Mailpit`);
    return explicit;
  }
  const cached = path.join(mailpitCacheDir(), 'mailpit');
  if (fs.existsSync(cached) && runs(cached)) return cached;
  const found = onPath('mailpit');
  if (found && runs(found)) return found;
  await goInstall(
    {
      what: `Mailpit ${MAILPIT_VERSION}`,
      hint: 'MAILPIT_PATH to an existing mailpit binary, or SMTP_URL to a real SMTP server',
      packages: [{ pkg: `github.com/axllent/mailpit@${MAILPIT_VERSION}`, built: 'mailpit', as: 'mailpit' }],
      dir: mailpitCacheDir(),
      minutes: '2-4',
    },
    progress,
  );
  return cached;
}

export interface Mailpit {
  /** smtp://127.0.0.1:<port> */
  smtpUrl: string;
  /** http://127.0.0.1:<port>: the web UI, and its API under /api/v1. */
  httpUrl: string;
  stop(): Promise<void>;
}

export interface MailpitOptions {
  binary: string;
  smtpPort: number;
  httpPort: number;
  /** Its SQLite file; null keeps messages in a temporary file removed on exit. */
  databaseFile: string | null;
  /** Where its log goes. */
  logFile: string;
  /** Recipients it accepts (a regular expression); others get 550. Default: all. */
  allowedRecipients?: string;
}

export async function startMailpit(opts: MailpitOptions): Promise<Mailpit> {
  for (const port of [opts.smtpPort, opts.httpPort]) {
    if (await portOpen(port)) throw new Error(`port ${port} is already in use; set MAILPIT_SMTP_PORT / MAILPIT_UI_PORT, or SMTP_URL`);
  }
  const args = [
    '--smtp', `127.0.0.1:${opts.smtpPort}`,
    '--listen', `127.0.0.1:${opts.httpPort}`,
    '--disable-version-check',
    // Keep every message (its default keeps the last 500): a burst must stay countable.
    '--max', '0',
    '--smtp-max-recipients', '1000',
  ];
  if (opts.databaseFile) args.push('--database', opts.databaseFile);
  if (opts.allowedRecipients) args.push('--smtp-allowed-recipients', opts.allowedRecipients);
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = fs.openSync(opts.logFile, 'a');
  const child = spawn(opts.binary, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await Promise.race([
    Promise.all([waitForPort(opts.smtpPort, 30_000), waitForPort(opts.httpPort, 30_000)]),
    exited.then((code) => {
      throw new Error(`Mailpit exited (code ${code}); see ${opts.logFile}`);
    }),
  ]);
  return {
    smtpUrl: `smtp://127.0.0.1:${opts.smtpPort}`,
    httpUrl: `http://127.0.0.1:${opts.httpPort}`,
    stop: () => stopChild(child, exited, 10_000),
  };
}
