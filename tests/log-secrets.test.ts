/**
 * What the API writes to its log while it is used the way an attacker or a careless client
 * would: admin and unit tokens in Authorization headers, a token just issued in a response
 * body, cookies, a token in a query string, a password in a request body, a wrong token.
 * Every line is one JSON object with its level and time, every request line names its
 * request and its trace, and no secret appears anywhere, at the most verbose level.
 */
import request from 'supertest';
import { setLogLevel } from '../runtime/log';
import { startTracing, type Tracing } from '../runtime/tracing';
import { ADMIN, bearer, putDemoTree, startApiStack, waitFor, type ApiStack } from './api/helpers';

let stack: ApiStack;
let tracing: Tracing;

beforeAll(async () => {
  // As api/index.ts runs: a tracer provider even without an exporter, so lines carry trace ids.
  tracing = startTracing({}, { serviceName: 'log-test' });
  stack = await startApiStack();
  await putDemoTree(stack.app);
});
afterAll(async () => {
  await stack.close();
  await tracing.shutdown();
});

function capture(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    }),
  );
  return { text: () => chunks.join(''), restore: () => spies.forEach((s) => s.mockRestore()) };
}

test('when the API is used with tokens, cookies and passwords then its log lines are JSON with request and trace ids, and hold none of them', async () => {
  const api = () => request(stack.app);
  const cookie = 'session=cookie-secret-6f1c2b';
  const password = 'password-secret-93ad1e';
  const wrongToken = 'wrong-token-secret-5b7e0c4d';
  const queryToken = 'query-token-secret-1e2d3c';
  setLogLevel('debug');
  const out = capture();
  let issued = '';
  try {
    const created = await api().post('/api/v1/units/STTTT-VP/tokens').set(bearer(ADMIN)).set('Cookie', cookie).send({ label: 'log test' }).expect(201);
    issued = created.body.token as string;
    await api().get('/api/v1/units/STTTT-VP').set(bearer(issued)).set('Cookie', cookie).expect(200);
    await api().get(`/api/v1/units/STTTT-VP?token=${queryToken}`).set(bearer(issued)).expect(200);
    await api().get('/api/v1/units/STTTT-VP').set(bearer(wrongToken)).expect(401);
    await api().get('/api/v1/units/STTTT-VP').set('Authorization', `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`).expect(401);
    await api()
      .post('/api/v1/directives')
      .set(bearer(issued))
      .send({ number: '1/LOG', kind: 'Công văn', title: 'x', issuerCode: 'STTTT-VP', issuedAt: '2026-12-06', password })
      .expect(400);
    await api().delete(`/api/v1/tokens/${created.body.id as string}`).set(bearer(ADMIN)).expect(204);
    await api().get('/api/v1/units/STTTT-VP').set(bearer(issued)).expect(401);
    // A request's line is written when its response has finished, just after the client has it.
    await waitFor(() => out.text().split('"msg":"http request"').length - 1, (n) => n >= 8, 'eight request lines', 5000, 20);
  } finally {
    setLogLevel('warn');
    out.restore();
  }

  const text = out.text();
  const lines = text.split('\n').filter(Boolean);
  expect(lines.length).toBeGreaterThanOrEqual(8);
  for (const secret of [ADMIN, issued, cookie, 'cookie-secret-6f1c2b', password, wrongToken, queryToken, Buffer.from(`admin:${password}`).toString('base64')]) {
    expect({ secret, logged: text.includes(secret) }).toEqual({ secret, logged: false });
  }
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const line of parsed) expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
  const requests = parsed.filter((l) => l.msg === 'http request');
  expect(requests.length).toBe(8);
  for (const line of requests) {
    expect(line).toMatchObject({ requestId: expect.any(String), traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(line).not.toHaveProperty('req');
    expect(line).not.toHaveProperty('headers');
  }
  // Each request its own trace.
  expect(new Set(requests.map((l) => l.traceId)).size).toBe(requests.length);
});
