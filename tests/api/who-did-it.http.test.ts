/**
 * Who did it, on the real stack (PostgreSQL, the Temporal dev server, a cascade worker):
 * a unit token with a label, the admin and signed-in people act on one assignment, and the
 * assignment's timeline, its report, its extension request and decision, the directive and
 * the audit trail each name who acted and in which role. A person is put on the request
 * the way sign-in will: an identify step in front of the API sets the Principal.
 */
import express from 'express';
import request from 'supertest';
import type { Principal } from '../../api/auth';
import type { Role } from '../../api/roles';
import { actorOf } from '../../api/actor';
import { uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, sleep, startApiStack, type ApiStack } from './helpers';

jest.setTimeout(180_000);

let stack: ApiStack;
const sfx = uniqueSuffix().toUpperCase();
const ROOT = `WD${sfx}`;
const P = `${ROOT}-P`;
/** A province with a commune below it: it concretizes. */
const Q = `${ROOT}-Q`;
const QC = `${ROOT}-QC`;
const api = () => request(stack.app);

interface Person {
  id: string;
  name: string;
  position: string;
}

/** Adds a person of `unitCode` through the admin API. */
async function addPerson(unitCode: string, name: string, position: string, roles: Role[]): Promise<Person> {
  const email = `${uniqueSuffix()}@example.gov.vn`;
  const res = await api().post('/api/v1/people').set(bearer(ADMIN)).send({ name, email, position, unitCode, roles }).expect(201);
  return { id: res.body.id as string, name, position };
}

/** The API as a person signed in to `unitCode` with `roles` sees it: the identify step sets them. */
async function signedIn(person: Person, unitCode: string, roles: Role[]): Promise<express.Express> {
  const unit = await stack.db.unit.findUniqueOrThrow({ where: { code: unitCode }, select: { path: true } });
  const principal: Principal = { kind: 'unit', id: `person:${person.id}`, person, unitCode, unitPath: unit.path, roles };
  const outer = express();
  outer.use((_req, res, next) => {
    res.locals.principal = principal;
    next();
  });
  outer.use(stack.app);
  return outer;
}

/** A unit action, retried while the assignment is still being delivered. */
async function act(app: express.Express, path: string, body: object, auth: Record<string, string> = {}) {
  for (let attempt = 0; ; attempt++) {
    const res = await request(app).post(path).set(auth).send(body);
    if ((res.status === 404 || (res.status === 409 && /still being delivered/.test(res.body.error?.message))) && attempt < 100) {
      await sleep(100);
      continue;
    }
    return res;
  }
}

interface AuditRow {
  requestId: string;
  actor: string;
  tokenId: string | null;
  personId: string | null;
  personName: string | null;
  role: string | null;
  status: number;
}

/** The audit rows of these responses, by their request ids. */
async function auditOf(...responses: request.Response[]): Promise<AuditRow[]> {
  const ids = responses.map((r) => r.headers['x-request-id'] as string);
  const rows = await stack.db.auditEvent.findMany({ where: { requestId: { in: ids } } });
  return ids.map((id) => rows.find((r) => r.requestId === id) as AuditRow);
}

beforeAll(async () => {
  stack = await startApiStack({ worker: true });
  await api()
    .put('/api/v1/units')
    .set(bearer(ADMIN))
    .send({
      units: [
        { code: ROOT, name: 'Bộ Thông tin và Truyền thông', level: 'central', parentCode: null },
        { code: P, name: 'Sở Thông tin và Truyền thông', level: 'province', parentCode: ROOT },
        { code: Q, name: 'UBND tỉnh', level: 'province', parentCode: ROOT },
        { code: QC, name: 'UBND xã', level: 'commune', parentCode: Q },
      ],
    })
    .expect(200);
});
afterAll(() => stack.close());

