/**
 * Roles in a unit, on the real stack: a unit token issued with roles may do only what they
 * allow (the clerk acknowledges, the leader concretizes and issues), one issued without
 * roles keeps every role, and every refusal (401, 403) is in the audit trail; the admin
 * keeps a unit's people; an officer drafts the implementing document, the leader issues it
 * edited.
 */
import request from 'supertest';
import { uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, sleep, startApiStack, type ApiStack } from './helpers';

jest.setTimeout(120_000);

let stack: ApiStack;
const sfx = uniqueSuffix().toUpperCase();
const ROOT = `RL${sfx}`;
const P = `${ROOT}-P`;
const C = `${ROOT}-C`;
const api = () => request(stack.app);

async function token(unitCode: string, roles?: string[]): Promise<string> {
  const res = await api().post(`/api/v1/units/${unitCode}/tokens`).set(bearer(ADMIN)).send(roles ? { roles } : {}).expect(201);
  expect(res.body.roles).toEqual(roles ?? []);
  return res.body.token as string;
}

const directive = (issuerCode: string) => ({
  number: `RL/${uniqueSuffix()}`,
  kind: 'Công văn',
  title: 'roles',
  issuerCode,
  issuedAt: new Date().toISOString(),
  policy: { ackWithin: 'P2D', concretizeWithin: 'P5D' },
});

/** A unit action, retried while the assignment is still being delivered. */
async function act(path: string, as: string, body: object) {
  for (let attempt = 0; ; attempt++) {
    const res = await api().post(path).set(bearer(as)).send(body);
    if ((res.status === 404 || (res.status === 409 && /still being delivered/.test(res.body.error?.message))) && attempt < 100) {
      await sleep(100);
      continue;
    }
    return res;
  }
}

beforeAll(async () => {
  stack = await startApiStack({ worker: true });
  await api()
    .put('/api/v1/units')
    .set(bearer(ADMIN))
    .send({
      units: [
        { code: ROOT, name: 'root', level: 'central', parentCode: null },
        { code: P, name: 'P', level: 'province', parentCode: ROOT },
        { code: C, name: 'C', level: 'commune', parentCode: P },
      ],
    })
    .expect(200);
});
afterAll(() => stack.close());

test('when a token is asked for with an unknown or repeated role then it is 400 naming roles', async () => {
  const bad = await api().post(`/api/v1/units/${P}/tokens`).set(bearer(ADMIN)).send({ roles: ['boss'] }).expect(400);
  expect(bad.body.error.details[0].path).toEqual(['roles', 0]);
  const twice = await api().post(`/api/v1/units/${P}/tokens`).set(bearer(ADMIN)).send({ roles: ['clerk', 'clerk'] }).expect(400);
  expect(twice.body.error.details[0].path).toEqual(['roles']);
});

test('when the clerk, the officer and the leader of a province act then each may do only what its role allows', async () => {
  const rootClerk = await token(ROOT, ['clerk']);
  const rootLeader = await token(ROOT, ['leader']);
  const clerk = await token(P, ['clerk']);
  const officer = await token(P, ['officer']);
  const leader = await token(P, ['leader']);

  const refusedIssue = await api().post('/api/v1/directives').set(bearer(rootClerk)).send(directive(ROOT)).expect(403);
  expect(refusedIssue.body.error.message).toContain('leader');
  const issued = await api().post('/api/v1/directives').set(bearer(rootLeader)).send(directive(ROOT)).expect(201);
  const unit = `/api/v1/directives/${issued.body.id}/units/${P}`;

  expect((await act(`${unit}/acknowledge`, officer, {})).status).toBe(403);
  expect((await act(`${unit}/acknowledge`, clerk, {})).status).toBe(200);
  const plan = { number: `KH-${uniqueSuffix()}`, title: 'Kế hoạch', issuedAt: new Date().toISOString().slice(0, 10) };
  expect((await act(`${unit}/concretize`, clerk, plan)).status).toBe(403);
  expect((await act(`${unit}/concretize`, officer, plan)).status).toBe(403);
  const extension = { requestedDeadline: new Date(Date.now() + 10 * 86_400_000).toISOString(), reason: 'cần thêm thời gian' };
  expect((await act(`${unit}/extension-requests`, clerk, extension)).status).toBe(403);
  expect((await act(`${unit}/extension-requests`, officer, extension)).status).toBe(201);
  expect((await act(`${unit}/concretize`, leader, plan)).status).toBe(200);
});

