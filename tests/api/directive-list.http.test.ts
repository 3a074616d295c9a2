/**
 * GET /api/v1/directives: documents filtered by issuer, status, number or title text,
 * basedOn and issue dates, paginated, newest first. The admin sees every document; a unit
 * token sees what its unit issued and what reached it.
 */
import request from 'supertest';
import { uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, putDemoTree, startApiStack, tokenFor, waitFor, type ApiStack } from './helpers';

jest.setTimeout(120_000);

let stack: ApiStack;
const tokens: Record<string, string> = {};
/** Every document of this file carries it in its number, so the shared database's others stay out. */
const tag = `LIST-${uniqueSuffix()}`;
const guidance = `164-HD/BTGTW-${tag}`;
const ids: Record<string, string> = {};

const api = () => request(stack.app);
const as = (who: string) => bearer(who === 'admin' ? ADMIN : tokens[who]!);
const list = (who: string, query: Record<string, string | number>) =>
  api().get('/api/v1/directives').query(query).set(as(who));
const numbers = (res: request.Response) => (res.body.items as Array<{ number: string }>).map((d) => d.number);

async function issue(token: string, issuerCode: string, suffix: string, fields: Record<string, unknown>) {
  const res = await api()
    .post('/api/v1/directives')
    .set(as(token))
    .send({
      number: `${tag}-${suffix}`,
      kind: 'Công văn',
      issuerCode,
      policy: { ackWithin: 'P7D', concretizeLevels: ['province'] },
      ...fields,
    })
    .expect(201);
  ids[suffix] = res.body.id as string;
  return res.body.id as string;
}

beforeAll(async () => {
  stack = await startApiStack({ worker: true });
  await putDemoTree(stack.app);
  for (const unit of ['TTCS', 'STTTT-VP', 'STTTT-PT', 'VP-LT', 'VP-LT-QS']) tokens[unit] = (await tokenFor(stack.app, unit)).token;

  // TTCS → Vĩnh Phúc, concretized by it into a plan for its districts (relayed to communes).
  const d1 = await issue('TTCS', 'TTCS', 'TUYEN-TRUYEN', {
    title: 'Tuyên truyền Kết luận số 70-KL/TW',
    issuedAt: '2026-11-01',
    basedOn: [guidance],
    recipients: ['STTTT-VP'],
  });
  // TTCS → Phú Thọ, then revoked.
  const d2 = await issue('TTCS', 'TTCS', 'THIEN-TAI', {
    title: 'Phòng, chống THIÊN TAI mùa mưa bão',
    issuedAt: '2026-11-15',
    recipients: ['STTTT-PT'],
  });
  // Vĩnh Phúc's own directive to one district.
  await issue('STTTT-VP', 'STTTT-VP', 'VP-RIENG', {
    title: 'Chuyển đổi số cấp xã',
    issuedAt: '2026-11-20T09:30:00+07:00',
    basedOn: [guidance],
    recipients: ['VP-TD'],
  });

  const vp = `/api/v1/directives/${d1}/units/STTTT-VP`;
  await waitFor(() => api().post(`${vp}/acknowledge`).set(as('admin')).send({}), (r) => r.status === 200, 'VP acknowledges');
  await api()
    .post(`${vp}/concretize`)
    .set(as('admin'))
    .send({ number: `KH-${tag}`, title: 'Kế hoạch tuyên truyền Kết luận 70', issuedAt: '2026-11-10' })
    .expect(200);
  await api().post(`/api/v1/directives/${d2}/revoke`).set(as('TTCS')).send({ reason: 'thay thế' }).expect(200);
  // The plan reaches Vĩnh Phúc's districts and, relayed, their communes (a district that
  // relays when it acknowledges needs its acknowledgement for that).
  await waitFor(
    async () => {
      await api().post(`/api/v1/directives/${d1}/units/VP-LT/acknowledge`).set(as('admin')).send({});
      return stack.db.assignment.count({ where: { directiveId: d1, unitCode: 'VP-LT-QS' } });
    },
    (n) => n === 1,
    'the plan reaching commune VP-LT-QS',
  );
});
afterAll(() => stack.close());

