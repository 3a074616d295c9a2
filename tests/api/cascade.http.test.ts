/**
 * A cascade over the demo tree driven entirely through HTTP on the real stack: issue,
 * acknowledge, concretize, relay, report, rollups, escalations, extensions, idempotency,
 * unit scoping of every endpoint, amendment and revocation. The tests share one cascade
 * and run in order, each picking up where the previous one left it.
 */
import request from 'supertest';
import { demoTree } from '../../domain/units/demo-tree';
import { uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, putDemoTree, startApiStack, sleep, tokenFor, waitFor, type ApiStack } from './helpers';

jest.setTimeout(120_000);

let stack: ApiStack;
const tokens: Record<string, string> = {};
let tokenIds: Record<string, string> = {};
let directiveId = '';
let extensionRequestId = '';
const number = `523/TTCS-TT-${uniqueSuffix()}`;
const vpUnits = demoTree().filter((u) => u.code.startsWith('VP-'));

const api = () => request(stack.app);
const as = (unit: string) => bearer(unit === 'admin' ? ADMIN : tokens[unit]!);
const unitPath = (unit: string, action = '') => `/api/v1/directives/${directiveId}/units/${unit}${action}`;

/** Acts for a unit; a workflow still recording its delivery answers 409 briefly, so retry that. */
async function act(unit: string, action: string, body: object, token = unit) {
  for (let attempt = 0; ; attempt++) {
    const res = await api().post(unitPath(unit, action)).set(as(token)).send(body);
    if (res.status === 409 && /still being delivered/.test(res.body.error?.message) && attempt < 50) {
      await sleep(100);
      continue;
    }
    return res;
  }
}

const assignments = (query: string, token = 'admin') =>
  api().get(`/api/v1/directives/${directiveId}/assignments${query}`).set(as(token));

beforeAll(async () => {
  // Deadlines of seconds, below the default minimums (CASCADE_MIN_DEADLINE, CASCADE_MIN_LADDER_STEP).
  stack = await startApiStack({ worker: true, env: { CASCADE_MIN_DEADLINE: 'PT1S', CASCADE_MIN_LADDER_STEP: 'PT1S' } });
  await putDemoTree(stack.app);
  const units = ['TTCS', 'STTTT-VP', 'STTTT-PT', 'STTTT-BN', 'PT-DH-HX', ...vpUnits.map((u) => u.code)];
  for (const unit of units) {
    const t = await tokenFor(stack.app, unit);
    tokens[unit] = t.token;
    tokenIds = { ...tokenIds, [unit]: t.id };
  }
});
afterAll(() => stack.close());