test('when a token, the admin and signed-in people act then the timeline, report, extension decision, directive and audit trail name each', async () => {
  const minister = await addPerson(ROOT, 'Lê Văn C', 'Thứ trưởng', ['leader']);
  const officer = await addPerson(P, 'Trần Thị B', 'Chuyên viên', ['officer']);
  const director = await addPerson(P, 'Nguyễn Văn A', 'Phó Giám đốc', ['leader']);
  const clerkPerson = await addPerson(P, 'Phạm Thị D', 'Văn thư', ['clerk']);
  const asMinister = await signedIn(minister, ROOT, ['leader']);
  const asOfficer = await signedIn(officer, P, ['officer']);
  const asDirector = await signedIn(director, P, ['clerk', 'officer', 'leader']);
  const asClerkPerson = await signedIn(clerkPerson, P, ['clerk']);
  const clerkToken = await api().post(`/api/v1/units/${P}/tokens`).set(bearer(ADMIN)).send({ label: 'Văn thư Sở (máy)', roles: ['clerk'] }).expect(201);
  const clerk = bearer(clerkToken.body.token as string);

  const issuedAt = new Date();
  const issued = await request(asMinister)
    .post('/api/v1/directives')
    .send({
      number: `WD/${uniqueSuffix()}`,
      kind: 'Công văn',
      title: 'ai đã làm',
      issuerCode: ROOT,
      issuedAt: issuedAt.toISOString(),
      policy: { ackWithin: 'P2D', reportDueAt: new Date(issuedAt.getTime() + 30 * 86_400_000).toISOString() },
    })
    .expect(201);
  const unit = `/api/v1/directives/${issued.body.id}/units/${P}`;

  const acked = await act(stack.app, `${unit}/acknowledge`, { note: 'đã nhận' }, clerk);
  expect(acked.status).toBe(200);
  const requested = await act(asOfficer, `${unit}/extension-requests`, {
    requestedDeadline: new Date(issuedAt.getTime() + 40 * 86_400_000).toISOString(),
    reason: 'chờ số liệu',
  });
  expect(requested.status).toBe(201);
  const requestId = requested.body.requestId as string;
  const decided = await act(stack.app, `${unit}/extension-requests/${requestId}/decision`, { approve: true, note: 'đồng ý' }, bearer(ADMIN));
  expect(decided.status).toBe(200);
  const refused = await act(asClerkPerson, `${unit}/reports`, { summary: 'x', completion: 10 });
  expect(refused.status).toBe(403);
  const reported = await act(asDirector, `${unit}/reports`, { summary: 'Đã triển khai', completion: 100 });
  expect(reported.status).toBe(200);

  const view = (await api().get(unit).set(bearer(ADMIN)).expect(200)).body;
  const byType = (type: string) => view.timeline.find((e: { type: string }) => e.type === type);
  const token = { kind: 'token', id: clerkToken.body.id, name: 'Văn thư Sở (máy)', role: 'clerk', unitCode: P };
  const admin = { kind: 'admin', id: 'admin', name: 'admin', role: 'admin', unitCode: null };
  const asPersonActor = (p: Person, role: string, unitCode: string) => ({ kind: 'person', id: p.id, name: p.name, position: p.position, role, unitCode });
  expect(byType('ACKNOWLEDGED').by).toEqual(token);
  expect(byType('ACKNOWLEDGED').data).toEqual({ note: 'đã nhận', version: 1 });
  expect(byType('EXTENSION_REQUESTED').by).toEqual(asPersonActor(officer, 'officer', P));
  expect(byType('EXTENSION_DECIDED').by).toEqual(admin);
  expect(byType('REPORTED').by).toEqual(asPersonActor(director, 'leader', P));
  // Events nobody took name nobody.
  expect(byType('DEADLINE_SET')?.by ?? null).toBeNull();
  expect(view.reports).toEqual([expect.objectContaining({ cycle: 1, by: asPersonActor(director, 'leader', P) })]);
  expect(view.extensionRequests).toEqual([
    expect.objectContaining({ status: 'APPROVED', decidedBy: ROOT, requestedBy: asPersonActor(officer, 'officer', P), decisionBy: admin }),
  ]);

  const directive = await stack.db.directive.findUniqueOrThrow({ where: { id: issued.body.id } });
  expect(directive.issuedBy).toEqual(asPersonActor(minister, 'leader', ROOT));

  const [issueRow, ackRow, requestRow, decisionRow, refusedRow, reportRow] = await auditOf(issued, acked, requested, decided, refused, reported);
  expect(issueRow).toMatchObject({ actor: 'unit', personId: minister.id, personName: minister.name, role: 'leader', status: 201 });
  expect(ackRow).toMatchObject({ actor: 'unit', tokenId: clerkToken.body.id, personId: null, personName: null, role: 'clerk', status: 200 });
  expect(requestRow).toMatchObject({ personId: officer.id, personName: officer.name, role: 'officer', status: 201 });
  expect(decisionRow).toMatchObject({ actor: 'admin', personId: null, role: 'admin', status: 200 });
  // Refused: who asked is known, the role it asked for is not one they hold.
  expect(refusedRow).toMatchObject({ personId: clerkPerson.id, personName: clerkPerson.name, role: null, status: 403 });
  expect(reportRow).toMatchObject({ personId: director.id, personName: director.name, role: 'leader', status: 200 });
});

