/**
 * The controllable stack a fault case runs on:
 * - `own` (the slow suite): an embedded PostgreSQL that can be stopped and started again on
 *   its data directory, and a Temporal dev server on a SQLite file that can be stopped and
 *   restarted on the same database (same port);
 * - `shared` (the fast subset in `npm test`): the run's dev server and database from
 *   tests/harness, which the case must not stop.
 * Both: the cascade worker in a child process (kill -9, supervised restarts), in `own` mode
 * with peer workers beside it (peerWorkerCount), the API
 * in-process (createApp) on a real listener, and a webhook receiver the case controls.
 * `close()` stops all of it, also after a failure.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createApp } from '../../../api/app';
import { createDb, type Db } from '../../../read-model/db';
import { loadConfig } from '../../../runtime/config';
import { temporalConnectionOptions } from '../../../runtime/temporal-connection';
import { setLogLevel } from '../../../runtime/log';
import { startDevServer, type DevServer } from '../../../stack/dev-server';
import { applyMigrations } from '../../../stack/migrate';
import { freePort } from '../../../stack/ports';
import { ensureTemporalCli } from '../../../stack/temporal-cli';
import { workflowsPath } from '../../../worker/create-worker';
import { sleep } from '../../../stack/wait';
import { PostgresProcess } from '../../harness/postgres-process';
import { uniqueSuffix } from '../../harness/stack';
import { killTracked, trackPid, forgetPid } from './cleanup';
import { runStopSteps, type StopStep } from '../../../stack/shutdown';
import { ApiClient } from './api-client';
import { WebhookReceiver } from './webhook';
import { startTestMailpit, type TestMailpit } from '../../harness/mailpit';
import { WorkerProcess } from './worker-process';

/** A process's own stop is bounded (SIGTERM, SIGKILL after its grace); this bounds the step around it. */
const PROCESS_STOP_TIMEOUT_MS = 60_000;

/**
 * Worker processes beside the one the cases kill (FAULT_PEER_WORKERS, default 1): two in
 * all, as docker-compose.yml runs them. 0 measures a single-worker deployment.
 */
export function peerWorkerCount(): number {
  const raw = process.env.FAULT_PEER_WORKERS ?? '1';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`FAULT_PEER_WORKERS must be a whole number ≥ 0, got "${raw}"`);
  return n;
}

export const FAULT_ADMIN_TOKEN = 'fault-admin-token-0123456789abcdef';
const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface FaultStackOptions {
  /** Names the data directory and the task queue. */
  name: string;
  mode: 'own' | 'shared';
  /** Run the outbox sender in the worker, to the stack's webhook receiver. */
  outbox?: boolean;
  /** Run a Mailpit and the worker's mail sender to it. */
  mail?: boolean;
}

export interface FaultStack {
  name: string;
  dataDir: string;
  taskQueue: string;
  databaseUrl: string;
  temporalAddress: string;
  cliPath: string;
  db: Db;
  client: Client;
  api: ApiClient;
  webhook: WebhookReceiver;
  worker: WorkerProcess;
  /** The workers beside `worker` on the same task queues, never killed (peerWorkerCount). */
  peers: WorkerProcess[];
  /** Whether the worker drains the outbox to `webhook` (only then must notifications arrive). */
  outbox: boolean;
  /** The SMTP server the worker e-mails people through (with `mail`). */
  mailpit: TestMailpit | null;
  /** Keep the databases and logs after close (set when a case failed, to look at them). */
  keepData: boolean;
  /** Stops the dev server (own mode); its SQLite file stays. */
  stopTemporal(): Promise<void>;
  /** Starts it again on the same port and database file. */
  startTemporal(): Promise<void>;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  close(): Promise<void>;
}

