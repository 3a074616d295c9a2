/**
 * The metrics endpoints scraped for real while a cascade runs: the API's /metrics (in this
 * process, over the real stack), a worker process's Temporal SDK metrics (worker/index.ts
 * with WORKER_METRICS_PORT, as compose runs it) and the Temporal server's own. Each scrape
 * passes Prometheus's `promtool check metrics`; the dashboards and alert rules query only
 * metrics one of them serves.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import { type Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { loadConfig } from '../runtime/config';
import { setLogLevel } from '../runtime/log';
import type { Db } from '../read-model/db';
import { spawnApp, waitForWorkers, type AppProcess } from '../stack/app-processes';
import { freePort } from '../stack/ports';
import { ensurePromtool, runPromtool } from '../stack/promtool';
import { sleep, waitFor } from '../stack/wait';
import { stackState, testDb, testTemporal, uniqueSuffix } from './harness/stack';
import { ADMIN, bearer, putDemoTree, tokenFor } from './api/helpers';
import { TEST_DATA_DIR } from './harness/stack-state';
import { metricNamesIn } from './observability/promql';

jest.setTimeout(180_000);

const root = path.resolve(__dirname, '..');
let promtool = '';
let db: Db;
let connection: Connection;
let worker: AppProcess;
let workerMetricsPort = 0;
let app: ReturnType<typeof createApp>;
const taskQueue = `metrics-${uniqueSuffix()}`;
const scrapes: Record<'api' | 'worker' | 'temporal', string> = { api: '', worker: '', temporal: '' };
let directiveId = '';

/** Every series name a scrape serves, declared families included (a labelled gauge may have no sample yet). */
function served(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const typed = /^# TYPE (\S+) (\S+)/.exec(line);
    if (typed) {
      const [, name, type] = typed;
      out.add(name!);
      if (type === 'histogram') for (const s of ['_bucket', '_count', '_sum']) out.add(`${name}${s}`);
      continue;
    }
    const sample = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(line)?.[0];
    if (sample) out.add(sample);
  }
  return out;
}

/**
 * promtool's findings on a scrape, one per line; a text that does not parse is an error
 * (an exit status other than 0 or 3, the status of lint findings).
 */
function lint(text: string): string[] {
  const run = runPromtool(promtool, ['check', 'metrics'], text);
  if (run.status !== 0 && run.status !== 3) throw new Error(`promtool check metrics failed (${run.status}): ${run.output}`);
  expect(run.output).not.toMatch(/error while linting|parsing error/);
  return run.output.split('\n').filter(Boolean);
}

const fetchText = async (url: string) => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
};

beforeAll(async () => {
  promtool = await ensurePromtool();
  setLogLevel('warn');
  db = testDb();
  ({ connection } = await testTemporal());
  workerMetricsPort = await freePort();
  worker = spawnApp({
    role: 'worker',
    name: 'metrics-worker',
    logFile: path.join(TEST_DATA_DIR, `metrics-worker-${taskQueue}.log`),
    env: {
      DATABASE_URL: stackState().databaseUrl,
      TEMPORAL_ADDRESS: stackState().temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_METRICS_PORT: String(workerMetricsPort),
      LOG_LEVEL: 'warn',
    },
  });
  await waitForWorkers(connection, 'default', taskQueue, [worker]);
  app = createApp({
    db,
    client: (await testTemporal()).client,
    config: loadConfig({ CASCADE_ADMIN_TOKEN: ADMIN, TEMPORAL_TASK_QUEUE: taskQueue, RATE_LIMIT_NAMESPACE: taskQueue, RATE_LIMIT_PER_TOKEN: '20', BUSINESS_METRICS_CACHE_MS: '0' }),
  });
  await putDemoTree(app);
  const ttcs = await tokenFor(app, 'TTCS');
  const issued = await request(app)
    .post('/api/v1/directives')
    .set(bearer(ttcs.token))
    .send({ number: `METRICS/${uniqueSuffix()}`, kind: 'Công văn', title: 'Metrics', issuerCode: 'TTCS', issuedAt: new Date().toISOString(), policy: { ackWithin: 'PT1H', concretizeWithin: 'P2D', calendar: 'none' } })
    .expect(201);
  directiveId = issued.body.id as string;
  await waitFor(() => db.assignment.count({ where: { directiveId } }), (n) => n === 3, 'delivery to the three provinces', 60_000);

  // Requests of every kind the API counts: a read by route, refusals for want of a token, a rate limit.
  await request(app).get(`/api/v1/directives/${directiveId}`).set(bearer(ADMIN)).expect(200);
  await request(app).get('/api/v1/directives').expect(401);
  await request(app).get('/api/v1/directives').set(bearer('not-a-token-at-all')).expect(401);
  const pt = await tokenFor(app, 'STTTT-PT');
  for (let i = 0, status = 0; status !== 429 && i < 25; i++) {
    status = (await request(app).get('/api/v1/directives').set(bearer(pt.token))).status;
  }
  scrapes.api = (await request(app).get('/metrics').expect(200).expect('Content-Type', /text\/plain/)).text;
  scrapes.worker = await waitFor(
    () => fetchText(`http://127.0.0.1:${workerMetricsPort}/metrics`),
    (text) => text.includes('temporal_activity_execution_latency') || text.includes('temporal_workflow_completed'),
    'the worker metrics after the cascade ran',
  );
  scrapes.temporal = await fetchText(`http://127.0.0.1:${stackState().temporalMetricsPort}/metrics`);
});

