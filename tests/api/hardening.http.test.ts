/**
 * The API's limits on the real stack: rate limits, quotas of open cascades and
 * of reach, minimum durations, bodies and methods, tokens (expiry, listing, revoke-all,
 * last use), the audit trail, and idempotency records that expire and are bounded.
 * Apps with other limits are built over the same stack with `appWith`.
 */
import request from 'supertest';
import type express from 'express';
import type { Config } from '../../runtime/config';
import { uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, startApiStack, tokenFor, type ApiStack } from './helpers';

jest.setTimeout(60_000);

let stack: ApiStack;
const sfx = uniqueSuffix().toUpperCase();
const root = `H${sfx}`;
const u = (name: string) => `${root}-${name}`;

/** A small tree of its own: root → A (→ A1, A2), B. */
const tree = [
  { code: root, name: 'root', level: 'central', parentCode: null },
  { code: u('A'), name: 'A', level: 'province', parentCode: root },
  { code: u('A1'), name: 'A1', level: 'commune', parentCode: u('A') },
  { code: u('A2'), name: 'A2', level: 'commune', parentCode: u('A') },
  { code: u('B'), name: 'B', level: 'province', parentCode: root },
];

const appWith = (config: Partial<Config>): express.Express => stack.appWith({ config: { ...stack.config, ...config } });

const directive = (issuerCode: string, policy: object = { ackWithin: 'P2D' }, extra: object = {}) => ({
  number: `H/${uniqueSuffix()}`,
  kind: 'Công văn',
  title: 'hardening',
  issuerCode,
  issuedAt: new Date().toISOString(),
  policy,
  ...extra,
});

beforeAll(async () => {
  stack = await startApiStack();
  await request(stack.app).put('/api/v1/units').set(bearer(ADMIN)).send({ units: tree }).expect(200);
});
afterAll(() => stack.close());