test('when a token was issued without roles then it holds every role of its unit, as before roles existed', async () => {
  const any = await token(P);
  await api().post('/api/v1/directives').set(bearer(any)).send(directive(P)).expect(201);
  const listed = await api().get(`/api/v1/units/${P}/tokens`).set(bearer(ADMIN)).expect(200);
  expect(listed.body.items.map((t: { roles: string[] }) => t.roles)).toContainEqual(['clerk']);
  expect(listed.body.items.map((t: { roles: string[] }) => t.roles)).toContainEqual([]);
});

test('when requests are refused with 401 or 403 then the audit trail records them, with who asked', async () => {
  const clerk = await token(P, ['clerk']);
  const anonymous = await api().get(`/api/v1/units/${P}`).expect(401);
  const forbidden = await api().post('/api/v1/directives').set(bearer(clerk)).send(directive(P)).expect(403);
  const trail = (await api().get('/api/v1/audit').query({ limit: 100 }).set(bearer(ADMIN)).expect(200)).body.items as Array<{
    requestId: string;
    actor: string;
    actorUnitCode: string | null;
    status: number;
    route: string;
  }>;
  const byRequest = (res: request.Response) => trail.find((e) => e.requestId === res.headers['x-request-id']);
  expect(byRequest(anonymous)).toMatchObject({ actor: 'anonymous', status: 401, route: `/api/v1/units/${P}` });
  expect(byRequest(forbidden)).toMatchObject({ actor: 'unit', actorUnitCode: P, status: 403, route: '/api/v1/directives' });
});

describe('people of a unit', () => {
  const person = (extra: object = {}) => ({
    name: 'Nguyễn Thị Lan',
    email: `lan.${uniqueSuffix()}@example.gov.vn`,
    position: 'Chuyên viên',
    unitCode: P,
    roles: ['officer'],
    ...extra,
  });

  test('when the admin adds a person then the unit lists them with their roles and preferences, and a unit elsewhere may not', async () => {
    const added = await api().post('/api/v1/people').set(bearer(ADMIN)).send(person({ language: 'en', delivery: 'digest' })).expect(201);
    expect(added.body).toMatchObject({ unitCode: P, roles: ['officer'], admin: false, language: 'en', delivery: 'digest' });
    const again = await api().post('/api/v1/people').set(bearer(ADMIN)).send(person({ email: added.body.email.toUpperCase() })).expect(409);
    expect(again.body.error.code).toBe('CONFLICT');
    const own = await api().get(`/api/v1/units/${P}/people`).set(bearer(await token(P, ['clerk']))).expect(200);
    expect(own.body.items.map((x: { id: string }) => x.id)).toContain(added.body.id);
    await api().get(`/api/v1/units/${P}/people`).set(bearer(await token(C))).expect(403);
    const moved = await api()
      .put(`/api/v1/people/${added.body.id}`)
      .set(bearer(ADMIN))
      .send(person({ email: added.body.email, roles: ['leader'], position: 'Phó Giám đốc' }))
      .expect(200);
    expect(moved.body).toMatchObject({ id: added.body.id, roles: ['leader'], position: 'Phó Giám đốc' });
  });

  test('when a person is added, changed and moved then they are a notification contact of their unit with their own preferences', async () => {
    const p = person({ language: 'en', delivery: 'both' });
    // A contact typed by hand with the same address gives way to the person's own.
    await api().post(`/api/v1/units/${P}/contacts`).set(bearer(ADMIN)).send({ name: 'Lan (cũ)', email: p.email }).expect(201);
    const added = await api().post('/api/v1/people').set(bearer(ADMIN)).send(p).expect(201);
    const contactsOf = async (unit: string) =>
      ((await api().get(`/api/v1/units/${unit}/contacts`).set(bearer(ADMIN)).expect(200)).body.items as Array<Record<string, unknown>>).filter(
        (c) => c.email === p.email,
      );
    expect(await contactsOf(P)).toEqual([
      expect.objectContaining({ name: p.name, language: 'en', delivery: 'both', personId: added.body.id }),
    ]);
    await api().put(`/api/v1/people/${added.body.id}`).set(bearer(ADMIN)).send({ ...p, unitCode: C, delivery: 'digest' }).expect(200);
    expect(await contactsOf(P)).toEqual([]);
    expect(await contactsOf(C)).toEqual([expect.objectContaining({ delivery: 'digest', personId: added.body.id })]);
  });

  test('when a person names no unit, no role or an unknown unit, or a unit token adds one, then it is refused naming the field', async () => {
    const noUnit = await api().post('/api/v1/people').set(bearer(ADMIN)).send(person({ unitCode: undefined })).expect(400);
    expect(noUnit.body.error.details[0].path).toEqual(['unitCode']);
    const noRole = await api().post('/api/v1/people').set(bearer(ADMIN)).send(person({ roles: [] })).expect(400);
    expect(noRole.body.error.details[0].path).toEqual(['roles']);
    const unknown = await api().post('/api/v1/people').set(bearer(ADMIN)).send(person({ unitCode: `${ROOT}-NOPE` })).expect(400);
    expect(unknown.body.error.details[0].path).toEqual(['unitCode']);
    await api().post('/api/v1/people').set(bearer(await token(P))).send(person()).expect(403);
    await api().post('/api/v1/people').set(bearer(ADMIN)).send(person({ unitCode: undefined, roles: [], admin: true })).expect(201);
  });
});