afterAll(async () => {
  await worker?.stop();
  await connection?.close();
  await db?.$disconnect();
  await sleep(0);
});

describe('the API /metrics', () => {
  test('when requests were answered then durations are labelled by route template and status, never by a concrete path', () => {
    expect(scrapes.api).toMatch(/http_server_request_duration_seconds_count\{method="GET",route="\/api\/v1\/directives\/:id",status="200"\} 1/);
    expect(scrapes.api).not.toContain(directiveId);
    expect(scrapes.api).toMatch(/^process_cpu_seconds_total /m);
    expect(scrapes.api).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
  });

  test('when requests were refused then the refusals are counted by cause', () => {
    expect(scrapes.api).toMatch(/^cascade_api_unauthenticated_requests_total 2$/m);
    expect(scrapes.api).toMatch(/^cascade_api_rate_limited_requests_total\{limit="token"\} 1$/m);
    expect(scrapes.api).toMatch(/^cascade_api_rate_limited_requests_total\{limit="total"\} 0$/m);
  });

  test('when a cascade is delivered then its open assignments are counted by stage and level', () => {
    const delivered = [...scrapes.api.matchAll(/^cascade_assignments_open\{stage="DELIVERED",level="province"\} (\d+)$/gm)];
    expect(Number(delivered[0]?.[1])).toBeGreaterThanOrEqual(3);
  });

  test('when promtool lints the scrape then it finds nothing in the engine’s own metrics', () => {
    const findings = lint(scrapes.api);
    // prom-client's default Node.js gauges keep their historical names (Node dashboards query them so).
    const promClient = /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;
    expect(findings.filter((f) => !promClient.test(f))).toEqual([]);
  });
});

describe('a worker process’s Temporal SDK metrics', () => {
  test('when the worker ran the cascade then its task queues, slots and latencies are served under Temporal’s default names', () => {
    expect(scrapes.worker).toMatch(new RegExp(`temporal_worker_task_slots_available\\{[^}]*task_queue="${taskQueue}"`));
    expect(scrapes.worker).toMatch(new RegExp(`temporal_worker_task_slots_available\\{[^}]*task_queue="${taskQueue}-parents"`));
    expect(scrapes.worker).toMatch(/^temporal_workflow_task_schedule_to_start_latency_bucket\{/m);
    expect(scrapes.worker).toMatch(/^temporal_request\{/m);
  });

  test('when promtool checks the scrape then it parses, and its only findings are Temporal’s counters without `_total`', () => {
    const findings = lint(scrapes.worker);
    expect(findings.length).toBeGreaterThan(0);
    // Temporal names its counters without the suffix; its published SDK dashboard queries them so.
    expect(findings.filter((f) => !/^temporal_\w+ counter metrics should have "_total" suffix$/.test(f))).toEqual([]);
  });
});

describe('the Temporal server metrics', () => {
  test('when promtool checks a scrape of the server then it parses', () => {
    expect(scrapes.temporal).toMatch(/^service_requests\{/m);
    // The server's names predate Prometheus's conventions; promtool reports them, it parses them all.
    const naming = /(counter metrics should have "_total" suffix|should not have "_count" suffix|label names should be written in 'snake_case' not 'camelCase'|should not include type '(gauge|counter)'|should not contain abbreviated units)$/;
    expect(lint(scrapes.temporal).filter((f) => !naming.test(f))).toEqual([]);
  });
});

describe('deploy/ against the real scrapes', () => {
  test('when every query of the dashboards and alert rules is read then each metric it names is served', () => {
    const all = new Set(['up', ...served(scrapes.api), ...served(scrapes.worker), ...served(scrapes.temporal)]);
    const exprs: string[] = [];
    for (const file of ['cascades', 'engine']) {
      const d = JSON.parse(fs.readFileSync(path.join(root, 'deploy', 'grafana', 'dashboards', `${file}.json`), 'utf8')) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
      exprs.push(...d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)));
    }
    const rules = YAML.parse(fs.readFileSync(path.join(root, 'deploy', 'prometheus', 'alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ expr: string }> }> };
    exprs.push(...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)));
    const unknown = [...new Set(exprs.flatMap(metricNamesIn))].filter((m) => !all.has(m)).sort();
    expect(unknown).toEqual([]);
  });
});