/** Every file the workflow bundle is built from: workflow code may import only these (eslint). */
function bundleInputsHash(): string {
  const hash = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(ts|json)$/.test(entry.name)) hash.update(file).update(fs.readFileSync(file));
    }
  };
  for (const dir of ['workflows', 'contract', 'domain']) walk(path.join(ROOT, dir));
  hash.update(fs.readFileSync(path.join(ROOT, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The workflow bundle, built once per version of the workflow code and cached under
 * .data/faults/bundles/; the worker child loads it instead of bundling at every (re)start.
 */
async function workflowBundle(): Promise<string> {
  const file = path.join(ROOT, '.data', 'faults', 'bundles', `workflows-${bundleInputsHash()}.js`);
  if (fs.existsSync(file)) return file;
  const noop = () => undefined;
  const bundle = await bundleWorkflowCode({
    workflowsPath,
    ignoreModules: ['node:fs', 'node:path'],
    logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: console.error },
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, bundle.code);
  fs.renameSync(partial, file);
  return file;
}

/**
 * The API's structured log lines (a PostgreSQL outage makes hundreds of 500s) go to a
 * file instead of the test output; everything else still reaches stderr.
 */
function divertApiLogs(file: string): () => void {
  const original = process.stderr.write.bind(process.stderr);
  const fd = fs.openSync(file, 'a');
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    if (text.startsWith('{"level":')) {
      fs.writeSync(fd, text);
      return true;
    }
    return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  return () => {
    process.stderr.write = original;
    fs.closeSync(fd);
  };
}

export async function startFaultStack(opts: FaultStackOptions): Promise<FaultStack> {
  const suffix = uniqueSuffix();
  // What to stop, in the order started; close() stops them last first, each bounded
  // (stack/shutdown.ts), then SIGKILLs any process of the case still alive.
  const stops: StopStep[] = [];
  const push = (what: string, stop: () => Promise<void> | void, timeoutMs?: number) =>
    stops.push({ what, stop, ...(timeoutMs ? { timeoutMs } : {}) });
  const close = async () => {
    const steps = stops.splice(0).reverse();
    const problems = await runStopSteps(steps);
    const killed = killTracked();
    if (killed.length) problems.push(`killed what was still running: pids ${killed.join(', ')}`);
    for (const p of problems) process.stderr.write(`fault stack: ${p}\n`);
  };
  try {
    const base =
      opts.mode === 'own'
        ? path.join(ROOT, '.data', 'faults')
        : path.join(ROOT, '.data', 'test', process.env.CASCADE_TEST_RUN ?? `run-${process.pid}`);
    const dataDir = path.join(base, `${opts.name}-${suffix}`);
    const flags = { keepData: process.env.FAULT_KEEP_DATA === '1' };
    fs.mkdirSync(dataDir, { recursive: true });
    setLogLevel('warn');
    push('API log diversion', divertApiLogs(path.join(dataDir, 'api.log')));
    const cliPath = await ensureTemporalCli();
    const bundling = workflowBundle();
    // Even when start-up fails, let webpack finish before Jest tears the module registry down.
    push('workflow bundling', () => bundling.then(() => undefined, () => undefined), 180_000);

    let databaseUrl: string;
    let temporalAddress: string;
    let pg: PostgresProcess | undefined;
    let server: DevServer | undefined;
    let temporalPort = 0;
    const startServer = async () => {
      server = await startDevServer({
        cliPath,
        dataDir,
        port: temporalPort,
        namespace: 'default',
        dbFile: path.join(dataDir, 'temporal.db'),
      });
      trackPid(server.process.pid);
    };
    if (opts.mode === 'own') {
      pg = new PostgresProcess({
        dataDir,
        port: await freePort(),
        logFile: path.join(dataDir, 'postgres-helper.log'),
        track: { add: trackPid, remove: forgetPid },
      });
      push('PostgreSQL', async () => {
        await pg?.stop();
        // Keep the logs, drop the bulk (unless the case failed).
        if (!flags.keepData) fs.rmSync(path.join(dataDir, 'postgres'), { recursive: true, force: true });
      }, PROCESS_STOP_TIMEOUT_MS);
      await pg.start();
      databaseUrl = pg.url;
      await applyMigrations(databaseUrl);
      // A free port can be taken by someone else before the dev server binds it (other test
      // runs share the machine): try another.
      for (let attempt = 1; ; attempt++) {
        temporalPort = await freePort();
        try {
          await startServer();
          break;
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
      push('Temporal dev server', async () => {
        await server?.stop();
        forgetPid(server?.process.pid);
        if (flags.keepData) return;
        for (const f of fs.readdirSync(dataDir)) if (f.startsWith('temporal.db')) fs.rmSync(path.join(dataDir, f), { force: true });
      }, PROCESS_STOP_TIMEOUT_MS);
      temporalAddress = server!.address;
    } else {
      // The run's shared stack (tests/harness/global-setup.ts): never stopped by a case.
      const { stackState } = await import('../../harness/stack');
      ({ databaseUrl, temporalAddress } = stackState());
    }

    const db = createDb(databaseUrl, 10);
    push('database client', () => db.$disconnect());
    const connection = await Connection.connect(temporalConnectionOptions(temporalAddress));
    push('Temporal client', () => connection.close());
    const client = new Client({ connection, namespace: 'default' });

    const webhook = new WebhookReceiver();
    await webhook.start();
    push('webhook receiver', () => webhook.close());

    const mailpit = opts.mail ? await startTestMailpit() : null;
    if (mailpit) push('Mailpit', () => mailpit.close(), PROCESS_STOP_TIMEOUT_MS);

    const taskQueue = `faults-${opts.name}-${suffix}`;
    const workerEnv = {
      databaseUrl,
      temporalAddress,
      taskQueue,
      bundlePath: await bundling,
      ...(opts.outbox ? { webhookUrl: webhook.url } : {}),
      ...(mailpit ? { smtpUrl: mailpit.smtpUrl } : {}),
    };
    const worker = new WorkerProcess(workerEnv, path.join(dataDir, 'worker.log'));
    push('worker', () => worker.close(), PROCESS_STOP_TIMEOUT_MS);
    await worker.start();
    // Peer workers on the same task queues, never killed, each with its own outbox and mail
    // senders: production runs replicas (compose: 2), and a kill then empties one worker's
    // cache while the other goes on. The fast subset keeps one worker, so a kill there leaves
    // all the work to the restarted one.
    const peers: WorkerProcess[] = [];
    for (let i = 1; i <= (opts.mode === 'own' ? peerWorkerCount() : 0); i++) {
      const peer = new WorkerProcess(workerEnv, path.join(dataDir, `worker-peer-${i}.log`));
      push(`peer worker ${i}`, () => peer.close(), PROCESS_STOP_TIMEOUT_MS);
      await peer.start();
      peers.push(peer);
    }

    const config = loadConfig({
      CASCADE_ADMIN_TOKEN: FAULT_ADMIN_TOKEN,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      // The driver acts for every unit with one token: the rate limits are not under test here.
      RATE_LIMIT_PER_TOKEN: '100000000',
      RATE_LIMIT_PER_CLIENT: '100000000',
    });
    const app = createApp({ db, client, config });
    const listener = http.createServer(app);
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    push('API listener', () => {
      listener.closeAllConnections();
      return new Promise<void>((resolve) => listener.close(() => resolve()));
    });
    const api = new ApiClient(`http://127.0.0.1:${(listener.address() as AddressInfo).port}`, FAULT_ADMIN_TOKEN);

    const ownOnly = (what: string) => {
      if (opts.mode !== 'own') throw new Error(`${what}: only a stack in 'own' mode can do that`);
    };
    const self: FaultStack = {
      name: opts.name,
      dataDir,
      taskQueue,
      databaseUrl,
      temporalAddress,
      cliPath,
      db,
      client,
      api,
      webhook,
      worker,
      peers,
      outbox: opts.outbox ?? false,
      mailpit,
      async stopTemporal() {
        ownOnly('stopTemporal');
        await server?.stop();
        forgetPid(server?.process.pid);
      },
      async startTemporal() {
        ownOnly('startTemporal');
        // Same port as before (clients and the worker know only that one); if something
        // grabbed it meanwhile, wait for it to go.
        for (let attempt = 1; ; attempt++) {
          try {
            await startServer();
            return;
          } catch (err) {
            if (attempt >= 5) throw err;
            await sleep(2000);
          }
        }
      },
      async stopPostgres() {
        ownOnly('stopPostgres');
        await pg!.stop();
      },
      async startPostgres() {
        ownOnly('startPostgres');
        await pg!.start();
      },
      get keepData() {
        return flags.keepData;
      },
      set keepData(keep: boolean) {
        flags.keepData = keep;
      },
      close,
    };
    return self;
  } catch (err) {
    await close();
    throw err;
  }
}