describe('rate limits', () => {
  test('when one token goes past its limit then it gets 429 with Retry-After, before its body is even read, and other tokens do not', async () => {
    const app = appWith({ RATE_LIMIT_PER_TOKEN: 3 });
    const { token } = await tokenFor(app, u('A'));
    for (let i = 0; i < 3; i++) await request(app).get(`/api/v1/units/${u('A')}`).set(bearer(token)).expect(200);
    const limited = await request(app)
      .post('/api/v1/directives')
      .set(bearer(token))
      .set('Content-Type', 'application/json')
      .send('{"not json')
      .expect(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await request(app).get(`/api/v1/units/${u('A')}`).set(bearer(ADMIN)).expect(200);
  });

  test('when one client without a token goes past its limit then it gets 429 on every route, and /health still answers', async () => {
    const app = appWith({ RATE_LIMIT_PER_CLIENT: 2 });
    await request(app).get('/api/v1/units/X').expect(401);
    await request(app).get('/api/v1/units/X').expect(401);
    const limited = await request(app).get('/api/v1/units/X').expect(429);
    expect(limited.headers['retry-after']).toBeDefined();
    await request(app).get('/api/v1/openapi.json').expect(429);
    await request(app).get('/health').expect(200);
  });
});

describe('quotas and durations', () => {
  test('when a unit token has as many open cascades as its quota then the next is 409 QUOTA_EXCEEDED, and the admin is not bound', async () => {
    const app = appWith({ CASCADE_MAX_OPEN_PER_ISSUER: 1 });
    const { token } = await tokenFor(app, u('A'));
    await request(app).post('/api/v1/directives').set(bearer(token)).send(directive(u('A'))).expect(201);
    const refused = await request(app).post('/api/v1/directives').set(bearer(token)).send(directive(u('A'))).expect(409);
    expect(refused.body.error.code).toBe('QUOTA_EXCEEDED');
    await request(app).post('/api/v1/directives').set(bearer(ADMIN)).send(directive(u('A'))).expect(201);
  });

  test('when a unit token issues a directive reaching more units than allowed then it is 403 APPROVAL_REQUIRED, and the admin may issue it', async () => {
    const app = appWith({ CASCADE_MAX_REACH: 3 });
    const { token } = await tokenFor(app, root);
    // Its children A and B, and A's two communes: four units.
    const refused = await request(app).post('/api/v1/directives').set(bearer(token)).send(directive(root)).expect(403);
    expect(refused.body.error).toMatchObject({ code: 'APPROVAL_REQUIRED', message: expect.stringContaining('reach 4 units') });
    await request(app)
      .post('/api/v1/directives')
      .set(bearer(token))
      .send(directive(root, undefined, { recipients: [u('A')] }))
      .expect(201);
    await request(app).post('/api/v1/directives').set(bearer(ADMIN)).send(directive(root)).expect(201);
  });

  test('when deadlines or ladder steps are shorter than the minimums then issuing is 400 INVALID_POLICY naming each', async () => {
    const res = await request(stack.app)
      .post('/api/v1/directives')
      .set(bearer(ADMIN))
      .send(
        directive(u('A'), {
          ackWithin: 'PT30S',
          concretizeWithin: 'PT59S',
          escalation: [
            { after: 'PT0S', action: 'remind' },
            { after: 'PT30S', action: 'notify_parent' },
          ],
        }),
      )
      .expect(400);
    expect(res.body.error.code).toBe('INVALID_POLICY');
    expect(res.body.error.details.map((d: { path: Array<string | number> }) => d.path.join('.'))).toEqual([
      'policy.ackWithin',
      'policy.concretizeWithin',
      'policy.escalation.1.after',
    ]);
    await request(stack.app)
      .post('/api/v1/directives')
      .set(bearer(ADMIN))
      .send(
        directive(u('A'), {
          ackWithin: 'PT1M',
          escalation: [
            { after: 'PT0S', action: 'remind' },
            { after: 'PT1M', action: 'notify_parent' },
          ],
        }),
      )
      .expect(201);
  });
});

describe('bodies, strings and methods', () => {
  test('when a route that takes a body gets none, or not JSON, then it is 400 BODY_REQUIRED or 415', async () => {
    const missing = await request(stack.app).post(`/api/v1/units/${u('A')}/tokens`).set(bearer(ADMIN)).expect(400);
    expect(missing.body.error.code).toBe('BODY_REQUIRED');
    const text = await request(stack.app)
      .post(`/api/v1/units/${u('A')}/tokens`)
      .set(bearer(ADMIN))
      .set('Content-Type', 'text/plain')
      .send('label')
      .expect(415);
    expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  test('when a string holds NUL then the request is 400 naming where, before it reaches the database', async () => {
    const res = await request(stack.app)
      .post(`/api/v1/units/${u('A')}/tokens`)
      .set(bearer(ADMIN))
      .send({ label: 'a\u0000b' })
      .expect(400);
    expect(res.body.error.details[0]).toMatchObject({ path: ['body', 'label'] });
    await request(stack.app).get(`/api/v1/directives/x/assignments?level=a%00b`).set(bearer(ADMIN)).expect(400);
  });

  test('when a path is asked with a method it does not serve then it is 405 with Allow, and OPTIONS lists the methods', async () => {
    const trace = await request(stack.app).trace('/api/v1/directives/some-id').expect(405);
    expect(trace.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(trace.body.error.code).toBe('METHOD_NOT_ALLOWED');
    const post = await request(stack.app).post('/api/v1/openapi.json').expect(405);
    expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');
    await request(stack.app).patch(`/api/v1/units/${u('A')}/tokens`).set(bearer(ADMIN)).send({}).expect(405);
    const options = await request(stack.app).options(`/api/v1/units/${u('A')}/tokens`).expect(204);
    expect(options.headers.allow).toBe('POST, GET, HEAD, OPTIONS');
  });
});

describe('tokens and the audit trail', () => {
  test('when a token expires then it is refused with 401, and a request for a longer life is shortened to the maximum', async () => {
    const app = appWith({ TOKEN_MAX_TTL_DAYS: 10 });
    const res = await request(app).post(`/api/v1/units/${u('B')}/tokens`).set(bearer(ADMIN)).send({ expiresInDays: 3000 }).expect(201);
    const days = (Date.parse(res.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(9.9);
    expect(days).toBeLessThanOrEqual(10);
    await request(app).get(`/api/v1/units/${u('B')}`).set(bearer(res.body.token)).expect(200);
    await stack.db.apiToken.update({ where: { id: res.body.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await request(app).get(`/api/v1/units/${u('B')}`).set(bearer(res.body.token)).expect(401);
  });

  test('when the admin lists a unit’s tokens then it sees label, expiry and last use but never a secret, and revoke-all ends every one', async () => {
    const unit = u('A2');
    const one = await tokenFor(stack.app, unit);
    const two = await tokenFor(stack.app, unit);
    await request(stack.app).get(`/api/v1/units/${unit}`).set(bearer(one.token)).expect(200);
    const list = await request(stack.app).get(`/api/v1/units/${unit}/tokens`).set(bearer(ADMIN)).expect(200);
    expect(list.body.total).toBe(2);
    const used = list.body.items.find((t: { id: string }) => t.id === one.id);
    expect(used).toMatchObject({ unitCode: unit, lastUsedAt: expect.any(String), revokedAt: null, expiresAt: expect.any(String) });
    expect(list.body.items.find((t: { id: string }) => t.id === two.id).lastUsedAt).toBeNull();
    expect(JSON.stringify(list.body)).not.toMatch(/ct_|tokenHash/);
    await request(stack.app).get(`/api/v1/units/${unit}/tokens`).set(bearer(one.token)).expect(403);

    const revoked = await request(stack.app).post(`/api/v1/units/${unit}/tokens/revoke`).set(bearer(ADMIN)).expect(200);
    expect(revoked.body).toEqual({ unitCode: unit, revoked: 2 });
    await request(stack.app).get(`/api/v1/units/${unit}`).set(bearer(one.token)).expect(401);
    await request(stack.app).get(`/api/v1/units/${unit}`).set(bearer(two.token)).expect(401);
  });

  test('when the admin acts for a unit then the audit trail records the admin acting for that unit, and a unit token as itself', async () => {
    const { token, id: tokenId } = await tokenFor(stack.app, u('A'));
    const byAdmin = await request(stack.app).post('/api/v1/directives').set(bearer(ADMIN)).send(directive(u('A'))).expect(201);
    const byUnit = await request(stack.app).post('/api/v1/directives').set(bearer(token)).send(directive(u('A'))).expect(201);
    const trail = await request(stack.app).get(`/api/v1/audit?unit=${u('A')}`).set(bearer(ADMIN)).expect(200);
    const event = (res: request.Response) =>
      trail.body.items.find((e: { requestId: string }) => e.requestId === res.headers['x-request-id']);
    expect(event(byUnit)).toMatchObject({
      actor: 'unit',
      tokenId,
      actorUnitCode: u('A'),
      forUnitCode: u('A'),
      method: 'POST',
      route: '/api/v1/directives',
      status: 201,
    });
    expect(event(byAdmin)).toMatchObject({
      actor: 'admin',
      tokenId: null,
      actorUnitCode: null,
      forUnitCode: u('A'),
      method: 'POST',
      route: '/api/v1/directives',
      status: 201,
    });
    await request(stack.app).get('/api/v1/audit').set(bearer(token)).expect(403);
  });
});

describe('idempotency records', () => {
  const bodies = new Map<string, object>();
  /** The same key always sends the same body (a different one would be a 422). */
  const post = (app: express.Express, token: string, key: string, title: string) => {
    if (!bodies.has(`${key}/${title}`)) bodies.set(`${key}/${title}`, directive(u('A'), undefined, { title }));
    return request(app).post(`/api/v1/directives`).set(bearer(token)).set('Idempotency-Key', key).send(bodies.get(`${key}/${title}`)!);
  };

  test('when a key has expired then the same key runs the request again', async () => {
    const { token, id } = await tokenFor(stack.app, u('A'));
    const first = await post(stack.app, token, 'k-expire', 'one').expect(201);
    await stack.db.idempotencyRecord.update({ where: { key: `${id}:k-expire` }, data: { expiresAt: new Date(Date.now() - 1) } });
    const again = await post(stack.app, token, 'k-expire', 'two').expect(201);
    expect(again.body.id).not.toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });

  test('when a token holds more keys than the bound then its oldest are dropped and never more are kept', async () => {
    const app = appWith({ IDEMPOTENCY_MAX_PER_TOKEN: 2, CASCADE_MAX_OPEN_PER_ISSUER: 100 });
    const { token, id } = await tokenFor(app, u('A'));
    for (const key of ['k1', 'k2', 'k3']) await post(app, token, key, key).expect(201);
    const kept = await stack.db.idempotencyRecord.findMany({ where: { owner: id }, select: { key: true } });
    expect(kept.map((r) => r.key).sort()).toEqual([`${id}:k2`, `${id}:k3`]);
    const replay = await post(app, token, 'k3', 'k3').expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});
