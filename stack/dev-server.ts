/**
 * Starts the Temporal dev server (SQLite file under DATA_DIR, Web UI) and makes sure the
 * custom search attributes exist — `--search-attribute` only applies when the namespace is
 * first created, so an existing database gets missing ones through the operator API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { searchAttributeTypes } from '../contract/search-attributes';
import { stopChild } from './node-process';
import { listensOn, portOpen, waitForPort } from './ports';
import { orphanFrom, stopProcess, writeLaunchRecord } from './orphans';

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  process: ChildProcess;
  stop(): Promise<void>;
}


/** Stops a dev server orphaned by a start that was killed outright (see orphans.ts). */
async function stopStaleServer(pidFile: string): Promise<void> {
  const orphan = orphanFrom(pidFile);
  if (orphan !== null) await stopProcess(orphan, 'SIGTERM');
  fs.rmSync(pidFile, { force: true });
}


export async function startDevServer(opts: {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort?: number;
  namespace: string;
  /** SQLite file to persist to; `null` keeps everything in memory (tests). */
  dbFile?: string | null;
  /** Serves the server's own Prometheus metrics on 127.0.0.1:<port>/metrics. */
  metricsPort?: number;
}): Promise<DevServer> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const pidFile = path.resolve(opts.dataDir, `temporal-${opts.port}.pid`);
  await stopStaleServer(pidFile);
  if (await portOpen(opts.port)) {
    throw new Error(
      `port ${opts.port} is already in use; stop what listens there, or set TEMPORAL_PORT (or TEMPORAL_ADDRESS to use that server)`,
    );
  }
  const dbFile = opts.dbFile === undefined ? path.resolve(opts.dataDir, 'temporal.db') : opts.dbFile;
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--namespace', opts.namespace,
    '--log-level', 'warn',
    '--sqlite-pragma', 'journal_mode=WAL',
    '--sqlite-pragma', 'synchronous=OFF',
    // Raise the per-namespace rate limits the dev server ships with, so national-scale
    // cascades are limited by the engine, not by a default meant for laptops.
    '--dynamic-config-value', 'frontend.namespaceRPS=20000',
    '--dynamic-config-value', 'frontend.rps=20000',
  ];
  if (dbFile) args.push('--db-filename', dbFile);
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  if (opts.metricsPort) args.push('--metrics-port', String(opts.metricsPort));
  else args.push('--headless');
  for (const [name, type] of Object.entries(searchAttributeTypes)) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  const logFile = fs.openSync(path.resolve(opts.dataDir, 'temporal.log'), 'a');
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', logFile, logFile], detached: false });
  fs.closeSync(logFile);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(null)); // could not be started at all
  });
  if (child.pid) writeLaunchRecord(pidFile, child.pid);
  void exited.then(() => fs.rmSync(pidFile, { force: true }));
  const address = `127.0.0.1:${opts.port}`;
  const stop = () => stopChild(child, exited, 10_000);
  try {
    await Promise.race([
      waitForPort(opts.port, 60_000),
      exited.then((code) => {
        throw new Error(`the Temporal dev server exited (code ${code}); see ${path.resolve(opts.dataDir, 'temporal.log')}`);
      }),
    ]);
    // Something answers on the port: make sure it is the server we started.
    if (child.pid !== undefined && listensOn(child.pid, opts.port) === false) {
      throw new Error(`port ${opts.port} is held by another process, not the dev server started here; start on another port`);
    }
    await ensureSearchAttributes(address, opts.namespace);
  } catch (err) {
    // A start that fails leaves nothing running: a server still starting would hold the
    // port and the launch record, and a retry on the same port would find it "in use".
    await stop().catch(() => undefined);
    throw err;
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : undefined,
    process: child,
    stop,
  };
}

/** Registers any of our search attributes the namespace lacks. Idempotent. */
export async function ensureSearchAttributes(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const have = new Set(Object.keys(existing.customAttributes ?? {}));
    const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
    const typeOf: Record<string, temporal.api.enums.v1.IndexedValueType> = {
      Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
      Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
      Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
    };
    const missing = Object.entries(searchAttributeTypes).filter(([name]) => !have.has(name));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, typeOf[type]!])),
    });
  } finally {
    await connection.close();
  }
}
