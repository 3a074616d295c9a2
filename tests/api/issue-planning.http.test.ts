/**
 * Every directive the API accepts can be delivered to every unit: the issue request plans
 * every duration and date of the cascade before writing anything, and answers 400
 * INVALID_POLICY naming the field when something cannot be planned.
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

const DAY = 24 * 3600_000;
/** Units below TTCS in the demo tree: 3 provinces, 6 districts, 12 communes. */
const UNITS_BELOW_TTCS = 21;

const issue = (number: string, policy: Record<string, unknown>) =>
  request(stack.app).post('/api/v1/directives').set(bearer(ADMIN)).send({
    number,
    kind: 'Công văn',
    title: 'Lập kế hoạch',
    issuerCode: 'TTCS',
    issuedAt: new Date().toISOString(),
    policy,
  });

/** Issues a policy that cannot be planned: 400 INVALID_POLICY naming `path`, nothing recorded. */
async function expectRefused(policy: Record<string, unknown>, path: Array<string | number>) {
  const number = `PLAN-${uniqueSuffix()}`;
  const res = await issue(number, policy);
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('INVALID_POLICY');
  expect(res.body.error.message).toContain(path.join('.'));
  expect(res.body.error.details).toEqual(
    expect.arrayContaining([expect.objectContaining({ path })]),
  );
  expect(await stack.db.directive.count({ where: { issuerCode: 'TTCS', number } })).toBe(0);
  return res.body.error as { message: string };
}

describe('planning a directive at issue time', () => {
  test('when levelLeadTime is a month then the directive is accepted and delivered to every unit below the issuer', async () => {
    const res = await issue(`PLAN-${uniqueSuffix()}`, {
      ackWithin: 'P7D',
      reportDueAt: new Date(Date.now() + 400 * DAY).toISOString(),
      levelLeadTime: 'P1M',
      concretizeLevels: [],
    }).expect(201);
    const id = res.body.id as string;
    // Every level relays (no level concretizes); whether a level relays on delivery or when
    // it acknowledges, acknowledging each unit that has units below lets it pass the
    // document on, so every unit gets its assignment.
    const rows = await waitFor(
      async () => {
        const found = await stack.db.assignment.findMany({
          where: { directiveId: id },
          select: { unitCode: true, stage: true, level: true, isLeaf: true },
        });
        for (const a of found.filter((r) => !r.isLeaf && r.stage === 'DELIVERED')) {
          await request(stack.app)
            .post(`/api/v1/directives/${id}/units/${a.unitCode}/acknowledge`)
            .set(bearer(ADMIN))
            .send({});
        }
        return found;
      },
      (r) => r.length === UNITS_BELOW_TTCS,
      'delivery to every unit below TTCS',
      60_000,
    );
    expect(rows.filter((r) => r.level === 'commune')).toHaveLength(12);
  });

  test('when a month lead time would make the communes report before the issue date then it is 400 naming policy.levelLeadTime', async () => {
    const error = await expectRefused(
      {
        ackWithin: 'P7D',
        reportDueAt: new Date(Date.now() + 40 * DAY).toISOString(),
        levelLeadTime: 'P1M',
      },
      ['policy', 'levelLeadTime'],
    );
    expect(error.message).toMatch(/before|not after the issue date/);
  });

  test('when a date lies beyond the working-day calendar data then it is 400 naming the field', async () => {
    await expectRefused(
      { ackWithin: 'P2D', calendar: 'vn-working-days', reportDueAt: '2250-01-01T08:00:00+07:00' },
      ['policy', 'reportDueAt'],
    );
    await expectRefused({ ackWithin: 'P300Y', calendar: 'vn-working-days' }, [
      'policy',
      'ackWithin',
    ]);
    await expectRefused(
      {
        ackWithin: 'P2D',
        calendar: 'vn-working-days',
        escalation: [{ after: 'P200Y', action: 'remind' }],
      },
      ['policy', 'escalation', 0, 'after'],
    );
  });

  test('when the working-day calendar gets a lead time of minutes then it is 400 naming policy.levelLeadTime', async () => {
    await expectRefused(
      {
        ackWithin: 'P2D',
        calendar: 'vn-working-days',
        reportDueAt: new Date(Date.now() + 400 * DAY).toISOString(),
        levelLeadTime: 'PT5M',
      },
      ['policy', 'levelLeadTime'],
    );
  });
});

describe('reminders before a deadline', () => {
  test('when a reminder would fall before the issue date then it is 400 naming policy.escalation.0.before', async () => {
    await expectRefused({ ackWithin: 'P2D', escalation: [{ before: 'P3D', action: 'remind' }] }, ['policy', 'escalation', 0, 'before']);
  });

  test.each([
    [{ before: 'P1D', action: 'remind', every: 'PT6H' }, 'times'],
    [{ before: 'P1D', after: 'PT0S', action: 'remind' }, 'before'],
    [{ action: 'remind' }, 'after'],
    [{ after: 'PT0S', action: 'remind', every: 'P1D', times: 1000 }, 'times'],
  ])('when a step is %j then it is 400 naming policy.escalation.0.%s', async (step, field) => {
    const res = await issue(`PLAN-${uniqueSuffix()}`, { ackWithin: 'P2D', escalation: [step] }).expect(400);
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['policy', 'escalation', 0, field] })]));
  });

  test('when a policy names no reminder then each unit’s assignment shows one a day before its acknowledgement deadline', async () => {
    const res = await issue(`PLAN-${uniqueSuffix()}`, { ackWithin: 'P3D', escalation: [{ after: 'PT0S', action: 'remind' }] }).expect(201);
    const id = res.body.id as string;
    const view = await waitFor(
      async () => (await request(stack.app).get(`/api/v1/directives/${id}/units/STTTT-VP`).set(bearer(ADMIN))).body,
      (b) => !!b.nextDeadline,
      'STTTT-VP delivered',
    );
    expect(Date.parse(view.nextReminderAt)).toBe(Date.parse(view.nextDeadline) - DAY);
  });
});
