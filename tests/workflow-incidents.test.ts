/**
 * Nothing stalls silently, on the time-skipping server with mocked activities:
 * an error retrying cannot fix becomes an incident (stage FAILED, recorded, the forwarder
 * and the cascade still close); messages are never lost in a fan-out in flight or across continue-as-new.
 */
import { WorkflowUpdateStage } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { assignmentWorkflow } from '../workflows';
import type { CascadeActivities } from '../contract/activities';
import type { AssignmentWorkflowInput } from '../contract/workflow-inputs';
import {
  concretizeUpdate,
  revokeSignal,
  Stage,
  type CascadePolicy,
} from '../contract/definitions';
import * as sa from '../contract/search-attributes';
import { workflowIds } from '../contract/ids';
import { initialState } from '../workflows/assignment-state';
import { createWorkflowKit, waitFor, type WorkflowKit } from './harness/workflow-kit';
import { maybeRecordHistories } from './harness/cascade-test-env';
import { mockActivities } from './harness/mock-activities';
import { TIME_SKIPPING_SETUP_TIMEOUT_MS } from './harness/time-skipping';

jest.setTimeout(60_000);

const WIDE = Array.from({ length: 20 }, (_, i) => `W${i}`);
const mock = mockActivities({
  PROV: { level: 'province', children: ['D1', 'D2'] },
  D1: { level: 'district' },
  D2: { level: 'district' },
  C1: { level: 'commune' },
  BIG: { level: 'province', children: WIDE },
  ...Object.fromEntries(WIDE.map((code) => [code, { level: 'commune' }])),
});

let kit: WorkflowKit;
let testNo = 0;

beforeAll(async () => {
  kit = await createWorkflowKit(mock);
}, TIME_SKIPPING_SETUP_TIMEOUT_MS);

afterAll(() => kit?.teardown());

const policy = (over: Partial<CascadePolicy> = {}): CascadePolicy => ({
  ackWithin: 'P1D',
  concretizeWithin: 'P3D',
  escalation: [],
  calendar: 'none',
  concretizeLevels: [],
  relay: 'on_delivery',
  ...over,
});
const withWorker = <T>(q: string, fn: () => Promise<T>, over?: Partial<CascadeActivities>) => kit.withWorker(q, fn, over);
const startDirective = (q: string, d: string, recipients: string[], p = policy()) => kit.startDirective(q, d, recipients, p);
const handle = (d: string, unit: string) => kit.assignment(d, unit);
const ack = (d: string, unit: string) => kit.ack(d, unit);

const incidentsOf = (assignmentId: string) =>
  mock.log.filter((e) => e.kind === 'incident' && e.assignmentId === assignmentId);


describe('incidents', () => {
  test('when a delivery fails with an error retrying cannot fix then the unit is FAILED with the reason, the UI shows it, and the cascade still closes', async () => {
    const d = `incident-${++testNo}`;
    const taskQueue = `incidents-${testNo}`;
    await withWorker(
      taskQueue,
      async () => {
        const root = await startDirective(taskQueue, d, ['PROV']);
        await waitFor(() => incidentsOf(`${d}/D1`), (x) => x.length === 1, 'D1 incident');
        expect(incidentsOf(`${d}/D1`)[0]).toMatchObject({ reportedBy: 'self', attempt: 0, issuerCode: 'ISS' });
        expect((incidentsOf(`${d}/D1`)[0] as { reason: string }).reason).toMatch(/month durations are not supported/);
        // The failed assignment closed, and says so in the Temporal UI. Polled with describe,
        // not awaited with result(): result() lets the test server skip time, and once D1
        // closes it may jump a day and fire PROV's acknowledgement deadline while PROV's next
        // task cancels it, a race the Java test server answers with "invalid history builder
        // state" and never a new task (the real server hands out a fresh one).
        const described = await waitFor(() => handle(d, 'D1').describe(), (x) => x.status.name === 'COMPLETED', 'D1 closed');
        expect(described.typedSearchAttributes.get(sa.Stage)).toBe(Stage.FAILED);
        expect(described.typedSearchAttributes.get(sa.UnitCode)).toBe('D1');
        // The rest of the cascade goes on and closes.
        await waitFor(() => ack(d, 'PROV'), (v) => v.stage === Stage.COMPLETED, 'PROV completes');
        await waitFor(() => ack(d, 'D2'), (v) => v.stage === Stage.COMPLETED, 'D2 completes');
        await root.result();
        await maybeRecordHistories(kit.env.client, 'incident-delivery', [root, handle(d, 'PROV'), handle(d, 'D1'), handle(d, 'D2')]);
      },
      {
        async deliver(input) {
          if (input.unitCode === 'D1') throw ApplicationFailure.nonRetryable('month durations are not supported', 'Incident');
          return mock.activities.deliver(input);
        },
      },
    );
  });
  // A terminated child is covered on the real dev server (tests/incidents.e2e.test.ts):
  // the Java test server does not record an abandoned child's termination in its parent.
});

