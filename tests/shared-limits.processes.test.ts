/**
 * The limits across API processes: two real API processes (api/index.ts, as production
 * runs them) over the test PostgreSQL and Temporal, requests fired at both at once. A lock
 * or a counter inside one process cannot see the other's requests: the open-cascade quota
 * holds only if the issuer's lock is in the database, the rate limits only if their
 * counters are.
 */
import { spawnApp, waitForApi, type AppProcess } from '../stack/app-processes';
import { freePort } from '../stack/ports';
import { stackState, testDb, uniqueSuffix } from './harness/stack';

const ADMIN = 'q'.repeat(32);
const QUOTA = 3;
/** Per token: above what the quota's bursts send with one token (16) and the admin's set-up. */
const PER_TOKEN = 20;
const PER_CLIENT = 10;
const REQUESTS_PER_API = 8;
// Several issuers at once: any one of them going past its quota is the failure looked for.
const ISSUERS = 4;

const suffix = uniqueSuffix();
const issuers = Array.from({ length: ISSUERS }, (_, k) => `QUOTA-${suffix}-${k}`);
const units = issuers.flatMap((issuer) => [
  { code: issuer, name: 'issuer', level: 'central', parentCode: null },
  { code: `${issuer}-A`, name: 'A', level: 'province', parentCode: issuer },
]);

const db = testDb();
const apis: Array<{ app: AppProcess; url: string }> = [];

interface Answer {
  status: number;
  body: { token?: string; error?: { code?: string } } | null;
}

async function call(
  url: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Answer['body'] };
}

beforeAll(async () => {
  const { databaseUrl, temporalAddress, namespace } = stackState();
  for (const name of ['api-1', 'api-2']) {
    const port = await freePort();
    const app = spawnApp({
      role: 'api',
      name,
      env: {
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_NAMESPACE: namespace,
        // No worker polls this queue: the cascades stay open (started, no assignment yet).
        TEMPORAL_TASK_QUEUE: `quota-${suffix}`,
        CASCADE_ADMIN_TOKEN: ADMIN,
        CASCADE_MAX_OPEN_PER_ISSUER: String(QUOTA),
        RATE_LIMIT_PER_TOKEN: String(PER_TOKEN),
        RATE_LIMIT_PER_CLIENT: String(PER_CLIENT),
        // The two processes are one deployment: they count together, apart from other tests.
        RATE_LIMIT_NAMESPACE: `limits-${suffix}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
    });
    apis.push({ app, url: `http://127.0.0.1:${port}` });
  }
  await Promise.all(apis.map(({ app, url }) => waitForApi(app, Number(new URL(url).port))));
  const put = await call(apis[0]!.url, 'PUT', '/api/v1/units', ADMIN, { units });
  expect(put.status).toBe(200);
}, 180_000);

afterAll(async () => {
  await Promise.all(apis.map(({ app }) => app.stop(10_000)));
  await db.$disconnect();
});

/** Fires 2 × REQUESTS_PER_API issues by `issuer` at once, alternately at the two APIs. */
async function burst(issuer: string): Promise<Answer[]> {
  const token = await call(apis[0]!.url, 'POST', `/api/v1/units/${issuer}/tokens`, ADMIN, {});
  expect(token.status).toBe(201);
  return Promise.all(
    Array.from({ length: 2 * REQUESTS_PER_API }, (_, i) =>
      call(apis[i % 2]!.url, 'POST', '/api/v1/directives', token.body!.token!, {
        number: `Q/${suffix}/${i}`,
        kind: 'Công văn',
        title: 'quota',
        issuerCode: issuer,
        issuedAt: new Date().toISOString(),
        policy: { ackWithin: 'P2D' },
      }),
    ),
  );
}

test('when issuers fire issues at two API processes at once then none gets more than its quota', async () => {
  const answers = await Promise.all(issuers.map(burst));

  for (const [k, issuer] of issuers.entries()) {
    const statuses = answers[k]!.map((a) => a.status);
    expect({ issuer, unexpected: statuses.filter((s) => s !== 201 && s !== 409) }).toEqual({
      issuer,
      unexpected: [],
    });
    expect(
      answers[k]!.filter((a) => a.status === 409).every(
        (a) => a.body?.error?.code === 'QUOTA_EXCEEDED',
      ),
    ).toBe(true);
    expect({ issuer, accepted: statuses.filter((s) => s === 201).length }).toEqual({
      issuer,
      accepted: QUOTA,
    });
    expect({ issuer, stored: await db.directive.count({ where: { issuerCode: issuer } }) }).toEqual(
      { issuer, stored: QUOTA },
    );
  }
});

test('when one token, and one client without a token, send requests to two API processes at once then each gets its limit in all, not per process', async () => {
  const issuer = issuers[0]!;
  const token = await call(apis[0]!.url, 'POST', `/api/v1/units/${issuer}/tokens`, ADMIN, {});
  expect(token.status).toBe(201);
  const send = (n: number, as: string | null) =>
    Promise.all(Array.from({ length: n }, (_, i) => call(apis[i % 2]!.url, 'GET', `/api/v1/units/${issuer}`, as)));

  const withToken = (await send(2 * PER_TOKEN, token.body!.token!)).map((a) => a.status);
  expect({ ok: withToken.filter((s) => s === 200).length, limited: withToken.filter((s) => s === 429).length }).toEqual({
    ok: PER_TOKEN,
    limited: PER_TOKEN,
  });
  const anonymous = (await send(2 * PER_CLIENT, null)).map((a) => a.status);
  expect({ refused: anonymous.filter((s) => s === 401).length, limited: anonymous.filter((s) => s === 429).length }).toEqual({
    refused: PER_CLIENT,
    limited: PER_CLIENT,
  });
});
