/**
 * A Mailpit of a test file's own, on free ports, and what arrived in it read through its HTTP
 * API: the tests send over real SMTP and check real messages.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureMailpit, startMailpit, type Mailpit } from '../../stack/mailpit';
import { freePort } from '../../stack/ports';

export interface ArrivedMail {
  ID: string;
  MessageID: string;
  Subject: string;
  To: Array<{ Address: string }>;
}

export interface TestMailpit {
  smtpUrl: string;
  /** Stops it (an SMTP outage); `start` brings it back on the same ports. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  close(): Promise<void>;
  /** Every message that arrived since this instance started (newest first). */
  messages(): Promise<ArrivedMail[]>;
  /** One message's text and HTML parts. */
  message(id: string): Promise<{ Text: string; HTML: string; Subject: string; MessageID: string }>;
}

export async function startTestMailpit(opts: { allowedRecipients?: string } = {}): Promise<TestMailpit> {
  const binary = await ensureMailpit();
  const smtpPort = await freePort();
  const httpPort = await freePort();
  const logFile = path.join(os.tmpdir(), `mailpit-test-${process.pid}-${smtpPort}.log`);
  // A file, not memory: what arrived before an outage is still counted after it.
  const databaseFile = path.join(os.tmpdir(), `mailpit-test-${process.pid}-${smtpPort}.db`);
  const launch = () =>
    startMailpit({
      binary,
      smtpPort,
      httpPort,
      databaseFile,
      logFile,
      ...(opts.allowedRecipients ? { allowedRecipients: opts.allowedRecipients } : {}),
    });
  let current: Mailpit | null = await launch();
  const api = async <T>(p: string): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${httpPort}/api/v1${p}`);
    if (!res.ok) throw new Error(`Mailpit ${p}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    async stop() {
      await current?.stop();
      current = null;
    },
    async close() {
      await current?.stop();
      current = null;
      for (const f of [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`, logFile]) fs.rmSync(f, { force: true });
    },
    async start() {
      current ??= await launch();
    },
    messages: async () => (await api<{ messages: ArrivedMail[] }>('/messages?limit=100000')).messages,
    message: (id) => api(`/message/${id}`),
  };
}
