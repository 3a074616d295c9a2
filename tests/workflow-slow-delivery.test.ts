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
import { Stage, assignmentPolicy, stateQuery, type CascadePolicy } from '../contract/definitions';
import { workflowIds } from '../contract/ids';
import { sleep } from '../stack/wait';
import { assignmentWorkflow } from '../workflows';
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
      // The province is started the way its forwarder would start it, but with Temporal's
      // default 10 s workflow task timeout: what stalls is relative to that timeout, and the
      // cascade's own minute (contract/timeouts.ts) would make this test wait ~50 s.
      mock.issued(d, policy);
      const prov = await kit.env.client.workflow.start(assignmentWorkflow, {
        taskQueue: q,
        workflowId: workflowIds.assignment(d, 'PROV'),
        workflowTaskTimeout: '10 seconds',
        args: [
          {
            directiveId: d, directiveNumber: `${d}/N`, receivedDirectiveId: d, documentNumber: `${d}/N`, issuerCode: 'ISS',
            unitCode: 'PROV', parentAssignmentId: null, parentUnitCode: 'ISS', temporalParentId: workflowIds.directive(d),
            relDepth: 1, policy: assignmentPolicy(policy), baseCycles: [], directiveVersion: 1, maxFanout: 50,
          },
        ],
      });
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
      await prov.terminate('test over');
      await kit.assignment(d, 'C1').terminate('test over');
    },
    {
      // Longer than 80 % of the province's 10 s workflow task timeout.
      async deliver(input) {
        if (input.unitCode === 'PROV') await sleep(9_000);
        return mock.activities.deliver(input);
      },
    },
  );
});
