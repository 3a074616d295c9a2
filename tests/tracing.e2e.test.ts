/**
 * One trace from an HTTP request to the read-model write it causes, on the real stack with
 * tracing on (an in-memory exporter in place of OTLP): POST …/acknowledge → the Temporal
 * client's Update → the workflow's Update handler → the local activity that writes the
 * acknowledgement to PostgreSQL. The request's log line names the same trace.
 */
import request from 'supertest';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NativeConnection } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { loadConfig } from '../runtime/config';
import { setLogLevel } from '../runtime/log';
import { startTracing, type Tracing } from '../runtime/tracing';
import { tracingClientInterceptors } from '../runtime/temporal-tracing';
import { createCascadeWorker, type CascadeWorker } from '../worker/create-worker';
import type { Db } from '../read-model/db';
import { stackState, testDb, uniqueSuffix } from './harness/stack';
import { putDemoTree, tokenFor, bearer, ADMIN } from './api/helpers';
import { sleep, waitFor } from '../stack/wait';

jest.setTimeout(120_000);

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let db: Db;
let native: NativeConnection;
let connection: Connection;
let worker: CascadeWorker;
let running: Promise<void>;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  setLogLevel('warn');
  tracing = startTracing({}, { serviceName: 'tracing-test', spanProcessor: new SimpleSpanProcessor(exporter) });
  const taskQueue = `tracing-${uniqueSuffix()}`;
  db = testDb();
  native = await NativeConnection.connect({ address: stackState().temporalAddress });
  worker = await createCascadeWorker({ connection: native, namespace: 'default', taskQueue, db, tracing });
  running = worker.run();
  connection = await Connection.connect({ address: stackState().temporalAddress });
  const client = new Client({ connection, namespace: 'default', interceptors: tracingClientInterceptors(tracing) });
  app = createApp({ db, client, config: loadConfig({ CASCADE_ADMIN_TOKEN: ADMIN, TEMPORAL_TASK_QUEUE: taskQueue, RATE_LIMIT_NAMESPACE: taskQueue }) });
  await putDemoTree(app);
});

afterAll(async () => {
  worker.shutdown();
  await running;
  await native.close();
  await connection.close();
  await db.$disconnect();
  await tracing.shutdown();
});

const spansOf = (traceId: string) => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
const parentOf = (span: ReadableSpan, all: ReadableSpan[]) => all.find((s) => s.spanContext().spanId === span.parentSpanId);

test('when a unit acknowledges over HTTP then one trace runs from the request through the Update to the read-model write', async () => {
  const ttcs = await tokenFor(app, 'TTCS');
  const vp = await tokenFor(app, 'STTTT-VP');
  const issued = await request(app)
    .post('/api/v1/directives')
    .set(bearer(ttcs.token))
    .send({
      number: `TRACE/${uniqueSuffix()}`,
      kind: 'Công văn',
      title: 'Trace test',
      issuerCode: 'TTCS',
      issuedAt: new Date().toISOString(),
      recipients: ['STTTT-VP'],
      policy: { ackWithin: 'PT1H', concretizeWithin: 'P2D', calendar: 'none' },
    })
    .expect(201);
  const directiveId = issued.body.id as string;

  // The province's workflow answers once its delivery is recorded (409 "still being delivered" until then).
  await waitFor(
    () => db.assignment.findUnique({ where: { directiveId_unitCode: { directiveId, unitCode: 'STTTT-VP' } } }),
    (row) => row !== null,
    'the delivery to Vĩnh Phúc',
  );
  const out: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  setLogLevel('info');
  let res: request.Response;
  try {
    for (let attempt = 0; ; attempt++) {
      res = await request(app).post(`/api/v1/directives/${directiveId}/units/STTTT-VP/acknowledge`).set(bearer(vp.token)).send({ note: 'Đã nhận' });
      if (res.status !== 409 || attempt > 100) break;
      await sleep(100);
    }
  } finally {
    setLogLevel('warn');
    spy.mockRestore();
  }
  expect(res.status).toBe(200);

  const server = exporter
    .getFinishedSpans()
    .filter((s) => s.name === 'POST /api/v1/directives/:id/units/:code/acknowledge' && s.attributes['http.response.status_code'] === 200);
  expect(server).toHaveLength(1);
  const traceId = server[0]!.spanContext().traceId;

  const trace = await waitFor(
    () => spansOf(traceId),
    (spans) => spans.some((s) => s.name === 'RunActivity:persistEvent'),
    'the read-model write in the request trace',
  );
  const named = (name: string) => {
    const span = trace.find((s) => s.name === name);
    if (!span) throw new Error(`no span ${name} in the trace: ${trace.map((s) => s.name).join(', ')}`);
    return span;
  };
  const update = named('StartWorkflowUpdate:acknowledge');
  const handler = named('HandleUpdate:acknowledge');
  const write = named('RunActivity:persistEvent');
  // Each step is the child of the one before: request → client Update → handler → write.
  expect(parentOf(update, trace)?.name).toBe(server[0]!.name);
  expect(parentOf(handler, trace)?.name).toBe(update.name);
  expect(parentOf(write, trace)?.name).toBe(handler.name);
  // The write happened: the read model shows the acknowledgement.
  const row = await db.assignment.findUniqueOrThrow({ where: { directiveId_unitCode: { directiveId, unitCode: 'STTTT-VP' } } });
  expect(row.stage).toBe('ACKNOWLEDGED');

  // The request's log line carries the trace id and the request id.
  const lines = out.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const line = lines.find((l) => l.msg === 'http request' && l.status === 200 && String(l.path).endsWith('/acknowledge'));
  expect(line).toMatchObject({ level: 'info', traceId, requestId: expect.any(String), time: expect.any(String) });
});