describe('listing directives', () => {
  test('when the admin lists by number text then every document matches, cascades and implementing documents, newest first', async () => {
    const res = await list('admin', { q: tag.toLowerCase() }).expect(200);

    expect(res.body).toMatchObject({ total: 4, limit: 100, offset: 0 });
    expect(numbers(res)).toEqual([`${tag}-VP-RIENG`, `${tag}-THIEN-TAI`, `KH-${tag}`, `${tag}-TUYEN-TRUYEN`]);
    const plan = res.body.items[2];
    expect(plan).toMatchObject({ issuerCode: 'STTTT-VP', status: 'IMPLEMENTING', rootId: ids['TUYEN-TRUYEN'], parentId: ids['TUYEN-TRUYEN'] });
    expect(plan.issuedAt).toBe('2026-11-09T17:00:00.000Z');
    expect(plan).not.toHaveProperty('body');
    expect(plan).not.toHaveProperty('policy');
  });

  test('when filters are combined then only documents matching all of them are listed', async () => {
    expect(numbers(await list('admin', { q: tag, issuer: 'STTTT-VP' }))).toEqual([`${tag}-VP-RIENG`, `KH-${tag}`]);
    expect(numbers(await list('admin', { q: tag, status: 'REVOKED' }))).toEqual([`${tag}-THIEN-TAI`]);
    expect(numbers(await list('admin', { q: tag, status: 'ACTIVE' }))).toEqual([`${tag}-VP-RIENG`, `${tag}-TUYEN-TRUYEN`]);
    expect(numbers(await list('admin', { basedOn: guidance }))).toEqual([`${tag}-VP-RIENG`, `${tag}-TUYEN-TRUYEN`]);
    // An implementing document is based on the number of the document it concretizes.
    expect(numbers(await list('admin', { basedOn: `${tag}-TUYEN-TRUYEN` }))).toEqual([`KH-${tag}`]);
  });

  test('when the text is in the title then it matches ignoring case, Vietnamese letters included', async () => {
    expect(numbers(await list('admin', { q: 'phòng, chống thiên tai', issuer: 'TTCS', from: '2026-11-15', to: '2026-11-15' }))).toEqual([
      `${tag}-THIEN-TAI`,
    ]);
    expect(numbers(await list('admin', { q: 'KẾ HOẠCH TUYÊN TRUYỀN', issuer: 'STTTT-VP' }))).toContain(`KH-${tag}`);
    // LIKE wildcards in the text are taken literally.
    expect((await list('admin', { q: `${tag}%` })).body.total).toBe(0);
  });

  test('when an issue-date range is given then plain dates cover whole days in Vietnam and datetimes are exact', async () => {
    expect(numbers(await list('admin', { q: tag, from: '2026-11-10', to: '2026-11-15' }))).toEqual([`${tag}-THIEN-TAI`, `KH-${tag}`]);
    expect(numbers(await list('admin', { q: tag, to: '2026-11-09' }))).toEqual([`${tag}-TUYEN-TRUYEN`]);
    expect(numbers(await list('admin', { q: tag, from: '2026-11-20T09:30:00+07:00' }))).toEqual([`${tag}-VP-RIENG`]);
    expect(numbers(await list('admin', { q: tag, from: '2026-11-20T09:30:01+07:00' }))).toEqual([]);
  });

  test('when a page is asked for then limit and offset page through the total', async () => {
    const first = await list('admin', { q: tag, limit: 3 }).expect(200);
    const second = await list('admin', { q: tag, limit: 3, offset: 3 }).expect(200);

    expect(first.body).toMatchObject({ total: 4, limit: 3, offset: 0 });
    expect(second.body).toMatchObject({ total: 4, limit: 3, offset: 3 });
    expect([...numbers(first), ...numbers(second)]).toEqual(numbers(await list('admin', { q: tag })));
  });

  test('when a unit token lists then it sees only what its unit issued and what reached it', async () => {
    // Vĩnh Phúc: the cascade it received, its plan and its own directive; not Phú Thọ's.
    expect(numbers(await list('STTTT-VP', { q: tag }))).toEqual([`${tag}-VP-RIENG`, `KH-${tag}`, `${tag}-TUYEN-TRUYEN`]);
    // Phú Thọ: only the directive sent to it, revoked since.
    expect(numbers(await list('STTTT-PT', { q: tag }))).toEqual([`${tag}-THIEN-TAI`]);
    // A district of Vĩnh Phúc: the cascade and the plan that reached it, not the directive to another district.
    expect(numbers(await list('VP-LT', { q: tag }))).toEqual([`KH-${tag}`, `${tag}-TUYEN-TRUYEN`]);
    // A commune the plan was relayed to: the same two.
    expect(numbers(await list('VP-LT-QS', { q: tag }))).toEqual([`KH-${tag}`, `${tag}-TUYEN-TRUYEN`]);
    // The issuer: what it issued, not the plan a unit below issued.
    expect(numbers(await list('TTCS', { q: tag }))).toEqual([`${tag}-THIEN-TAI`, `${tag}-TUYEN-TRUYEN`]);
    // Filtering by another issuer narrows, never widens, what a unit sees.
    expect((await list('STTTT-PT', { q: tag, issuer: 'STTTT-VP' })).body.total).toBe(0);
  });

  test('when a filter is invalid then it is 400 naming the parameter', async () => {
    const paths = async (query: Record<string, string | number>) => {
      const res = await list('admin', query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      return (res.body.error.details as Array<{ path: string[] }>).map((d) => d.path.join('.'));
    };
    expect(await paths({ status: 'DONE' })).toEqual(['status']);
    expect(await paths({ from: '2026-02-30' })).toEqual(['from']);
    expect(await paths({ from: '2026-11-20', to: '2026-11-19' })).toEqual(['to']);
    expect(await paths({ limit: 0 })).toEqual(['limit']);
    expect(await paths({ issuer: 'VP/LT' })).toEqual(['issuer']);
    expect(await paths({ colour: 'red' })).toEqual(['']);
    await api().get('/api/v1/directives').expect(401);
  });
});
