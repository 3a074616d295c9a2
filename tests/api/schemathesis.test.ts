/**
 * The contract, checked by a fuzzer nobody here wrote: schemathesis (from PyPI, cached
 * outside the clone by stack/schemathesis.ts) reads /api/v1/openapi.json and runs every
 * phase with every check against the real stack: the API listening on loopback, a
 * cascade worker, the run's Temporal dev server, and a PostgreSQL database of its own
 * (the fuzzer upserts units and issues directives; other test files never see them).
 *
 * Example data makes it reach the unit actions rather than 404s: the demo tree, a live
 * cascade whose id and unit are pinned as the path parameters, an extension request to
 * decide, a second cascade for amend and revoke, a token to revoke, an implementing
 * document whose `<cascade id>~<unit code>` id the stateful phase reads back through the
 * document's links. Examples are bounded (SCHEMATHESIS_MAX_EXAMPLES per operation, the
 * stateful phase its own budget in the configuration), never the checks. The configuration it
 * runs with (tests/api/schemathesis.toml) says which statuses a schema-valid request may
 * still get, and why.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import pg from 'pg';
import request from 'supertest';
import type { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { createDb, type Db } from '../../read-model/db';
import { loadConfig } from '../../runtime/config';
import { setLogLevel } from '../../runtime/log';
import { applyMigrations } from '../../stack/migrate';
import { ensureSchemathesis } from '../../stack/schemathesis';
import { type CascadeWorker, createCascadeWorker } from '../../worker/create-worker';
import { stackState, testTemporal, uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, putDemoTree, tokenFor, waitFor } from './helpers';

jest.setTimeout(15 * 60_000);

const CONFIG = path.join(__dirname, 'schemathesis.toml');
const HOOKS = path.join(__dirname, 'schemathesis_hooks.py');

let db: Db;
let server: Server;
let worker: CascadeWorker | undefined;
let running: Promise<void> | undefined;
let native: NativeConnection | undefined;
let connection: Connection | undefined;
let databaseName = '';
let baseUrl = '';
const pinned: Record<string, string> = {};

async function freshDatabase(): Promise<string> {
  databaseName = `cascade_fuzz_${uniqueSuffix()}`;
  const admin = new pg.Client({ connectionString: stackState().databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();
  const url = new URL(stackState().databaseUrl);
  url.pathname = `/${databaseName}`;
  await applyMigrations(url.toString());
  return url.toString();
}

beforeAll(async () => {
  setLogLevel('error');
  const url = await freshDatabase();
  db = createDb(url, 10);
  const taskQueue = `fuzz-${uniqueSuffix()}`;
  const config = loadConfig({
    CASCADE_ADMIN_TOKEN: ADMIN,
    TEMPORAL_TASK_QUEUE: taskQueue,
    // The fuzzer is one client sending thousands of requests: the limits are tested elsewhere.
    RATE_LIMIT_PER_TOKEN: '10000000',
    RATE_LIMIT_PER_CLIENT: '10000000',
    CASCADE_MAX_OPEN_PER_ISSUER: '100000',
    UPDATE_TIMEOUT_MS: '10000',
  });
  const temporal = await testTemporal();
  connection = temporal.connection;
  native = await NativeConnection.connect({ address: stackState().temporalAddress });
  worker = await createCascadeWorker({ connection: native, namespace: 'default', taskQueue, db });
  running = worker.run();
  const app = createApp({ db, client: temporal.client, config });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Example data.
  await putDemoTree(app);
  const issue = async (number: string) =>
    (
      await request(app)
        .post('/api/v1/directives')
        .set(bearer(ADMIN))
        .send({
          number,
          kind: 'Công văn',
          title: 'Contract fuzzing',
          issuerCode: 'TTCS',
          issuedAt: new Date().toISOString(),
          recipients: ['STTTT-VP'],
          tasks: [{ title: 'Fuzzed task', leadUnitCode: 'STTTT-VP' }],
          policy: { ackWithin: 'PT1H', concretizeWithin: 'P2D', reportDueAt: new Date(Date.now() + 30 * 86_400_000).toISOString() },
        })
        .expect(201)
    ).body.id as string;
  pinned.DIRECTIVE = await issue('FUZZ/1');
  pinned.OTHER_DIRECTIVE = await issue('FUZZ/2');
  pinned.UNIT = 'STTTT-VP';
  const unitUrl = `/api/v1/directives/${pinned.DIRECTIVE}/units/${pinned.UNIT}`;
  await waitFor(() => request(app).get(unitUrl).set(bearer(ADMIN)), (r) => r.status === 200, 'the pinned assignment');
  const asked = await waitFor(
    () =>
      request(app)
        .post(`${unitUrl}/extension-requests`)
        .set(bearer(ADMIN))
        .send({ requestedDeadline: new Date(Date.now() + 3 * 3_600_000).toISOString(), reason: 'fuzzing' }),
    (r) => r.status === 201,
    'an extension request',
  );
  pinned.REQUEST = asked.body.requestId as string;
  pinned.TOKEN = (await tokenFor(app, 'VP-LT')).id;

  // An implementing document, so that GET /directives hands out a `<cascade id>~<unit code>`
  // id for the stateful phase to send back through the document's links.
  const planned = `/api/v1/directives/${await issue('FUZZ/3')}/units/STTTT-VP`;
  await waitFor(() => request(app).get(planned).set(bearer(ADMIN)), (r) => r.status === 200, 'the assignment to plan for');
  await request(app).post(`${planned}/acknowledge`).set(bearer(ADMIN)).send({}).expect(200);
  await request(app)
    .post(`${planned}/concretize`)
    .set(bearer(ADMIN))
    .send({ number: 'KH-FUZZ/3', title: 'Implementing plan', issuedAt: new Date().toISOString() })
    .expect(200);
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  worker?.shutdown();
  await running;
  await native?.close();
  await connection?.close();
  await db?.$disconnect();
  if (databaseName) {
    const admin = new pg.Client({ connectionString: stackState().databaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
  }
});

/** Runs `st` without blocking this process: the API it tests is served from here. */
function runSchemathesis(
  st: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    // In its own directory: schemathesis keeps a .schemathesis/ cache where it runs.
    const child = spawn(st, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

test('when schemathesis runs every phase, stateful links included, with every check against the real stack then it finds no failure', async () => {
  const st = ensureSchemathesis((line) => process.stderr.write(`[schemathesis] ${line}\n`));
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemathesis-'));
  const started = Date.now();
  const { code, output } = await runSchemathesis(
    st,
    [
      '--config-file',
      CONFIG,
      '--no-color',
      'run',
      `${baseUrl}/api/v1/openapi.json`,
      '--url',
      baseUrl,
      '--checks',
      'all',
      // Every phase, named so that none is left out by a default: stateful follows links.
      '--phases',
      'examples,coverage,fuzzing,stateful',
      '--header',
      `Authorization: Bearer ${ADMIN}`,
      '--max-examples',
      process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '25',
      // One worker: hypothesis describes its strategies with ast.parse, which CPython 3.11
      // does not allow from two threads at once (SystemError: AST constructor recursion).
      '--workers',
      '1',
      '--seed',
      process.env.SCHEMATHESIS_SEED ?? '13',
      '--request-timeout',
      '30',
      '--report',
      'ndjson',
      '--report-dir',
      reportDir,
    ],
    {
      ...process.env,
      // Read by tests/api/schemathesis.toml.
      FUZZ_DIRECTIVE: pinned.DIRECTIVE,
      FUZZ_OTHER_DIRECTIVE: pinned.OTHER_DIRECTIVE,
      FUZZ_UNIT: pinned.UNIT,
      FUZZ_REQUEST: pinned.REQUEST,
      FUZZ_TOKEN: pinned.TOKEN,
      SCHEMATHESIS_HOOKS: HOOKS,
      SCHEMATHESIS_TELEMETRY: 'false',
      NO_COLOR: '1',
    },
    reportDir,
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  fs.writeFileSync(path.join(reportDir, 'output.txt'), output);
  // The summary, for the log of the run, every line prefixed: schemathesis closes with a
  // pytest-style line ("=== 2 warnings in 79.56s ===") that CI would read as a pytest run
  // that executed no test (the run's own closing line is the test harness's).
  const summary = output
    .slice(output.lastIndexOf('= SUMMARY ='))
    .split('\n')
    .map((line) => `[schemathesis] ${line}`)
    .join('\n');
  process.stderr.write(`[schemathesis] ${seconds}s, exit ${code}\n${summary}\n`);
  if (code !== 0) process.stderr.write(`[schemathesis] full output: ${path.join(reportDir, 'output.txt')}\n`);
  expect({ code, failures: code === 0 ? '' : output.slice(-4000) }).toEqual({ code: 0, failures: '' });
  // The stateful phase ran (it is skipped, not failed, when it finds no link to follow).
  expect(output).toMatch(/✅ Stateful/);
});
