/**
 * Fan-out beyond the per-workflow limit goes through relay workflows. With a fan-out
 * limit of 2, the issuer's three provinces and a province's communes (addressed directly,
 * skipping districts) are started by relays; revocation still reaches every unit.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../read-model/db';
import { demoTree } from '../domain/units/demo-tree';
import { issueDirective } from '../api/use-cases/issue-directive';
import type { Principal } from '../api/auth';
import { createStore } from '../read-model/store';
import { configSchema } from '../runtime/config';
import { issueDirectiveSchema } from '../api/schemas';
import { acknowledgeUpdate, concretizeUpdate, revokeSignal } from '../contract/definitions';
import { uniqueSuffix } from './harness/stack';
import { waitFor } from '../stack/wait';
import { startRealCascade, type RealCascade } from './harness/real-cascade';
import { workflowIds } from '../contract/ids';
import { maybeRecordHistories } from './harness/cascade-test-env';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { AssignmentWorkflowInput } from '../contract/workflow-inputs';

jest.setTimeout(120_000);

/** The admin, who issues without quotas. */
const ADMIN: Principal = { kind: 'admin', id: 'admin' };

let db: Db;
let client: Client;
let taskQueue: string;
let stack: RealCascade;

beforeAll(async () => {
  stack = await startRealCascade('relay');
  ({ db, client, taskQueue } = stack);
});

afterAll(() => stack.close());

test('when recipients exceed the fan-out limit then relays deliver to all of them and revocation reaches every unit', async () => {
  const input = issueDirectiveSchema.parse({
    number: `RELAY-${uniqueSuffix()}`,
    kind: 'Chỉ thị',
    title: 'Relay test',
    issuerCode: 'TTCS',
    issuedAt: new Date().toISOString(),
    policy: { ackWithin: 'PT1H', concretizeLevels: ['province'] },
  });
  const { id } = await issueDirective(
    { store: createStore(db), client, taskQueue, maxFanout: 2, startWave: configSchema.shape.CASCADE_START_WAVE.parse(undefined) },
    ADMIN,
    input,
  );
  await waitFor(() => db.assignment.count({ where: { directiveId: id } }), (n) => n === 3, 'three provinces');

  // The three provinces came through relays, not straight from the directive workflow.
  const description = await client.workflow.getHandle(workflowIds.assignment(id, 'STTTT-VP')).describe();
  expect(description.parentExecution?.workflowId).toMatch(new RegExp(`^cascade/${id}/TTCS/relay-`));

  // Vĩnh Phúc addresses its four commune stations directly; two relays of two each.
  const vp = client.workflow.getHandle(workflowIds.assignment(id, 'STTTT-VP'));
  await waitFor(() => vp.describe().then(() => true).catch(() => false), (ok) => ok, 'province workflow');
  await waitFor(
    () => vp.executeUpdate(acknowledgeUpdate, { args: [{ actorUnitCode: 'STTTT-VP' }] }).then(() => true).catch(() => false),
    (ok) => ok,
    'acknowledge',
  );
  const communes = demoTree().filter((u) => u.level === 'commune' && u.code.startsWith('VP-')).map((u) => u.code);
  await vp.executeUpdate(concretizeUpdate, {
    args: [{ actorUnitCode: 'STTTT-VP', number: `KH-${uniqueSuffix()}`, title: 'KH', issuedAt: new Date().toISOString(), recipients: communes }],
  });
  await waitFor(() => db.assignment.count({ where: { directiveId: id } }), (n) => n === 3 + communes.length, 'communes');
  const commune = await db.assignment.findUniqueOrThrow({ where: { id: `${id}/${communes[0]}` } });
  expect(commune.parentUnitCode).toBe('STTTT-VP'); // the business parent, whatever relayed it
  expect((await client.workflow.getHandle(workflowIds.assignment(id, communes[0]!)).describe()).parentExecution?.workflowId).toMatch(
    /\/STTTT-VP\/relay-/,
  );

  await client.workflow.getHandle(workflowIds.directive(id)).signal(revokeSignal, { reason: 'test' });
  // Vĩnh Phúc owes no report, so it completed when it forwarded; everyone else is open.
  expect((await db.assignment.findUniqueOrThrow({ where: { id: `${id}/STTTT-VP` } })).stage).toBe('COMPLETED');
  await waitFor(
    () => db.assignment.count({ where: { directiveId: id, stage: 'REVOKED' } }),
    (n) => n === 2 + communes.length,
    'every open unit revoked',
  );
  // The root closes only once every relay and assignment below it has closed.
  await client.workflow.getHandle(workflowIds.directive(id)).result();
  const relay = await client.workflow.getHandle(`cascade/${id}/STTTT-VP/relay-0`).describe();
  // The policy is stored once: no child's input carries the level rules (concretizeLevels
  // here), yet Vĩnh Phúc concretized because its delivery read them from the read model.
  for (const unit of ['STTTT-VP', communes[0]!]) {
    const history = await client.workflow.getHandle(workflowIds.assignment(id, unit)).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const started = defaultPayloadConverter.fromPayload<AssignmentWorkflowInput>(payload as Payload);
    expect(started.policy).toEqual({ ackWithin: 'PT1H', escalation: expect.any(Array), calendar: expect.any(String), relay: 'on_acknowledge' });
    // Every cascade workflow carries the engine's chosen workflow task timeout, which bounds
    // recovery after a worker crash (contract/timeouts.ts).
    expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowTaskTimeout?.seconds?.toString()).toBe('10');
  }
  // The relays that carried the document and the cascade's root run with the same limit.
  for (const workflowId of [workflowIds.directive(id), `cascade/${id}/STTTT-VP/relay-0`]) {
    const first = (await client.workflow.getHandle(workflowId).fetchHistory()).events?.[0];
    expect(first?.workflowExecutionStartedEventAttributes?.workflowTaskTimeout?.seconds?.toString()).toBe('10');
  }
  // The whole path: root, its relay, the province, the province's relay, a commune.
  const path = [
    client.workflow.getHandle(workflowIds.directive(id)),
    client.workflow.getHandle(`cascade/${id}/TTCS/relay-0`),
    vp,
    client.workflow.getHandle(`cascade/${id}/STTTT-VP/relay-0`),
    client.workflow.getHandle(workflowIds.assignment(id, communes[0]!)),
  ];
  await maybeRecordHistories(client, 'relays', path);
  expect(relay.status.name).toBe('COMPLETED');
  // Relays and units with units below run on the parents' queue, leaves on the units' queue.
  expect(relay.taskQueue).toBe(`${taskQueue}-parents`);
  expect((await client.workflow.getHandle(`cascade/${id}/TTCS/relay-0`).describe()).taskQueue).toBe(`${taskQueue}-parents`);
  expect((await vp.describe()).taskQueue).toBe(`${taskQueue}-parents`);
  expect((await client.workflow.getHandle(workflowIds.assignment(id, communes[0]!)).describe()).taskQueue).toBe(taskQueue);
});
