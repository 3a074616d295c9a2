/**
 * Dates as documents carry them: a plain `YYYY-MM-DD` is accepted wherever the API takes a
 * date, read in Vietnam (UTC+07:00): the day a document was issued is 00:00 that day, a day
 * something is due by is the end of that day (23:59:59). An impossible date is a 400 naming
 * the field.
 */
import request from 'supertest';
import { uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, putDemoTree, startApiStack, waitFor, type ApiStack } from './helpers';

jest.setTimeout(120_000);

let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack({ worker: true });
  await putDemoTree(stack.app);
});
afterAll(() => stack.close());

const api = () => request(stack.app);
const admin = bearer(ADMIN);

/** The date `days` ahead in Vietnam, YYYY-MM-DD: a deadline on it is never in the past. */
function dayAhead(days: number): string {
  return new Date(Date.now() + 7 * 3600_000 + days * 24 * 3600_000).toISOString().slice(0, 10);
}

const issueBody = (overrides: Record<string, unknown> = {}) => ({
  number: `NGAY-${uniqueSuffix()}`,
  kind: 'Công văn',
  title: 'Văn bản ghi ngày như trên giấy',
  issuerCode: 'TTCS',
  issuedAt: '2026-11-22',
  recipients: ['STTTT-VP'],
  policy: { ackWithin: 'P7D', concretizeLevels: ['province'] },
  ...overrides,
});

async function validationPaths(res: request.Response): Promise<string[]> {
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('VALIDATION_ERROR');
  return (res.body.error.details as Array<{ path: Array<string | number> }>).map((d) => d.path.join('.'));
}

describe('document dates', () => {
  test('when a directive is issued with a plain date then it is stored as 00:00 that day in Vietnam, due dates as the end of their day', async () => {
    const due = dayAhead(300);
    const res = await api()
      .post('/api/v1/directives')
      .set(admin)
      .send(
        issueBody({
          tasks: [{ title: 'Báo cáo kết quả', leadUnitCode: 'STTTT-VP', dueAt: due }],
          policy: { ackWithin: 'P7D', concretizeLevels: ['province'], reportDueAt: due },
        }),
      )
      .expect(201);

    const directive = await api().get(`/api/v1/directives/${res.body.id}`).set(admin).expect(200);
    expect(directive.body.issuedAt).toBe(new Date('2026-11-22T00:00:00+07:00').toISOString());
    expect(directive.body.issuedAt).toBe('2026-11-21T17:00:00.000Z');
    const endOfDue = new Date(`${due}T23:59:59+07:00`).toISOString();
    expect(directive.body.tasks[0].dueAt).toBe(endOfDue);
    expect(directive.body.policy.cycles).toEqual([{ cycle: 1, dueAt: endOfDue }]);
  });

  test('when a unit concretizes with a plain date then its implementing document is dated 00:00 that day in Vietnam', async () => {
    const issued = await api()
      .post('/api/v1/directives')
      .set(admin)
      .send(issueBody({ issuedAt: new Date().toISOString() }))
      .expect(201);
    const id = issued.body.id as string;
    const unit = `/api/v1/directives/${id}/units/STTTT-VP`;
    // The assignment answers 409 until its delivery is recorded.
    await waitFor(
      () => api().post(`${unit}/acknowledge`).set(admin).send({}),
      (r) => r.status === 200,
      'the acknowledgement',
    );

    const bad = await api().post(`${unit}/concretize`).set(admin).send({ number: 'KH-1', title: 'Kế hoạch', issuedAt: '2026-02-30' });
    expect(await validationPaths(bad)).toEqual(['issuedAt']);
    expect(bad.body.error.details[0].message).toMatch(/YYYY-MM-DD/);

    const number = `KH-${uniqueSuffix()}`;
    await api()
      .post(`${unit}/concretize`)
      .set(admin)
      .send({ number, title: 'Kế hoạch thực hiện', issuedAt: '2026-11-23' })
      .expect(200);
    const view = await api().get(unit).set(admin).expect(200);
    const plan = (view.body.documents as Array<{ number: string; issuedAt: string }>).find((d) => d.number === number);
    expect(plan?.issuedAt).toBe('2026-11-22T17:00:00.000Z');
  });

  test('when a date is impossible or not a date then the issue request is 400 naming each field and nothing is recorded', async () => {
    const body = issueBody({
      issuedAt: '2026-02-29',
      tasks: [{ title: 'x', dueAt: '2026-11-31' }],
      policy: { ackWithin: 'P7D', reportDueAt: '22/11/2026' },
    });
    const res = await api().post('/api/v1/directives').set(admin).send(body);

    expect((await validationPaths(res)).sort()).toEqual(['issuedAt', 'policy.reportDueAt', 'tasks.0.dueAt']);
    expect(await stack.db.directive.count({ where: { number: body.number } })).toBe(0);
  });

  test('when the OpenAPI document is read then issuedAt shows both a date and a datetime', async () => {
    const doc = await api().get('/api/v1/openapi.json').expect(200);
    const issuedAt = doc.body.components.schemas.IssueDirective.properties.issuedAt;
    expect(issuedAt.anyOf).toEqual([
      expect.objectContaining({ type: 'string', format: 'date' }),
      expect.objectContaining({ type: 'string', format: 'date-time' }),
    ]);
    expect(doc.body.components.schemas.Concretize.properties.issuedAt.anyOf).toHaveLength(2);
  });
});