test('when the issuer amends and revokes then the directive and the unit timeline name who did', async () => {
  const minister = await addPerson(ROOT, 'Lê Văn E', 'Bộ trưởng', ['leader']);
  const asMinister = await signedIn(minister, ROOT, ['leader']);
  const issued = await request(asMinister)
    .post('/api/v1/directives')
    .send({ number: `WD/${uniqueSuffix()}`, kind: 'Công văn', title: 'sửa và thu hồi', issuerCode: ROOT, issuedAt: new Date().toISOString(), policy: { ackWithin: 'P2D' } })
    .expect(201);
  const unit = `/api/v1/directives/${issued.body.id}/units/${P}`;
  // Once P's assignment exists the amendment reaches it.
  for (let i = 0; i < 100 && (await api().get(unit).set(bearer(ADMIN))).status !== 200; i++) await sleep(100);
  await request(asMinister).post(`/api/v1/directives/${issued.body.id}/amendments`).send({ title: 'sửa lần 1', note: 'bổ sung' }).expect(200);
  await api().post(`/api/v1/directives/${issued.body.id}/revoke`).set(bearer(ADMIN)).send({ reason: 'thay thế' }).expect(200);

  const minsterActor = { kind: 'person', id: minister.id, name: minister.name, position: minister.position, role: 'leader', unitCode: ROOT };
  const admin = { kind: 'admin', id: 'admin', name: 'admin', role: 'admin', unitCode: null };
  let timeline: Array<{ type: string; by: unknown }> = [];
  for (let i = 0; i < 100; i++) {
    timeline = (await api().get(unit).set(bearer(ADMIN)).expect(200)).body.timeline;
    if (timeline.some((e) => e.type === 'REVOKED')) break;
    await sleep(100);
  }
  expect(timeline.find((e) => e.type === 'AMENDED')?.by).toEqual(minsterActor);
  expect(timeline.find((e) => e.type === 'REVOKED')?.by).toEqual(admin);
  const directive = await stack.db.directive.findUniqueOrThrow({ where: { id: issued.body.id } });
  expect(directive).toMatchObject({ issuedBy: minsterActor, amendedBy: minsterActor, revokedBy: admin });
});

test('when a person reports on a task part then its TASK_REPORTED event names them', async () => {
  const officer = await addPerson(P, 'Hoàng Văn G', 'Chuyên viên', ['officer']);
  const asOfficer = await signedIn(officer, P, ['officer']);
  const issuedAt = new Date();
  const issued = await api()
    .post('/api/v1/directives')
    .set(bearer(ADMIN))
    .send({
      number: `WD/${uniqueSuffix()}`,
      kind: 'Công văn',
      title: 'nhiệm vụ',
      issuerCode: ROOT,
      issuedAt: issuedAt.toISOString(),
      policy: { ackWithin: 'P2D' },
      tasks: [{ title: 'Phát sóng chuyên mục', leadUnitCode: P, dueAt: new Date(issuedAt.getTime() + 20 * 86_400_000).toISOString() }],
    })
    .expect(201);
  const reported = await act(asOfficer, `/api/v1/directives/${issued.body.id}/tasks/t1/units/${P}/report`, { summary: 'Đã phát', completion: 100 });
  expect(reported.status).toBe(200);
  let event = null;
  for (let i = 0; i < 100 && !event; i++) {
    event = await stack.db.timelineEvent.findFirst({ where: { directiveId: issued.body.id, type: 'TASK_REPORTED' } });
    if (!event) await sleep(100);
  }
  expect((event?.data as { by?: unknown } | undefined)?.by).toEqual({
    kind: 'person',
    id: officer.id,
    name: officer.name,
    position: officer.position,
    role: 'officer',
    unitCode: P,
  });
});

