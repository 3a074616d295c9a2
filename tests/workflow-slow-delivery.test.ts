/**
 * A worker that stalls while a unit is being delivered: the `deliver` local activity takes
 * longer than the workflow task may, so the SDK heartbeats the task (completes it and
 * carries on in a new one). The history this leaves must still replay. (The variant seen
 * in CI under load — the activity's marker in the first task, the code after it in the
 * next — failed to replay when a `patched()` check followed the activity; that race is
 * not reproducible on demand, which is why patch decisions are now taken at the start of
 * a run: workflows/patches.ts.)
 */
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { Stage, stateQuery, type CascadePolicy } from '../contract/definitions';
import { mockActivities } from './harness/mock-activities';
import { TIME_SKIPPING_SETUP_TIMEOUT_MS } from './harness/time-skipping';
import { createWorkflowKit, waitFor, type WorkflowKit } from './harness/workflow-kit';

jest.setTimeout(90_000);

const mock = mockActivities({
  PROV: { level: 'province', children: ['C1'] },
  C1: { level: 'commune' },
});

let kit: WorkflowKit;
beforeAll(async () => {
  kit = await createWorkflowKit(mock);
}, TIME_SKIPPING_SETUP_TIMEOUT_MS);
afterAll(() => kit?.teardown());

const policy: CascadePolicy = { ackWithin: 'P1D', escalation: [], calendar: 'none', concretizeLevels: [], relay: 'on_delivery' };

test('when the delivery outlasts the workflow task then the unit is delivered and its history replays', async () => {
  const d = 'slow-delivery-1';
  const q = 'slow-delivery';
  await kit.withWorker(
    q,
    async () => {
      const root = await kit.startDirective(q, d, ['PROV'], policy);
      await waitFor(() => kit.assignment(d, 'C1').query(stateQuery), (v) => v.stage === Stage.DELIVERED, 'C1 delivered', 60_000);
      const history = await kit.assignment(d, 'PROV').fetchHistory();
      // The stall happened: the first workflow task was completed (heartbeat) before the
      // delivery's marker, which went into a later one.
      const events = history.events ?? [];
      const marker = events.findIndex((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
      const completedBefore = events.slice(0, marker).filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      expect(completedBefore.length).toBeGreaterThanOrEqual(2);
      await expect(
        Worker.runReplayHistory({ workflowsPath: require.resolve('../workflows') }, history, `cascade/${d}/PROV`),
      ).resolves.toBeUndefined();
      await root.terminate('test over');
    },
    {
      // Longer than 80 % of the 10 s workflow task timeout, for the province only.
      async deliver(input) {
        if (input.unitCode === 'PROV') await new Promise((r) => setTimeout(r, 9_000));
        return mock.activities.deliver(input);
      },
    },
  );
});
