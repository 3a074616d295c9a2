/**
 * Concretize by default, lead and coordinating units, official statuses — over HTTP on the
 * real stack: a province concretizes without the policy naming its level; its
 * plan's task has a commune as lead and two communes coordinating; one coordinator is late;
 * the directive's progress gives the four official counts and shows who is late.
 */
import request from 'supertest';
import { Stage } from '../../contract/definitions';
import { uniqueSuffix } from '../harness/stack';
import { workflowIds } from '../../contract/ids';
import { maybeRecordHistories } from '../harness/cascade-test-env';
import { ADMIN, bearer, putDemoTree, startApiStack, sleep, tokenFor, waitFor, type ApiStack } from './helpers';

jest.setTimeout(120_000);

let stack: ApiStack;
const tokens: Record<string, string> = {};
const api = () => request(stack.app);
const LEAD = 'VP-LT-QS';
const ON_TIME = 'VP-LT-NM';
const LATE = 'VP-TD-HH';

beforeAll(async () => {
  // The task falls due seconds after it is planned: below the default minimum of a minute.
  stack = await startApiStack({ worker: true, env: { CASCADE_MIN_DEADLINE: 'PT1S' } });
  await putDemoTree(stack.app);
  for (const unit of ['STTTT-VP', LEAD, ON_TIME, LATE]) tokens[unit] = (await tokenFor(stack.app, unit)).token;
});
afterAll(() => stack.close());

async function act(path: string, unit: string, body: object) {
  for (let attempt = 0; ; attempt++) {
    const res = await api().post(path).set(bearer(tokens[unit]!)).send(body);
    if (res.status === 409 && /still being delivered/.test(res.body.error?.message) && attempt < 50) {
      await sleep(100);
      continue;
    }
    return res;
  }
}

test('when a province concretizes a plan whose task has a commune lead and two coordinators, one late, then progress shows each part and the four official counts', async () => {
  const issued = await api()
    .post('/api/v1/directives')
    .set(bearer(ADMIN))
    .send({
      number: `TASK-${uniqueSuffix()}`,
      kind: 'Kế hoạch',
      title: 'Tasks test',
      issuerCode: 'TTCS',
      issuedAt: new Date().toISOString(),
      recipients: ['STTTT-VP'],
      policy: { ackWithin: 'PT1H', concretizeWithin: 'PT1H', coordinatorLeadTime: 'PT3S', relay: 'on_delivery' },
    })
    .expect(201);
  const id = issued.body.id as string;
  const vp = `/api/v1/directives/${id}/units/STTTT-VP`;

  await waitFor(() => api().get(vp).set(bearer(ADMIN)).then((r) => r.status), (s) => s === 200, 'delivery to the province');
  // No concretizeLevels in the policy: the province, which has units below it, must concretize.
  const acked = await act(`${vp}/acknowledge`, 'STTTT-VP', {});
  expect(acked.body).toMatchObject({ stage: Stage.ACKNOWLEDGED, waitingFor: 'concretize' });
  const due = new Date(Date.now() + 6_000).toISOString();
  const concretized = await act(`${vp}/concretize`, 'STTTT-VP', {
    number: `KH-${uniqueSuffix()}`,
    title: 'Kế hoạch của tỉnh',
    issuedAt: new Date().toISOString().slice(0, 10),
    tasks: [{ title: 'Phát sóng chuyên mục', leadUnitCode: LEAD, coordinatingUnits: [ON_TIME, LATE], dueAt: due }],
  });
  expect(concretized.status).toBe(200);

  const task = (unit: string) => `/api/v1/directives/${id}/tasks/STTTT-VP~t1/units/${unit}/report`;
  await waitFor(
    () => act(task(ON_TIME), ON_TIME, { summary: 'Đã phối hợp', completion: 100 }).then((r) => r.status),
    (s) => s === 200,
    'the coordinator reports',
  );
  // Another unit cannot report for the lead; a unit without a part is a 404.
  expect((await api().post(task(LEAD)).set(bearer(tokens[ON_TIME]!)).send({ summary: 'x', completion: 1 })).status).toBe(403);
  expect((await act(`/api/v1/directives/${id}/tasks/STTTT-VP~t1/units/STTTT-VP/report`, 'STTTT-VP', { summary: 'x', completion: 1 })).status).toBe(404);

  // The late coordinator misses its deadline (3 s before the lead's); the lead reports in time.
  await sleep(3_500);
  const lead = await act(task(LEAD), LEAD, { summary: 'Đã phát sóng', completion: 90 });
  expect(lead.status).toBe(200);
  expect(lead.body).toMatchObject({ role: 'lead', reported: [1], closed: true });
  expect((await act(task(LEAD), LEAD, { summary: 'again', completion: 90 })).status).toBe(409);

  const progress = await waitFor(
    () => api().get(`/api/v1/directives/${id}`).set(bearer(ADMIN)).then((r) => r.body.progress),
    (p) => p?.tasks?.[0]?.parts?.length === 3,
    'the task parts in the progress',
  );
  const [t] = progress.tasks;
  expect(t).toMatchObject({ taskRef: 'STTTT-VP~t1', title: 'Phát sóng chuyên mục', leadUnitCode: LEAD, late: [LATE] });
  const status = Object.fromEntries(t.parts.map((p: { unitCode: string; status: string }) => [p.unitCode, p.status]));
  expect(status).toEqual({ [LEAD]: 'DONE_ON_TIME', [ON_TIME]: 'DONE_ON_TIME', [LATE]: 'OVERDUE' });
  // Four official counts: the province's ack and plan and the two task reports done on time;
  // the late coordinator overdue; the units below still within their ack deadline.
  expect(progress.official.overall).toMatchObject({ onTime: 4, late: 0, overdue: 1 });
  expect(progress.official.overall.openWithinDeadline).toBeGreaterThan(0);
  expect(Object.keys(progress.official.byProvince)).toEqual(['STTTT-VP']);
  expect(progress.official.byLevel.commune.overdue).toBe(1);

  // Per obligation in the assignment view.
  const view = (await api().get(vp).set(bearer(ADMIN)).expect(200)).body;
  expect(view.obligations.map((o: { key: string; status: string }) => [o.key, o.status])).toEqual([
    ['ack@1', 'DONE_ON_TIME'],
    ['concretize', 'DONE_ON_TIME'],
  ]);
  // The late coordinator's escalation ladder is its own; the directive lists it.
  const escalations = (await api().get(`/api/v1/directives/${id}/escalations`).set(bearer(ADMIN)).expect(200)).body;
  expect(JSON.stringify(escalations)).not.toContain(ON_TIME);
  const part = (unit: string) => stack.client.workflow.getHandle(workflowIds.taskPart(id, 'STTTT-VP~t1', unit));
  await maybeRecordHistories(stack.client, 'task-parts', [part(LEAD), part(ON_TIME), stack.client.workflow.getHandle(workflowIds.assignment(id, 'STTTT-VP'))]);
});
