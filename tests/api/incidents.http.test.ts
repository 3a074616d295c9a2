/**
 * Incidents over HTTP on the real stack: an assignment workflow terminated from outside is
 * noticed by its forwarder and shows as FAILED with its reason (the assignment, the
 * directive's progress, the Temporal UI's search attribute); only the admin may retry it,
 * and the retried run takes the unit's actions again until the cascade closes.
 */
import request from 'supertest';
import { Stage } from '../../contract/definitions';
import { workflowIds } from '../../contract/ids';
import * as sa from '../../contract/search-attributes';
import { uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, putDemoTree, startApiStack, sleep, tokenFor, waitFor, type ApiStack } from './helpers';

jest.setTimeout(120_000);

let stack: ApiStack;
let unitToken = '';
const api = () => request(stack.app);

beforeAll(async () => {
  stack = await startApiStack({ worker: true });
  await putDemoTree(stack.app);
  unitToken = (await tokenFor(stack.app, 'VP-LT-QS')).token;
});
afterAll(() => stack.close());

/** Acts for a unit; a workflow still recording its delivery answers 409 briefly, so retry that. */
async function act(path: string, token: string, body: object) {
  for (let attempt = 0; ; attempt++) {
    const res = await api().post(path).set(bearer(token)).send(body);
    if (res.status === 409 && /still being delivered/.test(res.body.error?.message) && attempt < 50) {
      await sleep(100);
      continue;
    }
    return res;
  }
}

test('when an assignment workflow is terminated then it is FAILED with the reason and counted, and an admin retry brings it back until the cascade closes', async () => {
  const issued = await api()
    .post('/api/v1/directives')
    .set(bearer(ADMIN))
    .send({
      number: `INC-${uniqueSuffix()}`,
      kind: 'Công văn',
      title: 'Incident test',
      issuerCode: 'TTCS',
      issuedAt: new Date().toISOString(),
      recipients: ['VP-LT-QS'],
      policy: { ackWithin: 'PT1H' },
    })
    .expect(201);
  const id = issued.body.id as string;
  const unitUrl = `/api/v1/directives/${id}/units/VP-LT-QS`;
  const workflow = stack.client.workflow.getHandle(workflowIds.assignment(id, 'VP-LT-QS'));
  await waitFor(() => workflow.describe().then(() => true).catch(() => false), (ok) => ok, 'the assignment workflow');

  await workflow.terminate('operator mistake');

  const failed = await waitFor(
    () => api().get(unitUrl).set(bearer(ADMIN)).then((r) => r.body),
    (b) => b.stage === Stage.FAILED,
    'the assignment FAILED',
  );
  expect(failed.failureReason).toMatch(/the assignment workflow was terminated/);
  const progress = (await api().get(`/api/v1/directives/${id}`).set(bearer(ADMIN)).expect(200)).body.progress;
  expect(progress).toMatchObject({ failed: 1, byStage: { FAILED: 1 } });
  // The issuer is told: one incident notification in the outbox.
  expect(await stack.db.outboxMessage.count({ where: { directiveId: id, kind: 'incident', recipientUnit: 'TTCS' } })).toBe(1);
  // The root noticed it as closed: nothing else is open, so the cascade closed.
  await stack.client.workflow.getHandle(workflowIds.directive(id)).result();

  // Only the admin retries, and only a FAILED assignment.
  const refused = await api().post(`${unitUrl}/retry`).set(bearer(unitToken)).send({});
  expect(refused.status).toBe(403);
  const retried = await api().post(`${unitUrl}/retry`).set(bearer(ADMIN)).send({}).expect(202);
  expect(retried.body).toMatchObject({ unitCode: 'VP-LT-QS', attempt: 1, status: 'RETRYING' });

  const back = await waitFor(
    () => api().get(unitUrl).set(bearer(ADMIN)).then((r) => r.body),
    (b) => b.stage === Stage.DELIVERED,
    'the retried assignment delivered again',
  );
  expect(back).toMatchObject({ failureReason: null, attempt: 1 });
  expect((await api().post(`${unitUrl}/retry`).set(bearer(ADMIN)).send({})).status).toBe(409);

  // The retried run works: the unit acknowledges (no report owed: it completes).
  const acked = await act(`${unitUrl}/acknowledge`, unitToken, { note: 'Đã nhận' });
  expect(acked.status).toBe(200);
  expect(acked.body.stage).toBe(Stage.COMPLETED);
  await waitFor(
    () => api().get(unitUrl).set(bearer(ADMIN)).then((r) => r.body.stage),
    (stage) => stage === Stage.COMPLETED,
    'the retried assignment completes',
  );
  const described = await workflow.describe();
  expect(described.typedSearchAttributes.get(sa.Stage)).toBe(Stage.COMPLETED);
  // The retried run gets the cascade's workflow task timeout too (contract/timeouts.ts).
  expect(described.raw.executionConfig?.defaultWorkflowTaskTimeout?.seconds?.toString()).toBe('10');
});