describe('messages are never lost', () => {
  test('when a revocation arrives while a province is forwarding its implementing document then every unit that fan-out starts is revoked', async () => {
    const d = `fanout-revoke-${++testNo}`;
    const taskQueue = `incidents-${testNo}`;
    await withWorker(taskQueue, async () => {
      const root = await startDirective(taskQueue, d, ['BIG'], policy({ concretizeLevels: ['province'] }));
      await waitFor(() => ack(d, 'BIG'), (v) => v.waitingFor === 'concretize', 'BIG acknowledged');
      await handle(d, 'BIG').startUpdate(concretizeUpdate, {
        args: [{ actorUnitCode: 'BIG', number: 'KH-1', title: 'Kế hoạch', issuedAt: new Date().toISOString() }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      await root.signal(revokeSignal, { reason: 'thu hồi' });
      // Every one of the 20 units the fan-out started hears it; the root then closes.
      await root.result();
      for (const unit of WIDE) {
        expect(mock.persisted(`${d}/${unit}`, 'REVOKED')).toHaveLength(1);
      }
      await maybeRecordHistories(kit.env.client, 'revoke-during-fanout', [root, handle(d, 'BIG'), handle(d, 'W0'), handle(d, 'W19')]);
    });
  });

  test('when a run continues-as-new with a revocation not yet applied then the next run applies it', async () => {
    const d = `carried-revoke-${++testNo}`;
    const taskQueue = `incidents-${testNo}`;
    await withWorker(taskQueue, async () => {
      const state = initialState({ isLeaf: true, mustConcretize: false, directiveVersion: 1, reportCycles: [] });
      state.seq = 5;
      const input: AssignmentWorkflowInput = {
        directiveId: d,
        directiveNumber: `${d}/N`,
        receivedDirectiveId: d,
        documentNumber: `${d}/N`,
        issuerCode: 'ISS',
        unitCode: 'C1',
        parentAssignmentId: null,
        parentUnitCode: 'ISS',
        temporalParentId: workflowIds.directive(d),
        relDepth: 1,
        policy: policy(),
        baseCycles: [],
        directiveVersion: 1,
        maxFanout: 50,
        carried: { state, unitName: 'C1', level: 'commune', pending: { revokeReason: 'thu hồi' }, noticeOwed: false },
      };
      await kit.env.client.workflow.execute(assignmentWorkflow, {
        taskQueue,
        workflowId: workflowIds.assignment(d, 'C1'),
        args: [input],
      });
      expect(mock.persisted(`${d}/C1`, 'REVOKED').map((e) => e.data)).toEqual([{ reason: 'thu hồi' }]);
      await maybeRecordHistories(kit.env.client, 'carried-revocation', [handle(d, 'C1')]);
    });
  });
});
