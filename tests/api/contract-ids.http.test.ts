/**
 * Every id the API hands out can be sent back to it, and the rules one field has against
 * another are refused naming the field, as the OpenAPI document states them.
 */
import request from 'supertest';
import { uniqueSuffix } from '../harness/stack';
import {
  ADMIN,
  bearer,
  putDemoTree,
  startApiStack,
  tokenFor,
  waitFor,
  type ApiStack,
} from './helpers';

jest.setTimeout(120_000);

let stack: ApiStack;
const tag = `IDS-${uniqueSuffix()}`;
let cascade = '';
let implementing = '';
const api = () => request(stack.app);
const admin = bearer(ADMIN);

beforeAll(async () => {
  stack = await startApiStack({ worker: true });
  await putDemoTree(stack.app);
  const issued = await api()
    .post('/api/v1/directives')
    .set(admin)
    .send({
      number: tag,
      kind: 'Công văn',
      title: 'Ids handed out',
      issuerCode: 'TTCS',
      issuedAt: '2026-11-20',
      recipients: ['STTTT-VP'],
      policy: { ackWithin: 'P7D', concretizeLevels: ['province'] },
    })
    .expect(201);
  cascade = issued.body.id as string;
  const vp = `/api/v1/directives/${cascade}/units/STTTT-VP`;
  await waitFor(
    () => api().post(`${vp}/acknowledge`).set(admin).send({}),
    (r) => r.status === 200,
    'VP acknowledges',
  );
  await api()
    .post(`${vp}/concretize`)
    .set(admin)
    .send({ number: `KH-${tag}`, title: 'Kế hoạch', issuedAt: '2026-11-21' })
    .expect(200);
  const listed = await api()
    .get('/api/v1/directives')
    .query({ q: tag, status: 'IMPLEMENTING' })
    .set(admin)
    .expect(200);
  implementing = listed.body.items[0].id as string;
});
afterAll(() => stack.close());

describe('ids the API hands out', () => {
  test('when GET /directives lists an implementing document then GET /directives/{id} reads it with its chain, for the admin and for its unit', async () => {
    expect(implementing).toBe(`${cascade}~STTTT-VP`);
    const read = await api().get(`/api/v1/directives/${implementing}`).set(admin).expect(200);
    expect(read.body).toMatchObject({
      id: implementing,
      number: `KH-${tag}`,
      rootId: cascade,
      status: 'IMPLEMENTING',
    });
    expect((read.body.documents as Array<{ id: string }>).map((d) => d.id)).toEqual([
      cascade,
      implementing,
    ]);
    const vp = (await tokenFor(stack.app, 'STTTT-VP')).token;
    await api().get(`/api/v1/directives/${implementing}`).set(bearer(vp)).expect(200);
  });

  test('when a route below /directives/{id} gets an implementing document then it is a 404 pointing at the cascade, not a 400', async () => {
    for (const below of ['assignments', 'escalations', 'units/STTTT-VP']) {
      const res = await api()
        .get(`/api/v1/directives/${implementing}/${below}`)
        .set(admin)
        .expect(404);
      expect(res.body.error.message).toContain('rootId');
    }
  });
});

describe('rules across fields, refused naming the field', () => {
  test('when a unit names itself as its parent then PUT /units is a 400 naming units.0.parentCode', async () => {
    const code = `SELF-${uniqueSuffix()}`;
    const res = await api()
      .put('/api/v1/units')
      .set(admin)
      .send({ units: [{ code, name: 'self', level: 'x', parentCode: code }] })
      .expect(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details.map((d: { path: unknown[] }) => d.path.join('.'))).toEqual([
      'units.0.parentCode',
    ]);
  });

  test('when the body is JSON but not an object then it is a 400 VALIDATION_ERROR naming the body, not MALFORMED_JSON', async () => {
    const res = await api()
      .post('/api/v1/directives')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('0')
      .expect(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ path: ['body'] }],
    });
  });
});
