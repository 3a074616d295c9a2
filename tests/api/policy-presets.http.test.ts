/**
 * Presets from the regulations through the API: `ackWithin: "decree-30"` and
 * `reportRegime: "decree-09-six-monthly"` are accepted, expand into the ordinary policy
 * fields at issue time, and give each unit the deadlines the regulations set.
 */
import request from 'supertest';
import { decree30AckDeadline } from '../../domain/policy-presets';
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
const vn = (local: string): string => new Date(`${local}+07:00`).toISOString();

const issue = (policy: Record<string, unknown>) =>
  api()
    .post('/api/v1/directives')
    .set(admin)
    .send({
      number: `PRESET-${uniqueSuffix()}`,
      kind: 'Kế hoạch',
      title: 'Báo cáo định kỳ theo Nghị định 09',
      issuerCode: 'TTCS',
      // A fixed issue date, so the reporting cycles do not depend on the day the test runs.
      issuedAt: '2026-11-20',
      recipients: ['STTTT-VP'],
      policy,
    });

describe('policy presets from the regulations', () => {
  test('when a directive names decree-30 and the six-monthly regime then they expand into the ordinary fields and the deadlines follow the decrees', async () => {
    const res = await issue({
      ackWithin: 'decree-30',
      concretizeWithin: 'P10D',
      reportRegime: 'decree-09-six-monthly',
      until: '2027-12-31',
      concretizeLevels: ['province'],
    }).expect(201);
    const id = res.body.id as string;

    const directive = await api().get(`/api/v1/directives/${id}`).set(admin).expect(200);
    expect(directive.body.policy).toMatchObject({
      ackWithin: 'decree-30',
      reportRegime: 'decree-09-six-monthly',
      calendar: 'vn-working-days',
      levelLeadTime: 'P1D',
      // The demo tree has three levels below TTCS: communes submit the first working day
      // after the closing, districts the next, provinces (the recipients) the one after.
      cycles: [
        { cycle: 1, dueAt: vn('2026-12-17T23:59:59') },
        { cycle: 2, dueAt: vn('2027-06-17T23:59:59') },
        { cycle: 3, dueAt: vn('2027-12-17T23:59:59') },
      ],
    });

    const vp = await waitFor(
      () => api().get(`/api/v1/directives/${id}/units/STTTT-VP`).set(admin),
      (r) => r.status === 200 && r.body.nextDeadline !== null,
      'the delivery to STTTT-VP',
    );
    expect(vp.body.waitingFor).toMatch(/^ack/);
    expect(vp.body.nextDeadline).toBe(decree30AckDeadline(new Date(vp.body.deliveredAt)).toISOString());
    expect(vp.body.nextDeadline).toMatch(/T16:59:59\.000Z$/); // 23:59:59 in Vietnam
  });

  test('when a preset is misused then the issue request is 400 naming the field', async () => {
    const paths = async (policy: Record<string, unknown>) => {
      const res = await issue(policy);
      expect(res.status).toBe(400);
      return (res.body.error.details as Array<{ path: Array<string | number> }>).map((d) => d.path.join('.'));
    };
    expect(await paths({ ackWithin: 'decree-31' })).toEqual(['policy.ackWithin']);
    expect(await paths({ ackWithin: 'decree-30', calendar: 'none' })).toEqual(['policy.calendar']);
    expect(await paths({ ackWithin: 'P2D', reportRegime: 'decree-09-six-monthly' })).toEqual(['policy.until']);
    expect(await paths({ ackWithin: 'P2D', reportRegime: 'decree-09-quarterly', until: '2027-12-31' })).toEqual([
      'policy.reportRegime',
    ]);
    expect(
      await paths({ ackWithin: 'P2D', reportRegime: 'decree-09-annual', reportDueAt: '2027-01-15', until: '2027-12-31' }),
    ).toEqual(['policy.reportRegime']);
  });
});