describe('a cascade driven through the HTTP API', () => {
  test('when the issuer issues a directive then it is 201 and the three provinces receive it', async () => {
    const issuedAt = new Date().toISOString();
    const res = await api()
      .post('/api/v1/directives')
      .set(as('TTCS'))
      .send({
        number,
        kind: 'Công văn',
        title: 'Tuyên truyền Kết luận 70-KL/TW',
        issuerCode: 'TTCS',
        issuedAt,
        basedOn: ['164-HD/BTGTW'],
        tasks: [{ title: 'Phát sóng chuyên mục', leadUnitCode: 'STTTT-VP' }],
        policy: {
          ackWithin: 'PT2S',
          concretizeWithin: 'PT1H',
          reportDueAt: new Date(Date.now() + 3600_000).toISOString(),
          levelLeadTime: 'PT5M',
          concretizeLevels: ['province'],
          relay: 'on_delivery', // districts pass the plan on at once
          escalation: [{ after: 'PT1S', action: 'notify_parent' }],
        },
      })
      .expect(201);
    expect(res.body).toEqual({ id: expect.any(String), number, status: 'ACTIVE' });
    directiveId = res.body.id;

    const list = await waitFor(() => assignments(''), (r) => r.body.total === 3, 'delivery to the provinces');
    expect(list.body.items.map((a: { unitCode: string }) => a.unitCode)).toEqual(['STTTT-BN', 'STTTT-PT', 'STTTT-VP']);
    const directive = await api().get(`/api/v1/directives/${directiveId}`).set(as('TTCS')).expect(200);
    expect(directive.body).toMatchObject({ number, status: 'ACTIVE', version: 1, tasks: [{ seq: 1, title: 'Phát sóng chuyên mục' }] });
    expect(directive.body.progress).toMatchObject({ total: 3, byStage: { DELIVERED: 3 }, byLevel: { province: { total: 3 } } });
  });

  test('when the issuer repeats the same issue request then it answers 200 with the same directive', async () => {
    const first = await stack.db.directive.findUniqueOrThrow({ where: { id: directiveId } });
    const res = await api()
      .post('/api/v1/directives')
      .set(as('admin'))
      .send({ number, kind: 'Công văn', title: 'again', issuerCode: 'TTCS', issuedAt: first.issuedAt.toISOString(), policy: { ackWithin: 'PT2S' } })
      .expect(200);
    expect(res.body.id).toBe(directiveId);
  });

  test('when a unit acts out of order then the API answers 409 with the workflow reason', async () => {
    const early = await act('STTTT-VP', '/concretize', { number: 'KH-x', title: 'x', issuedAt: new Date().toISOString() });
    expect(early.status).toBe(409);
    expect(early.body.error).toEqual({ code: 'CONFLICT', message: 'acknowledge the directive before concretizing it' });
    const report = await act('STTTT-VP', '/reports', { summary: 'x', completion: 10 });
    expect(report.status).toBe(409);
    expect(report.body.error.message).toBe('acknowledge the directive before reporting');
  });

  test('when an action body is invalid or the unit has no assignment then the API answers 400 or 404', async () => {
    const bad = await act('STTTT-VP', '/reports', { summary: 'x', completion: 150, colour: 'red' });
    expect(bad.status).toBe(400);
    const details = JSON.stringify(bad.body.error.details);
    expect(details).toContain('completion');
    expect(details).toContain('colour');
    const wrongType = await act('STTTT-VP', '/acknowledge', { note: 42 });
    expect(wrongType.status).toBe(400);
    const missing = await act('PT-DH-HX', '/acknowledge', {}, 'admin');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/has no assignment/);
    await api().post(`/api/v1/directives/nope/units/STTTT-VP/acknowledge`).set(as('admin')).send({}).expect(404);
    await api().get(unitPath('NO-SUCH')).set(as('admin')).expect(404);
  });

  test('when Vĩnh Phúc acknowledges and concretizes then districts relay and every unit below acts to completion', async () => {
    const ack = await act('STTTT-VP', '/acknowledge', { note: 'đã nhận' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ unitCode: 'STTTT-VP', stage: 'ACKNOWLEDGED', waitingFor: 'concretize' });
    const plan = await act('STTTT-VP', '/concretize', {
      number: `KH-${uniqueSuffix()}`,
      title: 'Kế hoạch tuyên truyền Kết luận 70',
      issuedAt: new Date().toISOString(),
      tasks: [{ title: 'Phát sóng', leadUnitCode: 'VP-LT' }],
    });
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ stage: 'FORWARDED', implementingDirectiveId: `${directiveId}~STTTT-VP` });

    // Districts relay on delivery: the communes below them are reached without any action.
    await waitFor(() => assignments(''), (r) => r.body.total === 3 + vpUnits.length, 'delivery below Vĩnh Phúc');
    const communes = await assignments('?level=commune&parent=VP-LT');
    expect(communes.body).toMatchObject({ total: 2, items: [{ unitCode: 'VP-LT-NM' }, { unitCode: 'VP-LT-QS' }] });

    // Leaves first, then districts, so that each district's report carries its rollup.
    for (const unit of [...vpUnits].sort((a, b) => b.code.length - a.code.length)) {
      expect((await act(unit.code, '/acknowledge', {})).status).toBe(200);
      const done = await act(unit.code, '/reports', { summary: 'đã phát sóng', completion: 80 });
      expect(done.status).toBe(200);
      expect(done.body.stage).toBe('COMPLETED');
    }
    const final = await act('STTTT-VP', '/reports', { summary: 'tổng hợp', completion: 90 });
    expect(final.body).toMatchObject({ stage: 'COMPLETED', reportsSubmitted: [1] });

    const district = await api().get(unitPath('VP-LT')).set(as('STTTT-VP')).expect(200);
    expect(district.body.childrenRollup).toEqual([
      { cycle: 1, children: 2, onTime: 2, late: 0, missing: 0, averageCompletion: 80 },
    ]);
    expect(district.body.documents.map((d: { id: string }) => d.id)).toEqual([directiveId, `${directiveId}~STTTT-VP`]);
    expect(district.body.reports[0]).toMatchObject({ cycle: 1, completion: 80, rollup: { children: 2, onTime: 2 } });

    const vp = await api().get(unitPath('STTTT-VP')).set(as('STTTT-VP')).expect(200);
    const types = vp.body.timeline.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t !== 'OVERDUE' && t !== 'ESCALATED')).toEqual([
      'DELIVERED',
      'ACKNOWLEDGED',
      'CONCRETIZED',
      'FORWARDED',
      'REPORTED',
    ]);
    expect(vp.body.childrenRollup[0]).toMatchObject({ children: 2, onTime: 2, missing: 0 });
    expect(vp.body.documents).toHaveLength(2);

    const progress = await api().get(`/api/v1/directives/${directiveId}`).set(as('TTCS')).expect(200);
    expect(progress.body.progress).toMatchObject({
      total: 3 + vpUnits.length,
      byStage: { COMPLETED: 1 + vpUnits.length },
      byLevel: { commune: { total: 4, byStage: { COMPLETED: 4 } }, district: { total: 2 } },
    });
    const vpInbox = await api().get('/api/v1/units/STTTT-VP/inbox').set(as('STTTT-VP')).expect(200);
    expect(vpInbox.body.items.map((i: { directiveId: string }) => i.directiveId)).not.toContain(directiveId);
  });

  test('when a unit repeats an action it already did then the answer is 200, and with a different payload 409', async () => {
    const again = await act('VP-LT-QS', '/acknowledge', {});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ unitCode: 'VP-LT-QS', stage: 'COMPLETED', ackVersion: 1 });
    const report = await act('VP-LT-QS', '/reports', { summary: 'đã phát sóng', completion: 80 });
    expect(report.status).toBe(200);
    const different = await act('VP-LT-QS', '/reports', { summary: 'khác', completion: 50 });
    expect(different.status).toBe(409);
    const note = await act('STTTT-VP', '/acknowledge', { note: 'a different note' });
    expect(note.status).toBe(409);
    expect(note.body.error.message).toMatch(/already acknowledged|COMPLETED/);
  });

  test('when a repeated acknowledgement finds the first not yet in the read model then it is 503 to retry, never 409', async () => {
    // As after an attempt applied while its answer timed out and PostgreSQL was down: the
    // workflow has the acknowledgement, the read model does not have it yet.
    const where = { assignmentId: `${directiveId}/VP-LT-QS`, type: 'ACKNOWLEDGED' } as const;
    const recorded = await stack.db.timelineEvent.findFirstOrThrow({ where });
    await stack.db.timelineEvent.delete({ where: { id: recorded.id } });
    const pending = await act('VP-LT-QS', '/acknowledge', {});
    expect(pending.status).toBe(503);
    expect(pending.headers['retry-after']).toBeDefined();
    await stack.db.timelineEvent.create({ data: recorded as Parameters<typeof stack.db.timelineEvent.create>[0]['data'] });
    const again = await act('VP-LT-QS', '/acknowledge', {});
    expect(again.status).toBe(200);
  });

  test('when a province stays silent then the escalations list shows the notify_parent rung for it', async () => {
    const res = await waitFor(
      () => api().get(`/api/v1/directives/${directiveId}/escalations?status=open`).set(as('TTCS')),
      (r) => r.body.items?.some((e: { unitCode: string }) => e.unitCode === 'STTTT-PT'),
      'an escalation for Phú Thọ',
    );
    const pt = res.body.items.find((e: { unitCode: string }) => e.unitCode === 'STTTT-PT');
    expect(pt).toMatchObject({ rung: 1, action: 'notify_parent', targetUnitCode: 'TTCS', obligation: 'ack@1', resolvedAt: null });
    const overdue = await assignments('?overdue=true');
    expect(overdue.body.items.map((a: { unitCode: string }) => a.unitCode)).toContain('STTTT-PT');
    const ptInbox = await api().get('/api/v1/units/STTTT-PT/inbox').set(as('STTTT-PT')).expect(200);
    expect(ptInbox.body.items.find((i: { directiveId: string }) => i.directiveId === directiveId)).toMatchObject({
      stage: 'DELIVERED',
      overdue: true,
      directive: { number },
    });
  });

  test('when Bắc Ninh asks for an extension with an Idempotency-Key then a retry replays the same answer', async () => {
    const body = { requestedDeadline: new Date(Date.now() + 86_400_000).toISOString(), reason: 'chờ kinh phí' };
    const key = `ext-${uniqueSuffix()}`;
    const first = await api().post(unitPath('STTTT-BN', '/extension-requests')).set(as('STTTT-BN')).set('Idempotency-Key', key).send(body);
    expect(first.status).toBe(201);
    expect(first.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.body.assignment.extensions).toEqual([expect.objectContaining({ requestId: first.body.requestId, status: 'PENDING' })]);
    extensionRequestId = first.body.requestId;

    const replay = await api().post(unitPath('STTTT-BN', '/extension-requests')).set(as('STTTT-BN')).set('Idempotency-Key', key).send(body);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);

    const reused = await api()
      .post(unitPath('STTTT-BN', '/extension-requests'))
      .set(as('STTTT-BN'))
      .set('Idempotency-Key', key)
      .send({ ...body, reason: 'something else' });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // Without the key, a second request is a new request, and one is already pending.
    const second = await api().post(unitPath('STTTT-BN', '/extension-requests')).set(as('STTTT-BN')).send(body);
    expect(second.status).toBe(409);
    expect(second.body.error.message).toBe('an extension request is already pending');
  });

  test('when the unit above decides the extension then it is approved, a repeat is 200 and a reversal 409', async () => {
    const path = unitPath('STTTT-BN', `/extension-requests/${extensionRequestId}/decision`);
    await waitFor(
      () => api().get(unitPath('STTTT-BN')).set(as('TTCS')),
      (r) => r.body.extensionRequests?.length === 1,
      'the request in the read model',
    );
    const approved = await api().post(path).set(as('TTCS')).send({ approve: true, note: 'đồng ý' }).expect(200);
    expect(approved.body.extensions[0]).toMatchObject({ requestId: extensionRequestId, status: 'APPROVED', note: 'đồng ý' });
    await api().post(path).set(as('TTCS')).send({ approve: true, note: 'đồng ý' }).expect(200);
    const reversal = await api().post(path).set(as('admin')).send({ approve: false }).expect(409);
    expect(reversal.body.error.message).toBe(`request ${extensionRequestId} is already APPROVED`);
    const unknown = unitPath('STTTT-BN', '/extension-requests/00000000-0000-4000-8000-000000000000/decision');
    await api().post(unknown).set(as('TTCS')).send({ approve: true }).expect(404);
    const detail = await waitFor(
      () => api().get(unitPath('STTTT-BN')).set(as('STTTT-BN')),
      (r) => r.body.extensionRequests?.[0]?.status === 'APPROVED',
      'the decision in the read model',
    );
    expect(detail.body.extensionRequests[0]).toMatchObject({ decidedBy: 'TTCS', decisionNote: 'đồng ý' });
  });

  test('when a unit token reads the cascade then it sees only its own subtree', async () => {
    const admin = await assignments('');
    const own = await assignments('', 'STTTT-VP');
    expect(admin.body.total).toBe(3 + vpUnits.length);
    expect(own.body.total).toBe(1 + vpUnits.length);
    const commune = await assignments('', 'VP-LT-QS');
    expect(commune.body.items.map((a: { unitCode: string }) => a.unitCode)).toEqual(['VP-LT-QS']);
    await api().get(unitPath('VP-LT-QS')).set(as('VP-LT')).expect(200);
  });

  // Every unit-scoped endpoint, called with the token of a unit that is not allowed. Every row has
  // five items: a shorter row would make Jest pass its `done` callback as the body.
  const refused: Array<[string, string, () => string, string, object | null]> = [
    ['acknowledge for another unit', 'post', () => unitPath('STTTT-VP', '/acknowledge'), 'STTTT-PT', {}],
    ['concretize for another unit', 'post', () => unitPath('STTTT-VP', '/concretize'), 'STTTT-PT', { number: 'K', title: 'K', issuedAt: new Date().toISOString() }],
    ['report for another unit', 'post', () => unitPath('STTTT-VP', '/reports'), 'STTTT-PT', { summary: 's', completion: 1 }],
    ['ask an extension for another unit', 'post', () => unitPath('STTTT-BN', '/extension-requests'), 'STTTT-PT', { requestedDeadline: new Date(Date.now() + 9e7).toISOString(), reason: 'r' }],
    ['decide an extension as a sibling', 'post', () => unitPath('STTTT-BN', `/extension-requests/${extensionRequestId}/decision`), 'STTTT-PT', { approve: false }],
    ['decide its own extension', 'post', () => unitPath('STTTT-BN', `/extension-requests/${extensionRequestId}/decision`), 'STTTT-BN', { approve: false }],
    ["read a sibling's assignment", 'get', () => unitPath('STTTT-VP'), 'STTTT-PT', null],
    ["read its parent's assignment", 'get', () => unitPath('STTTT-VP'), 'VP-LT-QS', null],
    ['read a cascade it is not part of', 'get', () => `/api/v1/directives/${directiveId}`, 'PT-DH-HX', null],
    ['list assignments of a cascade it is not part of', 'get', () => `/api/v1/directives/${directiveId}/assignments`, 'PT-DH-HX', null],
    ['list escalations of a cascade it is not part of', 'get', () => `/api/v1/directives/${directiveId}/escalations`, 'PT-DH-HX', null],
    ['read a sibling unit', 'get', () => '/api/v1/units/STTTT-VP', 'STTTT-PT', null],
    ["read a sibling's inbox", 'get', () => '/api/v1/units/STTTT-VP/inbox', 'STTTT-PT', null],
    ['issue a token', 'post', () => '/api/v1/units/STTTT-PT/tokens', 'STTTT-PT', {}],
    ['revoke a token', 'delete', () => `/api/v1/tokens/${tokenIds['STTTT-VP']}`, 'STTTT-PT', null],
    ['upsert units', 'put', () => '/api/v1/units', 'STTTT-PT', { units: [{ code: 'X', name: 'x', level: 'x', parentCode: null }] }],
    ['issue as another unit', 'post', () => '/api/v1/directives', 'STTTT-PT', { number: 'n', kind: 'k', title: 't', issuerCode: 'TTCS', issuedAt: new Date().toISOString(), policy: { ackWithin: 'P1D' } }],
    ['amend a directive it did not issue', 'post', () => `/api/v1/directives/${directiveId}/amendments`, 'STTTT-VP', { note: 'n' }],
    ['revoke a directive it did not issue', 'post', () => `/api/v1/directives/${directiveId}/revoke`, 'STTTT-VP', { reason: 'r' }],
  ];
  test.each(refused)('when a unit token tries to %s then the API answers 403', async (_what, method, path, unit, body) => {
    const call = (api() as unknown as Record<string, (p: string) => request.Test>)[method]!(path()).set(as(unit));
    const res = await (body ? call.send(body) : call);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  test('when the issuer amends then open assignments ask for the new version and closed ones stay closed', async () => {
    const res = await api()
      .post(`/api/v1/directives/${directiveId}/amendments`)
      .set(as('TTCS'))
      .send({ note: 'bổ sung nội dung', title: 'Tuyên truyền Kết luận 70-KL/TW (sửa đổi)' })
      .expect(200);
    expect(res.body).toEqual({ id: directiveId, number, status: 'ACTIVE', version: 2 });
    const pt = await waitFor(
      () => api().get(unitPath('STTTT-PT')).set(as('STTTT-PT')),
      (r) => r.body.directiveVersion === 2,
      'the amendment reaching Phú Thọ',
    );
    expect(pt.body.timeline.map((e: { type: string }) => e.type)).toContain('AMENDED');
    const vp = await api().get(unitPath('STTTT-VP')).set(as('STTTT-VP')).expect(200);
    expect(vp.body).toMatchObject({ stage: 'COMPLETED', directiveVersion: 1 });
    const directive = await api().get(`/api/v1/directives/${directiveId}`).set(as('admin')).expect(200);
    expect(directive.body).toMatchObject({ version: 2, title: 'Tuyên truyền Kết luận 70-KL/TW (sửa đổi)' });
  });

  test('when the issuer revokes then open assignments close, escalations resolve, and a second revoke is 409', async () => {
    const res = await api().post(`/api/v1/directives/${directiveId}/revoke`).set(as('TTCS')).send({ reason: 'thay thế' }).expect(200);
    expect(res.body).toMatchObject({ id: directiveId, status: 'REVOKED' });
    const revoked = await waitFor(
      () => assignments('?stage=REVOKED'),
      (r) => r.body.total === 2,
      'revocation of the two open provinces',
    );
    expect(revoked.body.items.map((a: { unitCode: string }) => a.unitCode)).toEqual(['STTTT-BN', 'STTTT-PT']);
    const again = await api().post(`/api/v1/directives/${directiveId}/revoke`).set(as('TTCS')).send({ reason: 'x' }).expect(409);
    expect(again.body.error.message).toBe('the directive is already revoked');
    await api().post(`/api/v1/directives/${directiveId}/amendments`).set(as('TTCS')).send({ note: 'x' }).expect(409);
    const late = await act('STTTT-PT', '/acknowledge', {});
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe('the assignment is REVOKED');
    const resolved = await api().get(`/api/v1/directives/${directiveId}/escalations?status=resolved`).set(as('TTCS')).expect(200);
    // Phú Thọ never acknowledged: the amendment superseded its ack@1 (its rungs resolve as
    // such); what chased ack@2 resolves with the revocation. None stays open.
    const pt = resolved.body.items.filter((e: { unitCode: string }) => e.unitCode === 'STTTT-PT');
    expect(pt.length).toBeGreaterThan(0);
    for (const e of pt) expect(e.resolution).toBe(e.obligation === 'ack@1' ? 'superseded' : 'revoked');
    const open = await api().get(`/api/v1/directives/${directiveId}/escalations?status=open`).set(as('TTCS')).expect(200);
    expect(open.body.items.filter((e: { unitCode: string }) => e.unitCode === 'STTTT-PT')).toEqual([]);
  });
});