test('when an officer drafts the implementing document then the leader sees it and issues it edited, once', async () => {
  const rootLeader = await token(ROOT, ['leader']);
  const clerk = await token(P, ['clerk']);
  const officer = await token(P, ['officer']);
  const leader = await token(P, ['leader']);
  const issued = await api().post('/api/v1/directives').set(bearer(rootLeader)).send(directive(ROOT)).expect(201);
  const unit = `/api/v1/directives/${issued.body.id}/units/${P}`;
  expect((await act(`${unit}/acknowledge`, clerk, {})).status).toBe(200);

  const document = { number: `KH-${uniqueSuffix()}`, title: 'Dự thảo kế hoạch', issuedAt: new Date().toISOString().slice(0, 10) };
  await api().post(`${unit}/drafts`).set(bearer(clerk)).send({ kind: 'implementing_document', document }).expect(403);
  const draft = await api().post(`${unit}/drafts`).set(bearer(officer)).send({ kind: 'implementing_document', document }).expect(201);
  expect(draft.body).toMatchObject({ kind: 'implementing_document', status: 'DRAFT', content: { title: 'Dự thảo kế hoạch' } });

  const listed = await api().get(`${unit}/drafts`).set(bearer(leader)).expect(200);
  expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([draft.body.id]);
  await api().post(`${unit}/drafts/${draft.body.id}/issue`).set(bearer(officer)).send({}).expect(403);
  const wrongKind = await api()
    .post(`${unit}/drafts/${draft.body.id}/issue`)
    .set(bearer(leader))
    .send({ report: { summary: 'x', completion: 1 } })
    .expect(400);
  expect(wrongKind.body.error.details[0].path).toEqual(['report']);

  const edited = { ...document, title: 'Kế hoạch triển khai (đã duyệt)' };
  const out = await api().post(`${unit}/drafts/${draft.body.id}/issue`).set(bearer(leader)).send({ document: edited }).expect(200);
  expect(out.body.draft).toMatchObject({ status: 'ISSUED', issuedContent: { title: edited.title } });
  expect(out.body.assignment.implementingDirectiveId).toBeTruthy();
  const doc = await api().get(`/api/v1/directives/${out.body.assignment.implementingDirectiveId}`).set(bearer(leader)).expect(200);
  expect(doc.body.title).toBe(edited.title);
  await api().post(`${unit}/drafts/${draft.body.id}/issue`).set(bearer(leader)).send({}).expect(409);
});