test('when an officer drafts the implementing document and the leader issues it then the draft, the document and CONCRETIZED name both', async () => {
  const officer = await addPerson(Q, 'Đỗ Thị H', 'Chuyên viên', ['officer']);
  const leader = await addPerson(Q, 'Vũ Văn K', 'Chủ tịch', ['leader']);
  const asOfficer = await signedIn(officer, Q, ['officer']);
  const asLeader = await signedIn(leader, Q, ['clerk', 'officer', 'leader']);
  const issued = await api()
    .post('/api/v1/directives')
    .set(bearer(ADMIN))
    .send({ number: `WD/${uniqueSuffix()}`, kind: 'Công văn', title: 'dự thảo', issuerCode: ROOT, issuedAt: new Date().toISOString(), recipients: [Q], policy: { ackWithin: 'P2D', concretizeWithin: 'P5D' } })
    .expect(201);
  const unit = `/api/v1/directives/${issued.body.id}/units/${Q}`;
  expect((await act(asLeader, `${unit}/acknowledge`, {})).status).toBe(200);
  const document = { number: `KH-${uniqueSuffix()}`, title: 'Kế hoạch', issuedAt: new Date().toISOString().slice(0, 10) };
  const draft = await request(asOfficer).post(`${unit}/drafts`).send({ kind: 'implementing_document', document }).expect(201);
  const out = await request(asLeader).post(`${unit}/drafts/${draft.body.id}/issue`).send({}).expect(200);

  const officerActor = { kind: 'person', id: officer.id, name: officer.name, position: officer.position, role: 'officer', unitCode: Q };
  const leaderActor = { kind: 'person', id: leader.id, name: leader.name, position: leader.position, role: 'leader', unitCode: Q };
  expect(out.body.draft).toMatchObject({ status: 'ISSUED', drafter: officerActor, issuer: leaderActor });
  const view = (await api().get(unit).set(bearer(ADMIN)).expect(200)).body;
  expect(view.timeline.find((e: { type: string }) => e.type === 'CONCRETIZED').by).toEqual(leaderActor);
  const doc = await stack.db.directive.findUniqueOrThrow({ where: { id: out.body.assignment.implementingDirectiveId as string } });
  expect(doc.issuedBy).toEqual(leaderActor);
});

describe('actorOf', () => {
  const unit = { kind: 'unit' as const, unitCode: 'U1', unitPath: '/U1/', roles: ['clerk' as const, 'officer' as const, 'leader' as const] };

  test('when a token has no label then it is named by the first 8 characters of its id', () => {
    expect(actorOf({ ...unit, id: '0123456789abcdef', label: null }, 'acknowledge')).toEqual({
      kind: 'token',
      id: '0123456789abcdef',
      name: 'token 01234567',
      role: 'clerk',
      unitCode: 'U1',
    });
  });

  test('when the admin has a person then the person is named, in the admin role', () => {
    const person = { id: 'p1', name: 'Quản trị Hệ thống', position: null };
    expect(actorOf({ kind: 'admin', id: 'admin', person }, 'decideExtension')).toEqual({
      kind: 'person',
      id: 'p1',
      name: 'Quản trị Hệ thống',
      position: null,
      role: 'admin',
      unitCode: null,
    });
  });

  test('when a name is longer than stored actors keep then it is cut, not refused', () => {
    const person = { id: 'p2', name: 'A'.repeat(500), position: 'B'.repeat(500) };
    const actor = actorOf({ ...unit, id: 'person:p2', person }, 'report');
    expect(actor.name).toHaveLength(200);
    expect(actor.position).toHaveLength(200);
    expect(actor.role).toBe('leader');
  });
});
